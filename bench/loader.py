"""Fast loading into PostgreSQL with names taken from the Django models.

`Loader.copy(Model, fields, rows)` streams rows with COPY into the model's table,
using each field's `column`, and fills every other NOT NULL column from the field's
default (or refuses loudly, so a new required field shows up here instead of as a
half-filled database). `bulk_mode` drops secondary indexes while loading and builds
them again afterwards, and switches off foreign-key triggers while keeping the app's
own triggers (such as the conversation search-vector trigger) firing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return qn(model._meta.db_table)


def col(model, field_name: str) -> str:
    return qn(model._meta.get_field(field_name).column)


class Loader:
    def __init__(self, *, verbose: bool = True):
        self.verbose = verbose
        self.counts: dict[str, int] = {}
        self.loaded_models: list = []

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)

    def _columns(self, model, fields: Sequence[str]):
        """The provided columns plus constant defaults for every other NOT NULL column."""
        opts = model._meta
        provided = [opts.get_field(name) for name in fields]
        provided_names = {f.name for f in provided}
        extra_fields, extra_values = [], []
        now = timezone.now()
        for field in opts.concrete_fields:
            if field.name in provided_names:
                continue
            if field.primary_key and field.get_internal_type() in {
                "AutoField",
                "BigAutoField",
                "SmallAutoField",
            }:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                continue
            elif field.empty_strings_allowed and field.blank:
                value = field.get_default()  # "" as the ORM would save it
            else:
                raise SystemExit(
                    f"bench/generate.py does not fill the required column "
                    f"{opts.db_table}.{field.column} ({model.__name__}.{field.name}); "
                    "teach the generator about it."
                )
            extra_fields.append(field)
            extra_values.append(field.get_db_prep_save(value, connection))
        columns = [f.column for f in provided] + [f.column for f in extra_fields]
        return columns, tuple(extra_values)

    def copy(self, model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
        """COPY rows (values in `fields` order) into the model's table; returns the count."""
        columns, extras = self._columns(model, fields)
        sql = f"COPY {table(model)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        started = time.monotonic()
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            if extras:
                for row in rows:
                    write((*row, *extras))
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
        self._done(model, count, started)
        return count

    def copy_staged(
        self, model, fields: Sequence[str], rows: Iterable[Sequence], *, chunk_rows: int = 50_000
    ) -> int:
        """COPY through unlogged staging tables, moved over with INSERT … SELECT.

        For tables with row triggers: PostgreSQL runs COPY with a BEFORE ROW trigger
        row by row, several times slower than INSERT … SELECT. A second connection
        moves chunk k while this one stages chunk k+1, so both cores work.
        """
        columns, extras = self._columns(model, fields)
        column_list = ", ".join(qn(c) for c in columns)
        started = time.monotonic()
        worker = _worker_connection()
        count = 0
        pending = None
        with ThreadPoolExecutor(max_workers=1) as executor:
            for index, chunk in enumerate(_chunks(rows, chunk_rows)):
                stage = qn(f"bench_stage_{model._meta.db_table}_{index}")
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {stage}")
                    cursor.execute(
                        f"CREATE UNLOGGED TABLE {stage} AS SELECT {column_list} "
                        f"FROM {table(model)} WITH NO DATA"
                    )
                    with cursor.cursor.copy(f"COPY {stage} ({column_list}) FROM STDIN") as copy:
                        write = copy.write_row
                        for row in chunk:
                            write((*row, *extras) if extras else row)
                count += len(chunk)
                if pending is not None:
                    pending.result()
                pending = executor.submit(
                    worker.execute,
                    f"INSERT INTO {table(model)} ({column_list}) SELECT {column_list} FROM {stage};"
                    f"DROP TABLE {stage}",
                )
            if pending is not None:
                pending.result()
        worker.close()
        self._done(model, count, started)
        return count

    def execute(self, model, sql: str, params: Sequence | None = None) -> int:
        """Run one INSERT … SELECT (or UPDATE) for a model and record the rows it wrote."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = cursor.rowcount
        self._done(model, count, started)
        return count

    def _done(self, model, count: int, started: float) -> None:
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        if model not in self.loaded_models:
            self.loaded_models.append(model)
        self.log(f"{label}: {count:,} rows in {time.monotonic() - started:.1f} s")

    def reset_sequences(self) -> None:
        """Move every identity sequence past the explicit ids the loader wrote."""
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), self.loaded_models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _chunks(rows: Iterable[Sequence], size: int):
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _worker_connection():
    """A second autocommit connection with this session's loading settings."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    worker = psycopg.connect(**params, autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        role = cursor.fetchone()[0]
    worker.execute(f"SET session_replication_role = {role}")
    worker.execute("SET synchronous_commit = off")
    return worker


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max({qn(model._meta.pk.column)}), 0) FROM {table(model)}")
        return cursor.fetchone()[0] + 1


@contextmanager
def bulk_mode(models: Sequence, *, log=print):
    """Load without secondary indexes or FK checks; rebuild the indexes afterwards.

    Foreign keys are not checked while `session_replication_role = replica`; the
    tables' own (non-internal) triggers are set to ENABLE ALWAYS meanwhile so
    that denormalised columns they maintain are still filled, then restored.
    """
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class c ON c.oid = x.indrelid
            WHERE c.relname = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND t.tgenabled = 'O'
            """,
            [tables],
        )
        triggers = cursor.fetchall()
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        for _table, index_name, _definition in indexes:
            cursor.execute(f"DROP INDEX {qn(index_name)}")
        if superuser:
            for table_name, trigger in triggers:
                cursor.execute(f"ALTER TABLE {qn(table_name)} ENABLE ALWAYS TRIGGER {qn(trigger)}")
            cursor.execute("SET session_replication_role = replica")
        else:
            log("not a superuser: foreign keys are checked while loading (slower)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = origin")
                for table_name, trigger in triggers:
                    cursor.execute(f"ALTER TABLE {qn(table_name)} ENABLE TRIGGER {qn(trigger)}")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
            for table_name, index_name, definition in indexes:
                started = time.monotonic()
                cursor.execute(definition)
                log(f"index {index_name} on {table_name}: {time.monotonic() - started:.1f} s")
