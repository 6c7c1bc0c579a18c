"""Fixtures for the audit tests: a trail with entries, and an attacker with database access."""

from __future__ import annotations

import pytest

from suar.store import Database

from .tampering import Attacker, fill


@pytest.fixture
def trail(db: Database) -> Database:
    """A database whose trail holds entries 1..10."""
    fill(db, 10)
    return db


@pytest.fixture
def attacker(trail: Database) -> Attacker:
    return Attacker(trail)
