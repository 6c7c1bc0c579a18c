"""Settings read from the environment (prefix ``SUAR_``).

Nothing is read at import: call :func:`load_settings` where the settings are
needed (the CLI callback, an app factory) and pass the object down.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
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

    secret_key_file: Path | None = Field(
        default=None,
        description=(
            "File holding the web node's secret (at least 32 random bytes) that signs session "
            "cookies and CSRF tokens. Unset: web-secret.key in the key directory, created on "
            "first start. Placeholder or short secrets are refused."
        ),
    )
    session_lifetime: timedelta = Field(
        default=timedelta(hours=8),
        gt=timedelta(0),
        description=(
            "How long a web sign-in lasts at most, however active (seconds or ISO 8601, PT8H)."
        ),
    )
    session_idle_timeout: timedelta = Field(
        default=timedelta(minutes=30),
        gt=timedelta(0),
        description="A web session unused for this long ends (seconds or ISO 8601, PT30M).",
    )
    login_rate_limit: int = Field(
        default=5,
        ge=1,
        description=(
            "Failed web sign-ins allowed for one username from one IP address within "
            "login_rate_window; further attempts are refused until the oldest failure expires."
        ),
    )
    login_rate_limit_ip: int = Field(
        default=20,
        ge=1,
        description=(
            "Failed web sign-ins allowed from one IP address, whatever the usernames, "
            "within login_rate_window."
        ),
    )
    login_rate_window: timedelta = Field(
        default=timedelta(minutes=15),
        gt=timedelta(0),
        description="The window the login rate limits count failures in (seconds or ISO 8601).",
    )
    default_language: str = Field(
        default="en",
        description=(
            "Language of the web UI when neither the user nor the browser picks one the node "
            "has (en, id)."
        ),
    )
    default_timezone: str = Field(
        default="UTC",
        description=(
            "IANA time zone the web UI shows times in when neither the user nor the browser "
            "gives one (times are stored in UTC)."
        ),
    )

    @field_validator("session_lifetime", "session_idle_timeout", "login_rate_window", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        # The environment gives strings: read a bare number as seconds, like ISO 8601's PT600S.
        if isinstance(value, str) and value.strip().isdigit():
            return timedelta(seconds=int(value.strip()))
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name") from exc
        return value

    def keys_path(self) -> Path:
        """The key directory: ``key_dir`` when set, else ``<data_dir>-keys`` beside the data dir."""
        if self.key_dir is not None:
            return self.key_dir.expanduser()
        data_dir = self.data_dir.expanduser()
        return data_dir.parent / f"{data_dir.name}-keys"

    def secret_key_path(self) -> Path:
        """The web secret file: ``secret_key_file`` when set, else in the key directory."""
        if self.secret_key_file is not None:
            return self.secret_key_file.expanduser()
        return self.keys_path() / "web-secret.key"


def load_settings() -> Settings:
    """Read the settings from the environment."""
    return Settings()
