"""Demo: Sam brought three prospects over from Pipedrive; the run shows in the import history."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from .models import ImportRun
from .services import runs

ORGANIZATIONS = [
    ["Organization - Name", "Organization - Address - Country", "Organization - Industry"],
    ["Rotterdamse Koeltechniek B.V.", "Netherlands", "Cold chain logistics"],
    ["Tampereen Tarkkuusvalu Oy", "Finland", "Foundry"],
    ["Utrechtse Zorggroep Noord", "Netherlands", "Healthcare"],
]


def load(ctx) -> None:
    user = ctx.users["sam"]
    if ImportRun.objects.filter(created_by=user).exists():
        return
    buffer = io.StringIO()
    csv.writer(buffer).writerows(ORGANIZATIONS)
    upload = SimpleUploadedFile("pipedrive-organizations.csv", buffer.getvalue().encode())
    run = runs.start_import(user=user, upload=upload, kind="accounts", preset="pipedrive")
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.QUEUED, phase=ImportRun.Phase.IMPORT
    )
    runs.execute_run(run_id=run.pk)  # in-process: the demo must not wait for a worker
