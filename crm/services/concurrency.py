"""Optimistic concurrency: an edit names the version it started from; a stale one is refused."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone saved the record after the editor loaded it; `current` is the saved row."""

    def __init__(self, *, current: models.Model, expected: int | None):
        self.current = current
        self.expected = expected
        super().__init__(
            _("Someone else saved this record while you were editing it (version %(n)d).")
            % {"n": current.version}
        )


def claim_version(instance: models.Model, *, expected: int | None) -> int:
    """Move the row's version on with a conditional UPDATE; raise EditConflict when stale.

    `instance` holds the row as read in this transaction; `expected` is the version the
    editor started from (None: the one just read). Returns the new version.
    """
    if expected is None:
        expected = instance.version
    manager = type(instance)._base_manager
    moved = manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1)
    if not moved:
        raise EditConflict(current=manager.get(pk=instance.pk), expected=expected)
    instance.version = expected + 1
    return instance.version
