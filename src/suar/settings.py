"""Settings read from the environment (prefix ``SUAR_``).

Nothing is read at import: call :func:`load_settings` where the settings are
needed (the CLI callback, an app factory) and pass the object down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "suar"


class Settings(BaseSettings):
    """Every setting Suar reads. Each field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="SUAR_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Directory for the node's embedded database and working files.",
    )
    log_level: str = Field(
        default="WARNING",
        description="Level of Suar's log messages on stderr (DEBUG, INFO, WARNING, ERROR).",
    )
    default_country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 country assumed for phone numbers written without a country code.",
    )

    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the node's database. Unset: the SQLite file suar.db in the "
            "data directory. PostgreSQL: postgresql+psycopg://USER[:PASSWORD]@HOST[:PORT]/DB "
            "(postgresql:// is read as psycopg 3)."
        ),
    )
    key_dir: Path | None = Field(
        default=None,
        description=(
            "Directory holding the node's private keys (mode 0700, files 0600), kept outside "
            "the database and the data directory. Unset: a sibling of the data directory "
            "named after it with '-keys' appended (~/.local/share/suar-keys by default)."
        ),
    )
    actor: str | None = Field(
        default=None,
        description=(
            "Username the command line acts as, with that user's roles. Unset: the local "
            "operator (whoever can run commands on the node's files), who holds the admin "
            "and analyst roles."
        ),
    )

    def keys_path(self) -> Path:
        """The key directory: ``key_dir`` when set, else ``<data_dir>-keys`` beside the data dir."""
        if self.key_dir is not None:
            return self.key_dir.expanduser()
        data_dir = self.data_dir.expanduser()
        return data_dir.parent / f"{data_dir.name}-keys"


def load_settings() -> Settings:
    """Read the settings from the environment."""
    return Settings()
