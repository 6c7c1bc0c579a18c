"""The UI's message catalogue template: extracted from the templates and the web code.

Run ``python -m suar.web.catalog`` after changing UI text: it rewrites
``src/suar/locale/suar-web.pot``. Then bring each language up to date with
``pybabel update -D suar-web -i src/suar/locale/suar-web.pot -d src/suar/locale``
and translate what is new; ``tests/web/test_i18n.py`` fails while the
template is stale or a language misses a message. Start a new language with
``pybabel init -D suar-web -i src/suar/locale/suar-web.pot -d src/suar/locale -l th``.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import write_po

from suar import __version__
from suar.web.i18n import DOMAIN

#: Fixed, so that regenerating the template changes it only when messages change.
_POT_DATE: Final = datetime(2025, 1, 1, tzinfo=UTC)
_WEB_DIR: Final = Path(__file__).resolve().parent
_METHODS: Final = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
_OPTIONS: Final = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"},
    "**.py": {},
}


def template_path() -> Path:
    """Where the catalogue template lives in the source tree."""
    return _WEB_DIR.parent / "locale" / f"{DOMAIN}.pot"


def extract() -> Catalog:
    """Every translatable message of the UI, with the files it appears in."""
    catalog = Catalog(
        project="Suar",
        version=__version__,
        domain=DOMAIN,
        copyright_holder="The Suar authors",
        charset="utf-8",
        creation_date=_POT_DATE,
        revision_date=_POT_DATE,
        fuzzy=False,
    )
    found = extract_from_dir(
        str(_WEB_DIR), method_map=_METHODS, options_map=_OPTIONS, keywords=DEFAULT_KEYWORDS
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(f"suar/web/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def render_template() -> bytes:
    """The ``.pot`` file's bytes: sorted messages, locations without line numbers."""
    out = io.BytesIO()
    write_po(out, extract(), sort_output=True, include_lineno=False, width=100)
    return out.getvalue()


def main() -> None:
    """Rewrite the catalogue template in the source tree (or stdout with ``-``)."""
    data = render_template()
    if sys.argv[1:] == ["-"]:
        sys.stdout.buffer.write(data)
        return
    template_path().write_bytes(data)


if __name__ == "__main__":
    main()
