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


def load_settings() -> Settings:
    """Read the settings from the environment."""
    return Settings()
