"""Reading an uploaded CSV or XLSX file with tablib."""

from __future__ import annotations

import csv
import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")


def file_format(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    return extension


def load(content: bytes, fmt: str) -> tablib.Dataset:
    """The file as a dataset whose first row is the header; a broken file is a field error."""
    try:
        if fmt == "xlsx":
            return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        text = content.decode("utf-8-sig")
        first_line = text.split("\n", 1)[0]
        # Excel in Finland and the Netherlands saves CSV with semicolons.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": [_("Save the CSV file as UTF-8 and upload it again.")]}
        ) from None
    except (ValueError, KeyError, OSError, csv.Error, tablib.InvalidDimensions) as exc:
        raise ValidationError(
            {"file": [_("The file could not be read: %(error)s") % {"error": exc}]}
        ) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ValidationError(
            {"file": [_("The file could not be read: %(error)s") % {"error": exc}]}
        ) from None


def headers_of(dataset: tablib.Dataset) -> list[str]:
    return [str(header or "").strip() for header in (dataset.headers or [])]
