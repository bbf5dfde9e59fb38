"""Months as `YYYY-MM` strings, in the local time zone."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_of(moment: datetime | date | None = None) -> str:
    if moment is None:
        moment = timezone.now()
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment.year:04d}-{moment.month:02d}"


def check_month(month: str) -> str:
    if not isinstance(month, str) or not MONTH_RE.match(month):
        raise ValidationError({"month": [_("Give the month as YYYY-MM, e.g. 2026-11.")]})
    return month


def shift_month(month: str, delta: int) -> str:
    """The month `delta` months after (negative: before) `month`."""
    year, mon = (int(part) for part in check_month(month).split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
