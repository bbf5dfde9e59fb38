from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path
    for pattern in ("*/locale/*/LC_MESSAGES/django.po", "locale/*/LC_MESSAGES/django.po")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def test_every_catalogue_exists_in_finnish_and_dutch():
    domains = {p.parent.parent.parent for p in CATALOGUES}
    assert domains, "no translation catalogues found"
    for locale_dir in domains:
        for language in ("fi", "nl"):
            assert (locale_dir / language / "LC_MESSAGES" / "django.po").is_file(), locale_dir


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    po = polib.pofile(str(catalogue))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Log in to Silta"), ("fi", "Kirjaudu Siltaan"), ("nl", "Inloggen bij Silta")],
)
def test_login_page_follows_accept_language(client, db, language, heading):
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html


def test_language_switcher_changes_the_language(client, sales_user):
    client.force_login(sales_user)
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="nl"' in html
    assert "Uitloggen" in html


def test_our_wording_wins_over_django_admins_for_shared_words(client, sales_user):
    # Django admin translates "Save" as "Tallenna ja poistu"; our forms mean plain "Tallenna".
    client.force_login(sales_user)
    html = client.get("/crm/accounts/new/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert ">Tallenna</button>" in html
    assert "Tallenna ja poistu" not in html
