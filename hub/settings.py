"""One settings object, built from the environment when a process starts (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


class Secret(str):
    """A string that never shows its value in a repr or a log line."""

    def __repr__(self) -> str:
        return "Secret('***')"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mash-hub"


def _redact_url(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


@dataclass(frozen=True)
class Settings:
    database_url: Secret
    kafka_bootstrap: str | None = None
    topic_prefix: str = "mash."
    consumer_group: str = "mash-pipeline"
    max_event_bytes: int = 64 * 1024
    max_request_bytes: int = 256 * 1024
    poll_max_records: int = 200
    data_dir: Path = field(default_factory=_default_data_dir)
    model_path: Path | None = None
    secret_key: Secret | None = None
    idle_timeout_minutes: int = 15
    login_rate_limit: str = "10 per minute"
    trust_proxy: int = 0  # proxies in front that set X-Forwarded-For/-Proto (for HSTS)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("MASH_DATA_DIR") or _default_data_dir())
        values: dict[str, object] = {
            "database_url": Secret(
                env.get("MASH_DATABASE_URL") or f"sqlite:///{data_dir / 'mash.db'}"
            ),
            "kafka_bootstrap": env.get("MASH_KAFKA_BOOTSTRAP") or None,
            "topic_prefix": env.get("MASH_TOPIC_PREFIX", "mash."),
            "consumer_group": env.get("MASH_CONSUMER_GROUP", "mash-pipeline"),
            "max_event_bytes": int(env.get("MASH_MAX_EVENT_BYTES", 64 * 1024)),
            "max_request_bytes": int(env.get("MASH_MAX_REQUEST_BYTES", 256 * 1024)),
            "poll_max_records": int(env.get("MASH_POLL_MAX_RECORDS", 200)),
            "data_dir": data_dir,
            "model_path": Path(env["MASH_MODEL_PATH"]) if env.get("MASH_MODEL_PATH") else None,
            "secret_key": Secret(env["MASH_SECRET_KEY"]) if env.get("MASH_SECRET_KEY") else None,
            "idle_timeout_minutes": int(env.get("MASH_IDLE_TIMEOUT_MINUTES", 15)),
            "login_rate_limit": env.get("MASH_LOGIN_RATE_LIMIT", "10 per minute"),
            "trust_proxy": int(env.get("MASH_TRUST_PROXY", 0)),
        }
        values.update(overrides)
        for name in ("database_url", "secret_key"):
            if isinstance(values[name], str) and not isinstance(values[name], Secret):
                values[name] = Secret(values[name])
        return cls(**values)  # type: ignore[arg-type]

    @property
    def bus_kind(self) -> str:
        return "kafka" if self.kafka_bootstrap else "embedded"

    @property
    def concerns_topic(self) -> str:
        return f"{self.topic_prefix}concerns"

    @property
    def deadletter_topic(self) -> str:
        return f"{self.topic_prefix}deadletter"

    @property
    def linked_topic(self) -> str:
        return f"{self.topic_prefix}linked"

    def describe(self) -> str:
        """A one-line summary safe for logs: the database password is masked."""
        return (
            f"database={_redact_url(str(self.database_url))} bus={self.bus_kind}"
            f" bootstrap={self.kafka_bootstrap or '-'} topics={self.topic_prefix}*"
        )
