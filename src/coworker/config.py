"""Settings: the one place environment variables are read.

Every real part switches on by setting its variable (docs/ARCHITECTURE.md); with nothing set, the
service runs on embedded defaults: SQLite in the data directory, the embedded sandbox CRM
and the offline model. Names people already know (DATABASE_URL, ANTHROPIC_API_KEY,
DIALSHEET_*) are read as they are; the project's own knobs carry the COWORKER_ prefix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coworker.errors import ConfigError

PLACEHOLDERS = frozenset({"changeme", "change-me"})  # refused as secrets in production
MIN_WEB_SECRET_BYTES = 32  # HS256's own key size (RFC 7518 §3.2)
MAX_BODY_BYTES = 1024 * 1024  # /api, /mcp and the sandbox CRM: a 20k-char message is ~120 KB
SLACK_MAX_BODY_BYTES = 256 * 1024  # Slack's events and interactions are a few KB


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "dialsheet-coworker"


class Settings(BaseSettings):
    # An empty variable (`ANTHROPIC_API_KEY=` in a .env file, say) means unset, for every
    # setting and from the environment and the .env file alike: otherwise an empty key
    # switches Claude on with no key while other code reads it as absent.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    environment: Literal["development", "production"] = Field(
        "development", validation_alias=_env("COWORKER_ENV")
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir, validation_alias=_env("COWORKER_DATA_DIR")
    )
    database_url: str | None = Field(None, validation_alias=_env("DATABASE_URL"))
    host: str = Field("127.0.0.1", validation_alias=_env("COWORKER_HOST"))
    port: int = Field(8000, validation_alias=_env("COWORKER_PORT"))
    sandbox_port: int = Field(8100, ge=0, validation_alias=_env("COWORKER_SANDBOX_PORT"))

    # The CRM. Unset base URL means the embedded sandbox.
    dialsheet_base_url: str | None = Field(None, validation_alias=_env("DIALSHEET_BASE_URL"))
    dialsheet_api_key: SecretStr | None = Field(None, validation_alias=_env("DIALSHEET_API_KEY"))
    # The CRM's OpenAPI contract with its `x-coworker` tool profiles; unset: the packaged one.
    # A CRM with more operations (declared there) gets their tools with no code.
    dialsheet_contract: Path | None = Field(None, validation_alias=_env("DIALSHEET_CONTRACT"))
    dialsheet_timeout_seconds: float = Field(
        30.0, gt=0, validation_alias=_env("COWORKER_DIALSHEET_TIMEOUT")
    )
    dialsheet_max_retries: int = Field(
        3, ge=0, le=10, validation_alias=_env("COWORKER_DIALSHEET_RETRIES")
    )

    # The sandbox CRM: where it keeps its data, and the faults it injects for reliability tests.
    sandbox_database_url: str | None = Field(
        None, validation_alias=_env("COWORKER_SANDBOX_DATABASE_URL")
    )
    sandbox_latency_ms: float = Field(
        0.0, ge=0, validation_alias=_env("COWORKER_SANDBOX_LATENCY_MS")
    )
    sandbox_error_rate: float = Field(
        0.0, ge=0, le=1, validation_alias=_env("COWORKER_SANDBOX_ERROR_RATE")
    )
    sandbox_timeout_rate: float = Field(
        0.0, ge=0, le=1, validation_alias=_env("COWORKER_SANDBOX_TIMEOUT_RATE")
    )
    sandbox_timeout_seconds: float = Field(
        60.0, ge=0, validation_alias=_env("COWORKER_SANDBOX_TIMEOUT_SECONDS")
    )
    sandbox_rate_limit_rate: float = Field(
        0.0, ge=0, le=1, validation_alias=_env("COWORKER_SANDBOX_RATE_LIMIT_RATE")
    )
    sandbox_retry_after_seconds: int = Field(
        1, ge=0, validation_alias=_env("COWORKER_SANDBOX_RETRY_AFTER")
    )
    sandbox_fault_seed: int | None = Field(
        None, validation_alias=_env("COWORKER_SANDBOX_FAULT_SEED")
    )
    # Only requests with these methods suffer faults ("POST": sends and creates); empty: all.
    sandbox_fault_methods: str = Field("", validation_alias=_env("COWORKER_SANDBOX_FAULT_METHODS"))

    # Which risks wait for approval (read, write, outbound, destructive).
    confirm_risks: str = Field("outbound,destructive", validation_alias=_env("COWORKER_CONFIRM"))
    allow_unconfirmed: bool = Field(False, validation_alias=_env("COWORKER_ALLOW_UNCONFIRMED"))
    action_ttl_hours: float = Field(24.0, gt=0, validation_alias=_env("COWORKER_ACTION_TTL_HOURS"))
    # An approved action still `executing` after this long was claimed by a process that died;
    # it is recovered to `unknown` (agent/recovery.py). None: derived from the CRM timeout.
    executing_lease_seconds: float | None = Field(
        None, gt=0, validation_alias=_env("COWORKER_EXECUTING_LEASE_SECONDS")
    )
    recovery_interval_seconds: float = Field(
        60.0, gt=0, validation_alias=_env("COWORKER_RECOVERY_INTERVAL_SECONDS")
    )
    max_steps: int = Field(12, ge=1, le=100, validation_alias=_env("COWORKER_MAX_STEPS"))
    # Actions one person may have waiting for approval at once, from every channel together.
    max_pending_actions: int = Field(
        50, ge=1, le=10_000, validation_alias=_env("COWORKER_MAX_PENDING_ACTIONS")
    )
    # Gated actions one model response may propose together as a batch (one card, one
    # decision); a response proposing more is refused whole (agent/gating.py).
    max_batch_actions: int = Field(
        25, ge=1, le=1_000, validation_alias=_env("COWORKER_MAX_BATCH_ACTIONS")
    )
    max_message_chars: int = Field(
        20_000, ge=1, validation_alias=_env("COWORKER_MAX_MESSAGE_CHARS")
    )
    approvers: str = Field("", validation_alias=_env("COWORKER_APPROVERS"))

    # The web channel and secrets at rest.
    web_secret: SecretStr | None = Field(None, validation_alias=_env("COWORKER_WEB_SECRET"))
    secret_key: SecretStr | None = Field(None, validation_alias=_env("COWORKER_SECRET_KEY"))
    allowed_origins: str = Field("", validation_alias=_env("COWORKER_ALLOWED_ORIGINS"))
    rate_limit_per_minute: int = Field(30, ge=1, validation_alias=_env("COWORKER_RATE_LIMIT"))

    # Slack: HTTP mode at /slack/events needs the bot token and signing secret; the app-level
    # token (xapp-) switches on Socket Mode; the base URL points the Web API elsewhere (tests).
    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_base_url: str | None = Field(None, validation_alias=_env("SLACK_API_BASE_URL"))

    # The daily-summary scheduler inside `coworker serve` (off for cron-only installs).
    scheduler_enabled: bool = Field(True, validation_alias=_env("COWORKER_SCHEDULER"))

    # Logs: JSON lines for collectors, text for a person at a terminal ("auto": JSON unless
    # stderr is a terminal). CRM data is personal data, so message text, tool payloads and
    # result contents stay out of the logs unless COWORKER_LOG_CONTENT=1 (debugging only).
    log_format: Literal["auto", "json", "text"] = Field(
        "auto", validation_alias=_env("COWORKER_LOG_FORMAT")
    )
    log_content: bool = Field(False, validation_alias=_env("COWORKER_LOG_CONTENT"))
    # The person's editor, for multi-line edits of a card in `coworker chat`; unset: a
    # multi-line prompt in the terminal itself.
    editor: str | None = Field(None, validation_alias=_env("VISUAL", "EDITOR"))

    # Request bodies: the most bytes each surface reads. A larger body is refused with 413
    # before routing, authentication or parsing (guards/body.py); Slack's payloads are small.
    max_body_bytes: int = Field(
        MAX_BODY_BYTES, ge=1024, validation_alias=_env("COWORKER_MAX_BODY_BYTES")
    )
    mcp_max_body_bytes: int = Field(
        MAX_BODY_BYTES, ge=1024, validation_alias=_env("COWORKER_MCP_MAX_BODY_BYTES")
    )
    slack_max_body_bytes: int = Field(
        SLACK_MAX_BODY_BYTES, ge=1024, validation_alias=_env("COWORKER_SLACK_MAX_BODY_BYTES")
    )
    sandbox_max_body_bytes: int = Field(
        MAX_BODY_BYTES, ge=1024, validation_alias=_env("COWORKER_SANDBOX_MAX_BODY_BYTES")
    )

    # The model. No key means the offline model.
    anthropic_api_key: SecretStr | None = Field(None, validation_alias=_env("ANTHROPIC_API_KEY"))
    anthropic_base_url: str | None = Field(None, validation_alias=_env("ANTHROPIC_BASE_URL"))
    model: str | None = Field(None, validation_alias=_env("COWORKER_MODEL"))  # None: SDK default

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        key = self.dialsheet_api_key.get_secret_value() if self.dialsheet_api_key else ""
        if key in {"ds_your_api_key", *PLACEHOLDERS}:
            raise ConfigError("DIALSHEET_API_KEY is a placeholder; set a real key in production")
        if self.dialsheet_base_url is None:
            raise ConfigError(
                "COWORKER_ENV=production needs DIALSHEET_BASE_URL (the sandbox is for development)"
            )
        web_secret = self.web_secret.get_secret_value() if self.web_secret else ""
        if not web_secret.strip() or web_secret in PLACEHOLDERS:
            raise ConfigError(
                "COWORKER_ENV=production needs COWORKER_WEB_SECRET (a real secret): without it "
                "every caller of /api and /mcp is the local user"
            )
        if not self.web_secret_is_strong:
            raise ConfigError(
                f"COWORKER_WEB_SECRET must be at least {MIN_WEB_SECRET_BYTES} bytes in "
                "production: one token is enough to guess a short HMAC secret offline, and "
                "the guess signs tokens for anyone (`openssl rand -hex 32` makes one)"
            )
        return self

    @property
    def web_secret_is_strong(self) -> bool:
        """Long enough that a token cannot be brute-forced back to its HMAC-SHA256 secret."""
        secret = self.web_secret.get_secret_value() if self.web_secret else ""
        return len(secret.encode("utf-8")) >= MIN_WEB_SECRET_BYTES

    @property
    def slack_enabled(self) -> bool:
        """HTTP mode needs the signing secret; Socket Mode the app-level token instead."""
        return self.slack_bot_token is not None and (
            self.slack_signing_secret is not None or self.slack_app_token is not None
        )

    @property
    def uses_embedded_sandbox(self) -> bool:
        return self.dialsheet_base_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; tests build their own `Settings(...)`."""
    return Settings()
