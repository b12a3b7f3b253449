"""What can be proven about the deployment without a container engine.

No machine that runs these tests can run docker, so the Dockerfile,
docker-compose.yml, .dockerignore and the Caddyfile are read the way the
tools read them and checked against the project: the compose file against the
Compose Specification's schema, every variable against `.env.example`, every
COPY source and every command against the repository, and the Caddyfile with
`caddy validate` under the settings compose gives it. A mistake in any of them
would otherwise surface only on the first real deployment.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dockerfile
import jsonschema
import pytest
import yaml
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory
from reflex.reflex import cli as reflex_cli
from reflex_base.config import Config as ReflexConfig

from chat_app.services.attachments import MAX_FILES_PER_UPLOAD
from chat_app.settings import PROJECT_ROOT, load_settings
from tests.app_runner import free_port
from tests.stack import services as stack_services

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"


def _compose_schema() -> Path:
    """The Compose JSON Schema from the shared material beside the checkout.

    A checkout normally sits next to ``shared/``; a clone made elsewhere on the
    same machine finds it through ``COMPOSE_SCHEMA`` or the workspace's copy.
    Missing everywhere is a failure, not a skip.
    """
    candidates = [
        Path(os.environ["COMPOSE_SCHEMA"]) if os.environ.get("COMPOSE_SCHEMA") else None,
        PROJECT_ROOT.parent / "shared" / "schemas" / "compose-spec.json",
        Path("/work/shared/schemas/compose-spec.json"),
    ]
    found = [path for path in candidates if path is not None and path.is_file()]
    return found[0] if found else candidates[1]


COMPOSE_SCHEMA = _compose_schema()

APP_TARGET = "app"
CADDY_TARGET = "caddy"
BACKEND_COMMAND = ("reflex", "run")
REALTIME_COMMAND = ("python", "-m", "chat_app.realtime")
BACKEND_HEALTH_PATH = "/_health"
REALTIME_HEALTH_PATH = "/health"

# The app's default, as it is with MAX_UPLOAD_BYTES unset.
DEFAULT_MAX_UPLOAD_BYTES = load_settings({"JWT_SECRET": "x" * 40}).max_upload_bytes

# Values people must choose themselves: compose has no default for them.
REQUIRED_VARIABLES = {
    "JWT_SECRET",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
    "PUBLIC_URL",
}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|KEY")
RESTARTING_POLICIES = {"always", "unless-stopped", "on-failure"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}

# Compose's interpolation: $$ is a literal dollar, ${NAME<op><argument>} or $NAME.
INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<operator>:?[-?+])?(?P<argument>[^}]*)\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
SHELL_OPERATORS = {"&&", "||", ";", "|"}


# --- reading the files ---------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    """docker-compose.yml as compose sees it before interpolation (anchors and merges applied)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def documented_variables() -> set[str]:
    """The variables `.env.example` lists: the one place people learn what to set."""
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))


@dataclass(frozen=True)
class Interpolation:
    """One `${NAME...}` in a compose value, with where it stands."""

    name: str
    operator: str
    argument: str
    where: str


def strings(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string value in the compose file with its path: what compose interpolates."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{where}[{index}]")


def interpolations() -> list[Interpolation]:
    """Every variable compose takes from the environment or `.env`, and how."""
    found = []
    for where, text in strings(compose()):
        for match in INTERPOLATION.finditer(text):
            if match["escaped"]:
                continue
            name = match["braced"] or match["named"]
            found.append(
                Interpolation(name, match["operator"] or "", match["argument"] or "", where)
            )
    assert found, "no interpolation found: the checks below would prove nothing"
    return found


def uninterpolated(text: str) -> str:
    """The literal part of a value: what is written in the file, not taken from .env."""
    return INTERPOLATION.sub("", text)


def with_defaults(text: str) -> str:
    """A value as compose gives it with nothing set in .env: each ``${NAME:-default}``
    becomes its default (and anything else, nothing)."""
    return INTERPOLATION.sub(
        lambda m: "$" if m["escaped"] else (m["argument"] if m["operator"] == ":-" else ""), text
    )


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction as BuildKit's parser reads it, with the stage it belongs to."""

    keyword: str
    flags: dict[str, str]
    value: tuple[str, ...]
    stage: str


@cache
def instructions() -> tuple[Instruction, ...]:
    """The Dockerfile through docker's own parser, so a syntax error fails here too."""
    found = []
    stage = ""
    for command in dockerfile.parse_file(str(DOCKERFILE)):
        keyword = command.cmd.upper()
        if keyword == "FROM":
            stage = command.value[-1]  # `FROM image AS name`, or the image itself
        flags = dict(flag.lstrip("-").partition("=")[::2] for flag in command.flags)
        found.append(Instruction(keyword, flags, command.value, stage))
    return tuple(found)


def global_args() -> dict[str, str]:
    """ARG defaults declared before the first FROM: what FROM lines may use."""
    values: dict[str, str] = {}
    for instruction in instructions():
        if instruction.keyword == "FROM":
            break
        if instruction.keyword == "ARG" and "=" in instruction.value[0]:
            name, _, value = instruction.value[0].partition("=")
            values[name] = value
    return values


def stage_bases() -> dict[str, str]:
    """Each stage's name and the image (or earlier stage) it starts from."""
    args = global_args()
    bases = {}
    for instruction in instructions():
        if instruction.keyword == "FROM":
            base = instruction.value[0]
            bases[instruction.stage] = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], base)
    return bases


def stage_instructions(stage: str, keyword: str) -> list[Instruction]:
    return [i for i in instructions() if i.stage == stage and i.keyword == keyword]


def dockerignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    """(.dockerignore line is an exception, pattern) in file order, as docker applies them."""
    patterns = []
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        glob = line.lstrip("!").strip().strip("/")
        regex = ""
        for token in re.split(r"(\*\*/|\*\*|\*|\?|\[[^\]]*\])", glob):
            if token.startswith("["):
                regex += token.replace("[!", "[^")  # a character class means the same in both
            else:
                regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                    token, re.escape(token)
                )
        patterns.append((negated, re.compile(regex)))
    return patterns


def excluded_from_build_context(path: str) -> bool:
    """Whether docker leaves `path` out of the build context (a matched folder takes its files)."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    excluded = False
    for negated, pattern in dockerignore_patterns():
        if any(pattern.fullmatch(prefix) for prefix in prefixes):
            excluded = not negated
    return excluded


# --- who is who in compose -----------------------------------------------------------


def image_built_from(target: str) -> str:
    """The image name that the service building `target` tags, which others run by name."""
    builders = [
        service["image"]
        for service in services().values()
        if isinstance(service.get("build"), dict) and service["build"].get("target") == target
    ]
    assert len(builders) == 1, f"exactly one service should build the {target!r} stage"
    return builders[0]


def app_services() -> dict[str, dict[str, Any]]:
    """Services running this project's Python image: the ones that read its settings."""
    image = image_built_from(APP_TARGET)
    return {name: s for name, s in services().items() if s.get("image") == image}


def running(command: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """App services by role, told apart by the command they run (backend, realtime)."""
    return {
        name: service
        for name, service in app_services().items()
        if tuple(service.get("command", ()))[: len(command)] == command
    }


def dependencies(service: dict[str, Any]) -> dict[str, str]:
    """What a service waits for, and for which condition (a plain list means "started")."""
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):
        return dict.fromkeys(depends_on, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in depends_on.items()}


def one_shot_services() -> set[str]:
    """Services others wait to *finish*: they must exit, so they neither restart nor probe."""
    return {
        dependency
        for service in services().values()
        for dependency, condition in dependencies(service).items()
        if condition == "service_completed_successfully"
    }


def caddy_service() -> tuple[str, dict[str, Any]]:
    """The proxy's name and service: the one built from the Dockerfile's caddy stage."""
    image = image_built_from(CADDY_TARGET)
    (caddy,) = ((name, s) for name, s in services().items() if s.get("image") == image)
    return caddy


def health_url(service: dict[str, Any]) -> str:
    """The URL a `python -c` health check opens."""
    code = service["healthcheck"]["test"][-1]
    match = re.search(r"https?://[^'\"]+", code)
    assert match, f"no URL in health check {code!r}"
    return match[0]


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


# --- commands: does the project provide what each one runs? ---------------------------


def pinned_requirements(path: Path = PROJECT_ROOT / "requirements.txt") -> dict[str, str]:
    """Name to version; the image installs exactly these, so a command must come from one."""
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    requirements = [line for line in lines if line and not line.startswith("-r")]
    unpinned = [line for line in requirements if "==" not in line]
    assert unpinned == [], f"{path.name}: pin every requirement with =="
    return dict(line.lower().split("==", 1) for line in requirements)


def check_reflex(args: list[str]) -> None:
    """Reflex's own parser accepts the subcommand and options, and rxconfig is there."""
    assert (PROJECT_ROOT / "rxconfig.py").is_file()
    subcommand, *options = args
    assert subcommand in reflex_cli.commands, f"reflex has no {subcommand!r} command"
    reflex_cli.commands[subcommand].make_context(subcommand, list(options))


def check_alembic(args: list[str]) -> None:
    """Alembic's parser accepts the command and the revision names one in alembic/."""
    try:
        parsed = CommandLine(prog="alembic").parser.parse_args(args)
    except SystemExit:
        pytest.fail(f"alembic rejects {args}")
    script = ScriptDirectory.from_config(Config(str(PROJECT_ROOT / "alembic.ini")))
    assert (Path(script.dir) / "env.py").is_file()
    if getattr(parsed, "revision", None):
        assert script.get_revisions(parsed.revision), f"no revision {parsed.revision!r}"


def check_python(args: list[str]) -> None:
    """`-m` names a runnable module of the project; `-c` code at least compiles."""
    flag, value, *_ = args
    if flag == "-m":
        spec = importlib.util.find_spec(value)
        assert spec is not None, f"no module {value}"
        if spec.submodule_search_locations is not None:
            assert importlib.util.find_spec(f"{value}.__main__"), f"{value} has no __main__"
    else:
        assert flag == "-c", f"python {flag} is not checked"
        compile(value, "<command>", "exec")


COMMAND_CHECKS: dict[str, tuple[str | None, Callable[[list[str]], None]]] = {
    # program: (the pinned requirement that installs it, the check)
    "reflex": ("reflex", check_reflex),
    "alembic": ("alembic", check_alembic),
    "python": (None, check_python),
}


def check_command(argv: list[str]) -> None:
    """Fail unless the image would have the program and the project what it is asked to run."""
    program, *args = argv
    assert program in COMMAND_CHECKS, f"nothing checks {program!r}: add it to COMMAND_CHECKS"
    requirement, check = COMMAND_CHECKS[program]
    if requirement is not None:
        assert requirement in pinned_requirements(), f"{requirement} is not in requirements.txt"
    check(args)


def dockerfile_commands() -> Iterator[list[str]]:
    """The app image's CMD, and each project command a RUN line starts (skipping VAR=value)."""
    for instruction in stage_instructions(APP_TARGET, "CMD"):
        yield list(instruction.value)
    for instruction in instructions():
        if instruction.keyword != "RUN":
            continue
        words = shlex.split(instruction.value[0])
        for start, word in enumerate(words):
            if word in COMMAND_CHECKS:
                end = next(
                    (i for i in range(start, len(words)) if words[i] in SHELL_OPERATORS),
                    len(words),
                )
                yield words[start:end]


# --- the compose file ------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    errors = [
        f"{error.json_path}: {error.message}"
        for error in jsonschema.Draft7Validator(schema).iter_errors(compose())
    ]
    assert errors == []


def test_every_variable_compose_reads_is_documented_in_env_example() -> None:
    """`cp .env.example .env` must give people every name they can set."""
    undocumented = {i.name for i in interpolations()} - documented_variables()
    assert undocumented == set()


def test_required_variables_stop_compose_with_a_message_naming_them() -> None:
    for interpolation in interpolations():
        if interpolation.name in REQUIRED_VARIABLES:
            assert interpolation.operator == ":?", interpolation
            assert interpolation.name in interpolation.argument, interpolation
    secrets = {i.name for i in interpolations() if SECRET_NAME.search(i.name)}
    assert secrets <= REQUIRED_VARIABLES, "a secret must never fall back to a default"


def test_app_containers_set_only_variables_the_app_or_reflex_reads() -> None:
    """A misspelt variable in compose would be ignored silently and the default used."""
    reflex_variables = {f"REFLEX_{field.name.upper()}" for field in fields(ReflexConfig)}
    known = documented_variables() | reflex_variables
    for name, service in app_services().items():
        unknown = set(service.get("environment") or {}) - known
        assert unknown == set(), name


def test_compose_writes_no_secret_and_no_outside_address() -> None:
    """Secrets come from .env; the only addresses written are compose's own services."""
    for name, service in services().items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert uninterpolated(str(value)) == "", f"{name}.{key} is written in compose"
    own_hosts = set(services()) | LOOPBACK_HOSTS
    for where, text in strings(compose()):
        # Values taken from .env become a marker, so only what is written here is judged.
        written = INTERPOLATION.sub("{env}", text)
        for url in re.findall(r"[a-z][a-z0-9+.-]*://[^\s'\"]+", written):
            parts = urlsplit(url)
            assert parts.hostname in own_hosts, f"{where}: {url}"
            if "@" in parts.netloc:
                userinfo = parts.netloc.rsplit("@", 1)[0]
                assert userinfo in {"{env}", "{env}:{env}"}, f"{where}: credentials in compose"


def test_backends_and_realtime_share_the_database_and_the_signing_key() -> None:
    """Realtime verifies the backends' tokens itself and reads the outbox they write."""
    for variable in ("JWT_SECRET", "DATABASE_URL"):
        values = {s["environment"][variable] for s in app_services().values()}
        assert len(values) == 1, f"{variable} differs between app containers: {values}"


def test_at_least_two_backends_and_two_realtime_instances() -> None:
    assert len(running(BACKEND_COMMAND)) >= 2
    assert len(running(REALTIME_COMMAND)) >= 2


def test_every_command_compose_runs_exists_in_the_project() -> None:
    for name, service in app_services().items():
        assert "command" in service, f"{name} should say which of the image's commands it runs"
        check_command(list(service["command"]))
        test = service.get("healthcheck", {}).get("test", [])
        if test[:1] == ["CMD"]:
            check_command(test[1:])


def test_long_running_services_restart_and_report_their_health() -> None:
    """A crashed service comes back by itself; a sick one shows up in `docker compose ps`."""
    one_shot = one_shot_services()
    assert one_shot, "the migrate job should run once before the others"
    for name, service in services().items():
        if name in one_shot:
            assert service.get("restart", "no") == "no", f"{name} must exit, not restart"
            continue
        assert service.get("restart") in RESTARTING_POLICIES, name
        healthcheck = service.get("healthcheck") or {}
        assert healthcheck.get("test"), f"{name} has no health check"
        assert not healthcheck.get("disable"), f"{name} has its health check disabled"


def test_app_containers_wait_for_the_database_and_the_migration() -> None:
    one_shot = one_shot_services()
    for name, service in app_services().items():
        if name in one_shot:
            continue
        conditions = dependencies(service)
        assert conditions["postgres"] == "service_healthy", name
        assert {conditions[job] for job in one_shot} == {"service_completed_successfully"}, name
    for name, service in running(BACKEND_COMMAND).items():
        assert dependencies(service)["redis"] == "service_healthy", name


def test_health_checks_probe_the_documented_paths() -> None:
    for name, service in running(BACKEND_COMMAND).items():
        url = urlsplit(health_url(service))
        assert url.path == BACKEND_HEALTH_PATH, name
        assert url.port == int(option(service["command"], "--backend-port")), name
    for name, service in running(REALTIME_COMMAND).items():
        url = urlsplit(health_url(service))
        assert url.path == REALTIME_HEALTH_PATH, name
        assert url.port == int(service["environment"]["REALTIME_PORT"]), name


def test_backends_share_one_uploads_volume_at_the_path_they_write_to() -> None:
    """A file uploaded through one backend must be served by any other."""
    mounts = set()
    for service in running(BACKEND_COMMAND).values():
        upload_dir = service["environment"]["UPLOAD_DIR"]
        mounted = {
            target: source for source, target in (v.split(":")[:2] for v in service["volumes"])
        }
        assert upload_dir in mounted, f"UPLOAD_DIR {upload_dir} is not a mount"
        mounts.add((mounted[upload_dir], upload_dir))
    (volume, _), *others = mounts
    assert others == [], f"backends mount different upload folders: {mounts}"
    assert volume in compose()["volumes"], "the uploads folder should be a named volume"


def test_caddy_is_the_one_public_port_and_knows_every_instance() -> None:
    """An instance missing from the upstream lists would run and never get traffic."""
    caddy_name, caddy = caddy_service()
    published = {name for name, service in services().items() if service.get("ports")}
    assert published == {caddy_name}
    (port,) = caddy["ports"]
    host_port, container_port = port.rsplit(":", 1)
    assert uninterpolated(host_port) == "", "the public port should come from .env"
    environment = caddy["environment"]
    assert environment["SITE_ADDRESS"] == f":{container_port}"
    backends = {
        f"{name}:{option(s['command'], '--backend-port')}"
        for name, s in running(BACKEND_COMMAND).items()
    }
    realtime = {
        f"{name}:{s['environment']['REALTIME_PORT']}"
        for name, s in running(REALTIME_COMMAND).items()
    }
    assert set(environment["BACKEND_UPSTREAMS"].split()) == backends
    assert set(environment["REALTIME_UPSTREAMS"].split()) == realtime


def compose_caddy_settings(_: Path) -> dict[str, str]:
    return {name: with_defaults(value) for name, value in caddy_service()[1]["environment"].items()}


def loopback_caddy_settings(tmp_path: Path) -> dict[str, str]:
    return stack_services.caddy_settings(
        free_port(), tmp_path / "frontend", [free_port(), free_port()], [free_port(), free_port()]
    )


@pytest.mark.parametrize(
    "settings",
    [compose_caddy_settings, loopback_caddy_settings],
    ids=["compose", "loopback"],
)
def test_caddy_accepts_the_caddyfile(
    settings: Callable[[Path], dict[str, str]], tmp_path: Path
) -> None:
    result = run_caddy("validate", settings(tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def run_caddy(
    subcommand: str, settings: Mapping[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """``caddy <subcommand>`` on the Caddyfile with only these placeholders set."""
    if shutil.which("caddy") is None:
        pytest.fail("caddy is not installed (apt-get install caddy; scripts/setup --dev)")
    env = {
        "PATH": os.environ.get("PATH", ""),
        **stack_services.caddy_home(tmp_path / "caddy"),
        **settings,
    }
    return subprocess.run(
        stack_services.caddy_command(subcommand),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def adapted_caddyfile(settings: Mapping[str, str], tmp_path: Path) -> str:
    result = run_caddy("adapt", settings, tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def upload_caps(adapted: str) -> list[int]:
    return [int(size) for size in re.findall(r'"max_size":\s*(\d+)', adapted)]


@pytest.mark.parametrize(
    ("settings", "max_upload_bytes"),
    [
        (compose_caddy_settings, DEFAULT_MAX_UPLOAD_BYTES),
        (loopback_caddy_settings, DEFAULT_MAX_UPLOAD_BYTES),
        (lambda p: {**loopback_caddy_settings(p), "MAX_UPLOAD_BYTES": "1048576"}, 1048576),
    ],
    ids=["compose", "loopback", "loopback-set"],
)
def test_caddy_caps_an_upload_body_where_the_backends_guard_does(
    settings: Callable[[Path], dict[str, str]], max_upload_bytes: int, tmp_path: Path
) -> None:
    """An empty or missing MAX_UPLOAD_BYTES must never lift the cap (max_size 0 is none)."""
    caps = upload_caps(adapted_caddyfile(settings(tmp_path), tmp_path))
    assert caps == [MAX_FILES_PER_UPLOAD * max_upload_bytes]


# --- the Dockerfile ----------------------------------------------------------------


def test_every_copy_source_exists_and_reaches_the_build_context() -> None:
    sources = [
        source
        for instruction in instructions()
        if instruction.keyword in {"COPY", "ADD"} and "from" not in instruction.flags
        for source in instruction.value[:-1]
    ]
    assert sources, "no COPY found: the check would prove nothing"
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert not excluded_from_build_context(source), f"COPY {source}: .dockerignore drops it"


def test_dockerignore_keeps_local_state_secrets_and_caches_out() -> None:
    for path in [
        ".env",
        ".git/config",
        ".data/postgres/PG_VERSION",
        ".web/package.json",
        ".states/token",
        "uploaded_files/0123abcd.jpg",
        "chat_app/__pycache__/settings.cpython-311.pyc",
        ".pytest_cache/v/cache/nodeids",
        ".ruff_cache/CACHEDIR.TAG",
    ]:
        assert excluded_from_build_context(path), path
    assert not excluded_from_build_context(".env.example")


def test_base_images_are_pinned_and_python_matches_the_tests() -> None:
    """A rebuild must get the same system, and the image the Python the tests ran on."""
    bases = stage_bases()
    # An exact version tag (major.minor.patch), a digest, or both.
    pinned = re.compile(
        r"[\w./-]+(?::\d+\.\d+\.\d+[\w.-]*(?:@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})"
    )
    for stage, base in bases.items():
        if base in bases:
            continue  # an earlier stage
        assert pinned.fullmatch(base), f"{stage}: {base} is not pinned"
    python = bases[APP_TARGET]
    major_minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert python.startswith(f"python:{major_minor}."), python
    assert "slim" in python, python


def test_compose_builds_existing_stages_with_declared_arguments() -> None:
    declared = {i.value[0].split("=")[0] for i in instructions() if i.keyword == "ARG"}
    for name, service in services().items():
        build = service.get("build")
        if build is None:
            continue
        assert build["target"] in stage_bases(), f"{name}: no stage {build['target']!r}"
        assert set(build.get("args") or {}) <= declared, name


def test_built_images_run_as_a_non_root_user() -> None:
    """A stage without USER inherits it from the stage it starts from, or else runs as root."""
    bases = stage_bases()
    for target in (APP_TARGET, CADDY_TARGET):
        stage = target
        while not stage_instructions(stage, "USER") and bases.get(stage) in bases:
            stage = bases[stage]
        users = stage_instructions(stage, "USER")
        assert users, f"{target} runs as root"
        assert users[-1].value[0].split(":")[0] not in {"root", "0"}, target


def test_every_command_the_dockerfile_runs_exists_in_the_project() -> None:
    commands = list(dockerfile_commands())
    assert any(command[:2] == ["reflex", "export"] for command in commands)
    for command in commands:
        check_command(command)


def test_caddy_image_holds_the_caddyfile_and_the_frontend_where_compose_says() -> None:
    copies = {i.value[-1]: i for i in stage_instructions(CADDY_TARGET, "COPY")}
    assert copies["/etc/caddy/Caddyfile"].value == ("Caddyfile", "/etc/caddy/Caddyfile")
    frontend = copies[caddy_service()[1]["environment"]["FRONTEND_ROOT"]]
    assert frontend.flags["from"] in stage_bases()
    assert frontend.value[0].endswith(".web/build/client"), "reflex export writes there"


def test_requirements_are_pinned() -> None:
    assert pinned_requirements()
    assert pinned_requirements(PROJECT_ROOT / "requirements-dev.txt")
