"""Errors raised by the storage layer, translated from driver errors at its boundary."""

from __future__ import annotations

from suar.errors import SuarError


class StoreError(SuarError):
    """The database cannot be reached, is not initialised, or refused an operation."""

    code = "store_error"


class SchemaOutOfDate(StoreError):
    """The database schema is not at the revision this version of Suar expects."""

    code = "schema_out_of_date"


class Conflict(StoreError):
    """A write collides with what is already stored (a duplicate key)."""

    code = "conflict"
