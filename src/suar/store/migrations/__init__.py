"""Alembic migrations of the node database, run by ``suar db upgrade``."""
