"""The registry of indicator extractors.

An extractor is a pure function ``(NormalizedText, Hints) -> Iterable[Indicator]``
whose indicators carry spans of the *original* text (use
:meth:`NormalizedText.to_original`). Each kind lives in its own module; this
module lists them in the order they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Final

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.domain import Indicator

Extractor = Callable[[NormalizedText, Hints], Iterable[Indicator]]

#: (stage name, module, function) for every extractor, in order.
EXTRACTORS: Final[tuple[tuple[str, str, str], ...]] = (
    ("phones", "suar.detect.phones", "extract_phones"),
    ("messaging", "suar.detect.messaging", "extract_messaging"),
    ("urls", "suar.detect.urls", "extract_urls"),
    ("wallets", "suar.detect.wallets", "extract_wallets"),
    ("money", "suar.detect.money", "extract_money"),
    ("places", "suar.detect.places", "extract_places"),
    ("demographics", "suar.detect.demographics", "extract_demographics"),
)


def load_extractors() -> list[tuple[str, Extractor]]:
    """Import every extractor that is present; each module loads its data lazily."""
    loaded: list[tuple[str, Extractor]] = []
    for stage, module_name, function in EXTRACTORS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        loaded.append((stage, getattr(module, function)))
    return loaded
