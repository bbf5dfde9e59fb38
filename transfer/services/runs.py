"""An import run from upload to undo: map the columns, check (dry run), import, undo."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import enqueue_on_commit
from core.roles import can
from core.services.audit import record_audit_event
from core.services.notifications import notify

from ..fields import FIELDS, field_keys, guess_mapping
from ..models import ImportedRow, ImportRun
from . import reading
from .processors import CREATE, PROCESSORS, REFUSE, SKIP, UPDATE, RowResult

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 200
MAX_FILE_BYTES = 50 * 1024 * 1024  # about 300,000 rows of a typical CRM export
MAX_PROBLEMS = 1000
PROGRESS_EVERY = 1000
# Undo deletes in this order so nothing still points at a row being removed.
MODEL_OF_KIND = {
    ImportRun.Kind.ACCOUNTS: "crm.account",
    ImportRun.Kind.CONTACTS: "crm.contact",
    ImportRun.Kind.OPPORTUNITIES: "crm.opportunity",
    ImportRun.Kind.NOTES: "crm.conversation",
}


def _require_import(user) -> None:
    if not can(user, "transfer.import"):
        raise PermissionDenied(_("You may not import records."))


def _require_own(run: ImportRun, user) -> None:
    _require_import(user)
    if run.created_by_id != user.pk and not can(user, "crm.manage"):
        raise PermissionDenied(_("Only the person who started this import or a manager may."))
    if run.kind == ImportRun.Kind.NOTES and not can(user, "conversation.log"):
        raise PermissionDenied(_("You may not import conversations."))


@transaction.atomic
def start_import(*, user, upload, kind: str, preset: str) -> ImportRun:
    """Store an uploaded file, read its columns and guess their mapping from the preset."""
    _require_import(user)
    if kind not in ImportRun.Kind.values:
        raise ValidationError({"kind": [_("Choose what the file contains.")]})
    if preset not in ImportRun.Preset.values:
        raise ValidationError({"preset": [_("Choose where the file comes from.")]})
    fmt = reading.file_format(upload.name)
    if upload.size and upload.size > MAX_FILE_BYTES:
        raise ValidationError({"file": [_("The file is larger than 50 MB; split it into parts.")]})
    content = upload.read()
    dataset = reading.load(content, fmt)
    headers = reading.headers_of(dataset)
    if not any(headers):
        raise ValidationError({"file": [_("The first row of the file must name the columns.")]})
    return ImportRun.objects.create(
        created_by=user,
        kind=kind,
        preset=preset,
        filename=upload.name[:255],
        file_format=fmt,
        content=content,
        headers=headers,
        mapping=guess_mapping(kind=kind, preset=preset, headers=headers),
        total_rows=dataset.height,
    )


@transaction.atomic
def set_mapping(*, run: ImportRun, user, mapping: Mapping[str, str], duplicates: str) -> ImportRun:
    """Which column feeds which field; every required field needs a column."""
    _require_own(run, user)
    if run.is_active:
        raise ValidationError({"mapping": [_("Wait until the current run has finished.")]})
    errors: dict[str, list[str]] = {}
    clean = {k: v for k, v in mapping.items() if k in field_keys(run.kind) and v}
    for key, column in clean.items():
        if column not in run.headers:
            errors.setdefault(key, []).append(_("The file has no column “%(c)s”.") % {"c": column})
    for target in FIELDS[run.kind]:
        if target.required and target.key not in clean:
            errors.setdefault(target.key, []).append(_("Choose the column for this field."))
    if run.kind == ImportRun.Kind.CONTACTS and not (
        "name" in clean or {"first_name", "last_name"} & set(clean)
    ):
        errors.setdefault("name", []).append(_("Choose the column with the person's name."))
    if duplicates not in ImportRun.Duplicates.values:
        errors["duplicates"] = [_("Choose what to do with records that already exist.")]
    if errors:
        raise ValidationError(errors)
    run.mapping, run.duplicates = clean, duplicates
    run.status = ImportRun.Status.MAPPING
    run.save(update_fields=["mapping", "duplicates", "status"])
    return run


@transaction.atomic
def queue_run(*, run: ImportRun, user, phase: str) -> ImportRun:
    """Queue the dry run (`check`) or the import itself; the worker picks it up after commit."""
    from ..tasks import execute_import_run

    _require_own(run, user)
    if phase not in ImportRun.Phase.values:
        raise ValidationError({"phase": [_("Choose a dry run or the import.")]})
    allowed = {
        ImportRun.Status.MAPPING,
        ImportRun.Status.CHECKED,
        ImportRun.Status.REFUSED,
        ImportRun.Status.FAILED,
    }
    updated = ImportRun.objects.filter(pk=run.pk, status__in=allowed).update(
        status=ImportRun.Status.QUEUED, phase=phase, processed_rows=0, error=""
    )
    if not updated:
        raise ValidationError({"status": [_("This import cannot be started again.")]})
    run.refresh_from_db()
    enqueue_on_commit(execute_import_run, run.pk)
    return run


def execute_run(*, run_id: int) -> ImportRun | None:
    """The job: claim the queued run, check every row, and import when asked and all are fine."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING
    )
    if not claimed:
        return None  # another worker has it, or it already ran
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    try:
        _execute(run)
    except Exception as exc:
        logger.exception("Import run %s failed", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    _tell(run)
    return run


def _execute(run: ImportRun) -> None:
    dataset = reading.load(bytes(run.content), run.file_format)
    position = {header: i for i, header in enumerate(reading.headers_of(dataset))}
    columns = {key: position[col] for key, col in run.mapping.items() if col in position}
    processor = PROCESSORS[run.kind](run)
    counts = dict.fromkeys((CREATE, UPDATE, SKIP, REFUSE), 0)
    preview, problems = [], []
    created: list[RowResult] = []
    updated: list[RowResult] = []
    importing = run.phase == ImportRun.Phase.IMPORT
    for number, raw in enumerate(dataset, start=2):
        cells = {key: raw[i] for key, i in columns.items()}
        if not any(str(value or "").strip() for value in cells.values()):
            continue
        result = processor.check(number, cells)
        counts[result.action] += 1
        if len(preview) < PREVIEW_ROWS:
            preview.append(_summary(run, result))
        for target, message in result.problems:
            if len(problems) < MAX_PROBLEMS:
                problems.append({"row": number, "column": _column(run, target), "message": message})
        if importing and result.action in (CREATE, UPDATE):
            (created if result.action == CREATE else updated).append(result)
        if number % PROGRESS_EVERY == 0:
            ImportRun.objects.filter(pk=run.pk).update(processed_rows=number - 1)
    ImportRun.objects.filter(pk=run.pk).update(processed_rows=run.total_rows)
    status = ImportRun.Status.REFUSED if counts[REFUSE] else ImportRun.Status.CHECKED
    if importing and not counts[REFUSE]:
        _write(run, processor, created, updated)
        status = ImportRun.Status.DONE
    elif importing:
        counts[CREATE] = counts[UPDATE] = 0  # all or nothing: nothing was written
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        created_count=counts[CREATE],
        updated_count=counts[UPDATE],
        skipped_count=counts[SKIP],
        refused_count=counts[REFUSE],
        preview=preview,
        problems=problems,
        finished_at=timezone.now(),
    )


@transaction.atomic
def _write(run: ImportRun, processor, created: list[RowResult], updated: list[RowResult]) -> None:
    made, changed = processor.write(created, updated)
    model = MODEL_OF_KIND[run.kind]
    ImportedRow.objects.bulk_create(
        [
            *(
                ImportedRow(run=run, row_number=r.row, model=model, object_id=pk, action="created")
                for r, pk in made
            ),
            *(
                ImportedRow(
                    run=run,
                    row_number=r.row,
                    model=model,
                    object_id=pk,
                    action="updated",
                    previous=previous,
                )
                for r, pk, previous in changed
            ),
        ],
        batch_size=2000,
    )
    record_audit_event(
        actor=run.created_by,
        action="create",
        obj=run,
        summary=_("Imported %(file)s: %(created)d created, %(updated)d updated.")
        % {"file": run.filename, "created": len(made), "updated": len(changed)},
    )


def _column(run: ImportRun, target: str) -> str:
    return run.mapping.get(target) or target


def _summary(run: ImportRun, result: RowResult) -> dict[str, Any]:
    return {
        "row": result.row,
        "action": result.action,
        "label": result.label,
        "problems": [
            {"column": _column(run, target), "message": message}
            for target, message in result.problems
        ],
    }


def _tell(run: ImportRun) -> None:
    if run.status not in (ImportRun.Status.DONE, ImportRun.Status.REFUSED, ImportRun.Status.FAILED):
        return
    notify(
        user=run.created_by,
        kind="transfer.import",
        subject=_("Import of %(file)s: %(status)s")
        % {"file": run.filename, "status": run.get_status_display()},
        link=run.get_absolute_url(),
        dedupe_key=f"transfer-run-{run.pk}-{run.phase}-{run.finished_at:%Y%m%d%H%M%S%f}",
    )


@transaction.atomic
def queue_undo(*, run: ImportRun, user) -> ImportRun:
    """Ask a worker to undo a finished run (a large one takes longer than a web request)."""
    from ..tasks import undo_import_run

    _require_own(run, user)
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.DONE).update(
        status=ImportRun.Status.UNDOING, error=""
    )
    if not claimed:
        raise ValidationError({"status": [_("Only a finished import can be undone.")]})
    record_audit_event(
        actor=user,
        action="delete",
        obj=run,
        summary=_("Undid the import of %(file)s.") % {"file": run.filename},
    )
    enqueue_on_commit(undo_import_run, run.pk)
    run.refresh_from_db()
    return run


def execute_undo(*, run_id: int) -> ImportRun | None:
    """The job: undo a run waiting for it; a second delivery finds it undone and does nothing."""
    if not ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.UNDOING).exists():
        return None
    try:
        _undo(run_id)
    except ValidationError as exc:
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.DONE, error=" ".join(exc.messages)
        )
    return ImportRun.objects.get(pk=run_id)


def undo_run(*, run: ImportRun, user) -> ImportRun:
    """Undo at once, in this process (small runs, tests); raises when it cannot be undone."""
    queue_undo(run=run, user=user)
    run = execute_undo(run_id=run.pk) or ImportRun.objects.get(pk=run.pk)
    if run.status != ImportRun.Status.UNDONE:
        raise ValidationError({"status": [run.error]})
    return run


@transaction.atomic
def _undo(run_id: int) -> None:
    """Delete what the run created and put back the fields it changed."""
    run = ImportRun.objects.select_for_update().get(pk=run_id)
    if run.status != ImportRun.Status.UNDOING:
        return
    from django.apps import apps

    model = apps.get_model(MODEL_OF_KIND[run.kind])
    rows = run.rows.all()
    for imported in rows.filter(action=ImportedRow.Action.UPDATED).iterator(chunk_size=2000):
        model._base_manager.filter(pk=imported.object_id).update(**imported.previous)
    created_ids = list(
        rows.filter(action=ImportedRow.Action.CREATED).values_list("object_id", flat=True)
    )
    try:
        for start in range(0, len(created_ids), 2000):
            # _base_manager: soft-deleted rows the run created go too.
            model._base_manager.filter(pk__in=created_ids[start : start + 2000]).delete()
    except ProtectedError:
        raise ValidationError(
            {"status": [_("Some imported records are already used elsewhere (conversations).")]}
        ) from None
    run.status, run.undone_at = ImportRun.Status.UNDONE, timezone.now()
    run.save(update_fields=["status", "undone_at"])
