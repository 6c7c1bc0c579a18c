"""The UI speaks English and Indonesian completely, and the catalogue is ready for more."""

from __future__ import annotations

import re

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from suar.access import Role
from suar.web.catalog import extract, template_path
from suar.web.i18n import DOMAIN, available_languages, language_name, negotiate, translations

from .nodes import csrf_token, sign_in

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(catalog: Catalog) -> set[str]:
    return {str(message.id) for message in catalog if message.id}


def _read(path: object) -> Catalog:
    with open(str(path), "rb") as handle:
        return read_po(handle)


def test_the_catalogue_template_holds_every_ui_string_and_no_stale_one() -> None:
    extracted = _ids(extract())
    template = _ids(_read(template_path()))
    assert extracted - template == set(), "run `python -m suar.web.catalog` (new UI strings)"
    assert template - extracted == set(), "run `python -m suar.web.catalog` (stale strings)"
    assert len(extracted) > 50


def test_indonesian_translates_every_ui_string_with_the_same_placeholders() -> None:
    assert "id" in available_languages()
    po = template_path().parent / "id" / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = _read(po)
    translated = {str(m.id): m for m in catalog if m.id}
    missing = sorted(_ids(_read(template_path())) - set(translated))
    assert missing == [], f"add to {po}: {missing}"
    for message_id, message in translated.items():
        assert message.string, f"untranslated in id: {message_id!r}"
        assert not message.fuzzy, f"fuzzy in id: {message_id!r}"
        assert sorted(_PLACEHOLDER.findall(str(message.string))) == sorted(
            _PLACEHOLDER.findall(message_id)
        ), message_id
    assert list(catalog.check()) == []


def test_every_catalogue_compiles_when_loaded() -> None:
    for lang in available_languages():
        assert translations(lang).gettext("Sign in") in {"Sign in", "Masuk"}


def test_languages_are_offered_in_their_own_names() -> None:
    assert language_name("en") == "English"
    assert language_name("id") == "Indonesia"


def test_the_browsers_language_is_honoured_when_the_node_has_it() -> None:
    offered = ("en", "id")
    assert negotiate("id-ID,id;q=0.9,en;q=0.8", offered, "en") == "id"
    assert negotiate("th-TH,th;q=0.9", offered, "en") == "en"
    assert negotiate("fr;q=0.9,id;q=0.5", offered, "en") == "id"
    assert negotiate("id;q=0,en", offered, "en") == "en"
    assert negotiate(None, offered, "id") == "id"


def test_the_login_page_is_indonesian_for_an_indonesian_browser(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "id-ID,id;q=0.9"})
    assert '<html lang="id">' in page.text
    assert "Masuk ke Suar" in page.text


def test_the_language_switcher_keeps_the_choice_and_the_page(client: TestClient) -> None:
    sign_in(client, Role.AUDITOR)
    token = csrf_token(client, "/audit")
    switched = client.post("/language", data={"lang": "id", "next": "/audit", "csrf_token": token})
    assert switched.status_code == 303 and switched.headers["location"] == "/audit"
    page = client.get("/audit")
    assert '<html lang="id">' in page.text
    for text in ("Jejak audit", "Pelaku", "Tindakan", "Keluar", "Waktu"):
        assert text in page.text, text
    # An unknown language changes nothing.
    client.post("/language", data={"lang": "xx", "next": "/", "csrf_token": token})
    assert '<html lang="id">' in client.get("/").text


def test_an_indonesian_page_shows_no_english_ui_string(client: TestClient) -> None:
    sign_in(client, Role.ADMIN)
    token = csrf_token(client, "/")
    client.post("/language", data={"lang": "id", "next": "/", "csrf_token": token})
    page = client.get("/").text
    for english in ("Dashboard", "Sign out", "Preferences", "Welcome", "Users", "API access"):
        assert f">{english}<" not in page and f"{english}," not in page, english
    assert "Selamat datang, Admin Tester" in page
