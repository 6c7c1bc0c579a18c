"""Jinja2 templates of the UI: autoescaped, strict about undefined names, translated.

One environment per language, each with that language's gettext installed
(Jinja's i18n extension, new-style: ``{{ _("Sign in") }}`` and
``{{ _("%(n)s entries", n=count) }}`` are escaped like any other value).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from suar.web.i18n import translations


class Templates:
    """The UI's templates, rendered in a given language."""

    def __init__(self) -> None:
        self._loader = PackageLoader("suar.web", "templates")
        self._environments: dict[str, Environment] = {}
        self._lock = threading.Lock()

    def environment(self, lang: str) -> Environment:
        """The environment that renders in ``lang`` (built on first use)."""
        with self._lock:
            env = self._environments.get(lang)
            if env is None:
                env = Environment(
                    loader=self._loader,
                    autoescape=True,
                    undefined=StrictUndefined,
                    extensions=["jinja2.ext.i18n"],
                    trim_blocks=True,
                    lstrip_blocks=True,
                )
                env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
                self._environments[lang] = env
            return env

    def render(self, lang: str, name: str, values: Mapping[str, Any]) -> str:
        """The template ``name`` rendered in ``lang`` with ``values``."""
        return self.environment(lang).get_template(name).render(values)
