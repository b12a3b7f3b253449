"""The one place that reads the environment.

Every process (the Reflex backend, the alembic run, the realtime service, the
tests) asks :func:`get_settings` and gets the same frozen object, so a typo in
the environment fails once, at start-up, with one line naming the variable
instead of surfacing later as an odd runtime error.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "production")
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg2")
MIN_PRODUCTION_SECRET_LENGTH = 32
MEGABYTE = 1024 * 1024
DAY = 86400
# Development has no proxy in front unless one runs on this machine.
DEVELOPMENT_TRUSTED_PROXIES = "127.0.0.1/32,::1/128"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    """Validated configuration; see `.env.example` for each variable."""

    app_env: str
    database_url: str | None
    data_dir: Path
    upload_dir: Path
    jwt_secret: str
    jwt_issuer: str
    jwt_audience: str
    jwt_ttl_seconds: int
    frontend_port: int
    backend_port: int
    api_url: str | None
    trusted_proxies: tuple[IPNetwork, ...]
    public_url: str | None
    sign_in_max_failures: int
    sign_in_window_seconds: int
    sign_in_address_max_failures: int
    sign_in_address_window_seconds: int
    sign_in_account_max_failures: int
    sign_in_account_window_seconds: int
    sign_up_max_per_address: int
    sign_up_window_seconds: int
    send_burst_max: int
    send_burst_seconds: int
    send_sustained_max: int
    send_sustained_seconds: int
    migrate_on_start: bool
    max_upload_bytes: int
    max_image_pixels: int
    file_url_ttl_seconds: int
    upload_sweep_grace_seconds: int
    upload_sweep_interval_seconds: int
    realtime_host: str
    realtime_port: int
    realtime_event_retention_seconds: int
    realtime_url: str
    realtime_autostart: bool
    realtime_max_sockets_per_user: int
    realtime_max_sockets_per_address: int
    socket_heartbeat_seconds: int

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """The origins browsers may call the backend from with credentials (CORS, and
        the origin Reflex's websocket accepts): the public origin in production;
        any origin in development, where the frontend has a port of its own (and
        a ``.env`` written for compose may name the production address)."""
        address = self.public_url or self.api_url
        if not self.is_production or address is None:
            return ("*",)
        return (origin_of(address),)


def _text(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    value = env.get(name, "").strip()
    return value or default


def _integer(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"must be between {low} and {high}, got {value}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    return _integer(env, name, default, low=1, high=65535)


def normalize_database_url(variable: str, url: str) -> str:
    """Return the URL with the psycopg2 driver named explicitly.

    SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which is not
    installed; anything that is not PostgreSQL is refused outright.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in POSTGRES_SCHEMES:
        shown = scheme if sep else url
        raise ConfigError(
            variable, f"must be a PostgreSQL URL (postgresql://user:pass@host/db), got {shown!r}"
        )
    if not urlsplit(url).path.strip("/") and "host=" not in url:
        raise ConfigError(variable, "must name a database, e.g. postgresql://host/chat")
    return f"postgresql+psycopg2://{rest}"


def _database_url(env: Mapping[str, str]) -> str | None:
    raw = _text(env, "DATABASE_URL")
    return None if raw is None else normalize_database_url("DATABASE_URL", raw)


def _development_secret(data_dir: Path) -> str:
    """Generate a signing key once and keep it, so restarts keep people signed in.

    The file appears whole or not at all (written aside, then hard-linked into
    place), so processes starting together agree on one key; an empty file
    left by an interrupted start is replaced.
    """
    path = data_dir / "jwt_secret"
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    draft = data_dir / f".jwt_secret.{os.getpid()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, path)
    except FileExistsError:
        if not path.read_text().strip():
            os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text().strip()


def _jwt_secret(env: Mapping[str, str], app_env: str, data_dir: Path) -> str:
    secret = _text(env, "JWT_SECRET")
    if app_env == "production":
        if secret is None:
            raise ConfigError("JWT_SECRET", "is required when APP_ENV=production")
        if len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            raise ConfigError(
                "JWT_SECRET",
                f"must be at least {MIN_PRODUCTION_SECRET_LENGTH} characters in production",
            )
        return secret
    return secret or _development_secret(data_dir)


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _text(env, name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(name, f"must be true or false, got {raw!r}")


def _path(env: Mapping[str, str], name: str, default: str) -> Path:
    path = Path(_text(env, name, default) or default)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _networks(env: Mapping[str, str], name: str, default: str) -> tuple[IPNetwork, ...]:
    """A comma-separated list of CIDRs (a bare address is one host); "none" for none."""
    raw = _text(env, name, default) or ""
    if raw.lower() == "none":
        return ()
    networks = []
    for part in raw.split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                name, f"must be addresses or CIDRs separated by commas, got {part.strip()!r}"
            ) from None
    return tuple(networks)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as a browser sends it in ``Origin``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _public_url(env: Mapping[str, str], app_env: str, api_url: str | None) -> str | None:
    url = _text(env, "PUBLIC_URL")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("PUBLIC_URL", f"must be an http(s):// address, got {url!r}")
    elif app_env == "production" and api_url is None:
        raise ConfigError(
            "PUBLIC_URL", "is required when APP_ENV=production (the address people open)"
        )
    return url


def _realtime_url(env: Mapping[str, str], app_env: str, port: int) -> str:
    """Where browsers open the realtime socket: an absolute URL or a same-origin path.

    Behind the proxy the socket shares the page's origin (``/realtime``); a
    development machine has no proxy, so the default there is the service's
    own port on localhost, as Reflex does for its backend.
    """
    default = "/realtime" if app_env == "production" else f"ws://localhost:{port}/realtime"
    url = _text(env, "REALTIME_URL", default) or default
    if not url.startswith(("/", "ws://", "wss://", "http://", "https://")):
        raise ConfigError(
            "REALTIME_URL", f"must be a ws(s):// or http(s):// URL or a path, got {url!r}"
        )
    return url


def load_settings(env: Mapping[str, str]) -> Settings:
    """Parse and validate settings from a mapping (the environment in real use)."""
    app_env = (_text(env, "APP_ENV", "development") or "").lower()
    if app_env not in ENVIRONMENTS:
        raise ConfigError("APP_ENV", f"must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    data_dir = _path(env, "DATA_DIR", ".data")
    database_url = _database_url(env)
    realtime_port = _port(env, "REALTIME_PORT", 8001)
    api_url = _text(env, "API_URL")
    return Settings(
        app_env=app_env,
        database_url=database_url,
        data_dir=data_dir,
        upload_dir=_path(env, "UPLOAD_DIR", "uploaded_files"),
        jwt_secret=_jwt_secret(env, app_env, data_dir),
        jwt_issuer=_text(env, "JWT_ISSUER", "chat-app") or "",
        jwt_audience=_text(env, "JWT_AUDIENCE", "chat-app") or "",
        jwt_ttl_seconds=_integer(
            env, "JWT_TTL_SECONDS", 7 * 24 * 3600, low=60, high=90 * 24 * 3600
        ),
        frontend_port=_port(env, "FRONTEND_PORT", 3000),
        backend_port=_port(env, "BACKEND_PORT", 8000),
        trusted_proxies=_networks(
            env, "TRUSTED_PROXIES", DEVELOPMENT_TRUSTED_PROXIES if app_env == "development" else ""
        ),
        api_url=api_url,
        public_url=_public_url(env, app_env, api_url),
        sign_in_max_failures=_integer(env, "SIGN_IN_MAX_FAILURES", 5, low=1, high=1000),
        sign_in_window_seconds=_integer(env, "SIGN_IN_WINDOW_SECONDS", 60, low=1, high=DAY),
        sign_in_address_max_failures=_integer(
            env, "SIGN_IN_ADDRESS_MAX_FAILURES", 10, low=1, high=100_000
        ),
        sign_in_address_window_seconds=_integer(
            env, "SIGN_IN_ADDRESS_WINDOW_SECONDS", 300, low=1, high=DAY
        ),
        sign_in_account_max_failures=_integer(
            env, "SIGN_IN_ACCOUNT_MAX_FAILURES", 100, low=1, high=100_000
        ),
        sign_in_account_window_seconds=_integer(
            env, "SIGN_IN_ACCOUNT_WINDOW_SECONDS", 3600, low=1, high=DAY
        ),
        sign_up_max_per_address=_integer(env, "SIGN_UP_MAX_PER_ADDRESS", 10, low=1, high=100_000),
        sign_up_window_seconds=_integer(env, "SIGN_UP_WINDOW_SECONDS", 3600, low=1, high=DAY),
        send_burst_max=_integer(env, "SEND_BURST_MAX", 20, low=1, high=1_000_000),
        send_burst_seconds=_integer(env, "SEND_BURST_SECONDS", 10, low=1, high=3600),
        send_sustained_max=_integer(env, "SEND_SUSTAINED_MAX", 60, low=1, high=1_000_000),
        send_sustained_seconds=_integer(env, "SEND_SUSTAINED_SECONDS", 60, low=1, high=DAY),
        migrate_on_start=_flag(env, "MIGRATE_ON_START", app_env == "development"),
        max_upload_bytes=_integer(
            env, "MAX_UPLOAD_BYTES", 25 * MEGABYTE, low=1024, high=2048 * MEGABYTE
        ),
        # Pillow itself refuses images past ~179 million pixels, so the cap stays below that.
        max_image_pixels=_integer(
            env, "MAX_IMAGE_PIXELS", 40_000_000, low=10_000, high=150_000_000
        ),
        file_url_ttl_seconds=_integer(
            env, "FILE_URL_TTL_SECONDS", 3600, low=60, high=7 * 24 * 3600
        ),
        upload_sweep_grace_seconds=_integer(
            env, "UPLOAD_SWEEP_GRACE_SECONDS", 3600, low=60, high=30 * 24 * 3600
        ),
        upload_sweep_interval_seconds=_integer(
            env, "UPLOAD_SWEEP_INTERVAL_SECONDS", 3600, low=0, high=30 * 24 * 3600
        ),
        realtime_host=_text(env, "REALTIME_HOST", "127.0.0.1") or "",
        realtime_port=realtime_port,
        realtime_event_retention_seconds=_integer(
            env, "REALTIME_EVENT_RETENTION_SECONDS", 86400, low=60, high=90 * 24 * 3600
        ),
        realtime_url=_realtime_url(env, app_env, realtime_port),
        realtime_autostart=_flag(env, "REALTIME_AUTOSTART", app_env == "development"),
        realtime_max_sockets_per_user=_integer(
            env, "REALTIME_MAX_SOCKETS_PER_USER", 20, low=1, high=100_000
        ),
        realtime_max_sockets_per_address=_integer(
            env, "REALTIME_MAX_SOCKETS_PER_ADDRESS", 100, low=1, high=1_000_000
        ),
        socket_heartbeat_seconds=_integer(env, "SOCKET_HEARTBEAT_SECONDS", 5, low=1, high=60),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (a `.env` file fills unset variables)."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return load_settings(os.environ)
