"""Translations of the web UI (Babel, gettext domain ``suar-web``).

English is the source language: its strings are the message ids. Other
languages live in ``suar/locale/<lang>/LC_MESSAGES/suar-web.po``, next to the
template ``suar/locale/suar-web.pot``. The ``.po`` files are compiled in
memory when a language is first used (and cached), so no compiled ``.mo``
file is kept in the repository or can go stale; a ``.po`` file that does not
parse raises :class:`DataError` naming it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from suar.errors import DataError

logger = logging.getLogger(__name__)

#: The gettext domain of the web UI (other parts of Suar use their own).
DOMAIN: Final = "suar-web"
#: The language the UI is written in.
SOURCE_LANGUAGE: Final = "en"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it yet (translated when shown)."""
    return message


def locale_dir() -> Traversable:
    """The ``suar/locale`` directory inside the package."""
    return resources.files("suar").joinpath("locale")


def _catalogue(lang: str) -> Traversable:
    return locale_dir().joinpath(lang, "LC_MESSAGES", f"{DOMAIN}.po")


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Languages the UI can be shown in: English and every language with a catalogue."""
    found = {SOURCE_LANGUAGE}
    root = locale_dir()
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and _catalogue(entry.name).is_file():
                found.add(entry.name)
    return tuple(sorted(found))


@lru_cache(maxsize=64)
def translations(lang: str) -> NullTranslations:
    """The compiled translations for ``lang`` (no-op ones for English or an unknown code)."""
    if lang == SOURCE_LANGUAGE or lang not in available_languages():
        return NullTranslations()
    source = _catalogue(lang)
    try:
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as exc:
        raise DataError(f"cannot read the {lang} UI catalogue {source}: {exc}") from exc
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def language_name(lang: str) -> str:
    """The language's name in itself ("English", "Indonesia"), for the language switcher."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def negotiate(accept_language: str | None, offered: Iterable[str], default: str) -> str:
    """The best of ``offered`` for an ``Accept-Language`` header, else ``default``."""
    choices = list(offered)
    if accept_language:
        wanted = []
        for part in accept_language.split(","):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            if tag and quality > 0:
                wanted.append((quality, tag.strip()))
        wanted.sort(key=lambda item: -item[0])
        best = Locale.negotiate([tag for _, tag in wanted], choices, sep="-")
        if best is not None:
            return str(best)
    return default
