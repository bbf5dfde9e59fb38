"""HubSpot- and Pipedrive-style export files, written by the tests themselves."""

from __future__ import annotations

import csv
import io

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

HUBSPOT_COMPANIES = [
    ["Record ID", "Company name", "Business ID", "Country/Region", "Industry", "Website URL"],
    ["101", "Lahden Lämpö Oy", "1234567-8", "Finland", "Energy", "lahdenlampo.fi"],
    ["102", "Kuopion Konepaja Oy", "2345678-9", "FI", "Manufacturing", ""],
    ["103", "Van der Berg Logistiek B.V.", "NL12345678", "Netherlands", "Logistics", ""],
    ["104", "", "3456789-0", "Finland", "Retail", ""],  # no name: refused
    ["105", "Atlantis Trading", "", "Atlantis", "Retail", ""],  # unknown country: refused
]

PIPEDRIVE_DEALS = [
    [
        "Deal - Title",
        "Deal - Organization",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Expected close date",
        "Deal - Lost reason",
    ],
    [
        "Lämpöpumput 2027",
        "Lahden Lämpö Oy",
        "12 500,00",
        "EUR",
        "Proposal Made",
        "open",
        "2027-03-31",
        "",
    ],
    ["Varaosasopimus", "Kuopion Konepaja Oy", "8000", "EUR", "Contact Made", "won", "", ""],
    [
        "Magazijnrobot",
        "Van der Berg Logistiek B.V.",
        "40000",
        "EUR",
        "Negotiations Started",
        "lost",
        "",
        "",
    ],
    ["Kylmäketju", "Nobody Oy", "1000", "EUR", "Lead In", "open", "", ""],
]


def csv_upload(
    rows: list[list], name: str = "export.csv", delimiter: str = ","
) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[list], name: str = "export.xlsx") -> SimpleUploadedFile:
    dataset = tablib.Dataset(*rows[1:], headers=rows[0])
    return SimpleUploadedFile(
        name,
        dataset.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
