"""Parsing the environment: good values load, bad ones fail naming the variable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from chat_app.settings import PROJECT_ROOT, ConfigError, load_settings

PRODUCTION_SECRET = "p" * 32
PUBLIC = {"PUBLIC_URL": "https://chat.example.org"}


@pytest.fixture
def base(tmp_path):
    """The smallest valid environment; the data folder is private to the test."""
    return {"DATA_DIR": str(tmp_path / "data"), "JWT_SECRET": "development-secret"}


def config_error(env) -> ConfigError:
    with pytest.raises(ConfigError) as excinfo:
        load_settings(env)
    return excinfo.value


def assert_names(error: ConfigError, variable: str) -> None:
    assert error.variable == variable
    assert str(error).startswith(f"{variable}: ")


def test_defaults(base):
    settings = load_settings(base)

    assert settings.app_env == "development"
    assert not settings.is_production
    assert settings.frontend_port == 3000
    assert settings.backend_port == 8000
    assert settings.migrate_on_start is True
    assert settings.database_url is None
    assert settings.uses_embedded_database
    assert settings.upload_dir == PROJECT_ROOT / "uploaded_files"
    assert settings.sign_in_max_failures == 5
    assert settings.sign_in_window_seconds == 60
    assert settings.jwt_ttl_seconds == 7 * 24 * 3600


def test_production_does_not_migrate_on_start_by_default(base):
    settings = load_settings(
        {**base, **PUBLIC, "APP_ENV": "production", "JWT_SECRET": PRODUCTION_SECRET}
    )

    assert settings.is_production
    assert settings.migrate_on_start is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), ("yes", True), ("on", True), ("0", False), ("Off", False)],
)
def test_migrate_on_start_flag(base, raw, expected):
    assert load_settings({**base, "MIGRATE_ON_START": raw}).migrate_on_start is expected


def test_realtime_defaults_differ_between_development_and_production(base):
    development = load_settings({**base, "REALTIME_PORT": "8123"})
    production = load_settings(
        {**base, **PUBLIC, "APP_ENV": "production", "JWT_SECRET": PRODUCTION_SECRET}
    )

    assert development.realtime_url == "ws://localhost:8123/realtime"
    assert development.realtime_autostart is True
    assert production.realtime_url == "/realtime"
    assert production.realtime_autostart is False


def test_realtime_url_is_read(base):
    settings = load_settings({**base, "REALTIME_URL": "wss://chat.example.org/realtime"})

    assert settings.realtime_url == "wss://chat.example.org/realtime"


def test_realtime_url_must_be_a_socket_address_or_path(base):
    assert_names(config_error({**base, "REALTIME_URL": "chat.example.org"}), "REALTIME_URL")


def test_ports_are_read(base):
    settings = load_settings({**base, "FRONTEND_PORT": " 3100 ", "BACKEND_PORT": "65535"})

    assert (settings.frontend_port, settings.backend_port) == (3100, 65535)


def test_non_integer_port(base):
    error = config_error({**base, "FRONTEND_PORT": "abc"})

    assert_names(error, "FRONTEND_PORT")
    assert "'abc'" in str(error)


@pytest.mark.parametrize("variable", ["FRONTEND_PORT", "BACKEND_PORT"])
@pytest.mark.parametrize("raw", ["0", "-1", "65536", "99999"])
def test_out_of_range_port(base, variable, raw):
    error = config_error({**base, variable: raw})

    assert_names(error, variable)
    assert "between 1 and 65535" in str(error)


def test_database_url_must_be_postgresql(base):
    error = config_error({**base, "DATABASE_URL": "mysql://u:p@h/db"})

    assert_names(error, "DATABASE_URL")
    assert "PostgreSQL" in str(error)
    assert "'mysql'" in str(error)


def test_database_url_must_name_a_database(base):
    assert_names(config_error({**base, "DATABASE_URL": "postgresql://u:p@h"}), "DATABASE_URL")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://chat:secret@db.internal:5432/chat",
        "postgres://chat:secret@db.internal:5432/chat",
        "postgresql+psycopg2://chat:secret@db.internal:5432/chat",
    ],
)
def test_database_url_is_normalised_to_psycopg2(base, url):
    settings = load_settings({**base, "DATABASE_URL": url})

    assert settings.database_url == "postgresql+psycopg2://chat:secret@db.internal:5432/chat"
    assert not settings.uses_embedded_database


def test_production_requires_a_secret(base):
    env = {key: value for key, value in base.items() if key != "JWT_SECRET"}

    error = config_error({**env, "APP_ENV": "production"})

    assert_names(error, "JWT_SECRET")
    assert "production" in str(error)


def test_production_refuses_a_short_secret(base):
    error = config_error({**base, "APP_ENV": "production", "JWT_SECRET": "p" * 31})

    assert_names(error, "JWT_SECRET")
    assert "32" in str(error)


def test_bad_app_env(base):
    error = config_error({**base, "APP_ENV": "staging"})

    assert_names(error, "APP_ENV")
    assert "'staging'" in str(error)


def test_bad_migrate_on_start_flag(base):
    error = config_error({**base, "MIGRATE_ON_START": "maybe"})

    assert_names(error, "MIGRATE_ON_START")
    assert "'maybe'" in str(error)


def test_relative_data_dir_resolves_under_project_root():
    settings = load_settings(
        {"DATA_DIR": "var/chat-data", "UPLOAD_DIR": "var/files", "JWT_SECRET": "given"}
    )

    assert settings.data_dir == PROJECT_ROOT / "var" / "chat-data"
    assert settings.upload_dir == PROJECT_ROOT / "var" / "files"


def test_absolute_data_dir_is_kept(tmp_path):
    settings = load_settings({"DATA_DIR": str(tmp_path), "JWT_SECRET": "given"})

    assert settings.data_dir == tmp_path


def test_development_secret_is_generated_once_and_kept(tmp_path):
    """Without JWT_SECRET a development key is made once, so restarts keep sessions."""
    data_dir = tmp_path / "data"
    env = {"DATA_DIR": str(data_dir)}

    first = load_settings(env)
    secret_file = data_dir / "jwt_secret"

    assert secret_file.read_text() == first.jwt_secret
    assert len(first.jwt_secret) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert load_settings(env).jwt_secret == first.jwt_secret


def test_empty_secret_file_from_an_interrupted_start_is_replaced(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "jwt_secret").write_text("")

    settings = load_settings({"DATA_DIR": str(data_dir)})

    assert len(settings.jwt_secret) >= 32
    assert (data_dir / "jwt_secret").read_text() == settings.jwt_secret
    assert [p.name for p in data_dir.iterdir()] == ["jwt_secret"]  # no draft left behind


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    data_dir = tmp_path / "data"
    script = (
        "import sys; from chat_app.settings import load_settings; "
        "print(load_settings({'DATA_DIR': sys.argv[1]}).jwt_secret)"
    )
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data_dir)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    secrets = {start.communicate(timeout=60)[0].strip() for start in starts}

    assert secrets == {(data_dir / "jwt_secret").read_text()}


def test_rxconfig_stops_with_one_line_naming_the_variable():
    """Every `reflex` command imports rxconfig; a bad setting must stop it readably."""
    env = {**os.environ, "FRONTEND_PORT": "notaport"}

    result = subprocess.run(
        [sys.executable, "-c", "import rxconfig"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "FRONTEND_PORT" in lines[0]
    assert lines[0].startswith("Configuration error: ")


def test_trusted_proxies_default_to_loopback_in_development_and_none_in_production(base):
    development = load_settings(base)
    production = load_settings(
        {**base, **PUBLIC, "APP_ENV": "production", "JWT_SECRET": PRODUCTION_SECRET}
    )

    assert [str(n) for n in development.trusted_proxies] == ["127.0.0.1/32", "::1/128"]
    assert production.trusted_proxies == ()


def test_trusted_proxies_are_read_as_cidrs_or_none(base):
    listed = load_settings({**base, "TRUSTED_PROXIES": "172.31.240.0/24, 10.0.0.2,fd00::/8"})
    nothing = load_settings({**base, "TRUSTED_PROXIES": "none"})

    assert [str(n) for n in listed.trusted_proxies] == [
        "172.31.240.0/24",
        "10.0.0.2/32",
        "fd00::/8",
    ]
    assert nothing.trusted_proxies == ()


def test_a_bad_trusted_proxy_is_named(base):
    error = config_error({**base, "TRUSTED_PROXIES": "10.0.0.0/8, caddy"})

    assert_names(error, "TRUSTED_PROXIES")
    assert "'caddy'" in str(error)


def test_limit_defaults(base):
    settings = load_settings(base)

    assert (settings.sign_in_address_max_failures, settings.sign_in_address_window_seconds) == (
        10,
        300,
    )
    assert (settings.sign_in_account_max_failures, settings.sign_in_account_window_seconds) == (
        100,
        3600,
    )
    assert (settings.sign_up_max_per_address, settings.sign_up_window_seconds) == (10, 3600)
    assert (settings.send_burst_max, settings.send_burst_seconds) == (20, 10)
    assert (settings.send_sustained_max, settings.send_sustained_seconds) == (60, 60)
    assert settings.realtime_max_sockets_per_user == 20
    assert settings.realtime_max_sockets_per_address == 100


@pytest.mark.parametrize(
    "variable",
    ["SEND_BURST_MAX", "SIGN_IN_ADDRESS_MAX_FAILURES", "REALTIME_MAX_SOCKETS_PER_USER"],
)
def test_a_limit_of_zero_is_refused(base, variable):
    assert_names(config_error({**base, variable: "0"}), variable)


def test_only_the_public_origin_may_call_the_backend_in_production(base):
    production = {**base, "APP_ENV": "production", "JWT_SECRET": PRODUCTION_SECRET}

    public = load_settings({**production, "PUBLIC_URL": "https://Chat.Example.org:8443/"})
    # Behind the proxy the frontend is built with API_URL, the public address too.
    built = load_settings({**production, "API_URL": "http://localhost:8080"})

    assert public.allowed_origins == ("https://chat.example.org:8443",)
    assert built.allowed_origins == ("http://localhost:8080",)
    assert_names(config_error(production), "PUBLIC_URL")
    assert_names(config_error({**production, "PUBLIC_URL": "chat.example.org"}), "PUBLIC_URL")
    # Development keeps its frontend on a port of its own: any origin, even with
    # a .env written for compose.
    assert load_settings(base).allowed_origins == ("*",)
    assert load_settings({**base, **PUBLIC}).allowed_origins == ("*",)
