"""One exception root for Suar, with structured subclasses.

Lower-level errors (I/O, drivers, crypto) are wrapped at the boundary with
``raise SuarError(...) from exc`` so that callers handle one family.
"""

from __future__ import annotations


class SuarError(Exception):
    """Root of every error Suar raises on purpose."""

    #: short machine-readable code, stable across versions
    code: str = "suar_error"

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


class ConfigError(SuarError):
    """A setting or an argument is invalid."""

    code = "config_error"


class InputError(SuarError):
    """An input (file, record, request body) cannot be read or is malformed."""

    code = "input_error"


class DataError(SuarError):
    """A data file shipped with Suar (vocabulary, gazetteer, rates) is invalid."""

    code = "data_error"
