"""Import runs for other apps' tests (e.g. a finished run in the history)."""

import factory

from tests.factories import UserFactory
from transfer.models import ImportRun


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    created_by = factory.SubFactory(UserFactory, roles=["sales"])
    kind = ImportRun.Kind.ACCOUNTS
    preset = ImportRun.Preset.CUSTOM
    filename = "accounts.csv"
    file_format = "csv"
    content = b"name\nLahden L\xc3\xa4mp\xc3\xb6 Oy\n"
    headers = factory.LazyFunction(lambda: ["name"])
    mapping = factory.LazyFunction(lambda: {"name": "name"})
    total_rows = 1
