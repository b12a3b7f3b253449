"""Text a person wrote never becomes code: the rule, checked on the source.

Reflex turns the arguments of its client actions (``rx.call_script``,
``rx.set_clipboard``, ``rx.redirect``...) and of event specs returned by a
handler into JavaScript through ``LiteralVar.create``, which never returns on
a string holding ``<reflex.Var>x</reflex.Var>`` (Reflex 0.10.1). So, in the
code that runs per event (``chat_app/state``, ``chat_app/api``), every argument
of such a call must be fixed when the code is written: a literal, a module
constant (UPPER_CASE), an event handler (``SomeState.handler``), or a whole
number (``int(...)``, or ``chat_route``, which accepts only one). See "Text is
data" in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from chat_app.routes import chat_route

ROOT = Path(__file__).resolve().parent.parent
SCANNED = sorted(
    [*(ROOT / "chat_app" / "state").rglob("*.py"), *(ROOT / "chat_app" / "api").rglob("*.py")]
)
# rx.* names that are not client actions: decorators and type helpers.
NOT_ACTIONS = {"event", "var", "field", "State", "Base", "Component", "EventHandler"}
# Builders whose result holds nothing but a whole number beside constant text.
WHOLE_NUMBER_BUILDERS = {"int", "chat_route", "sign_in_route", "after_sign_in_route"}
VAR_FACTORIES = {"Var", "LiteralVar", "LiteralStringVar"}


def _fixed(node: ast.expr) -> bool:
    """True when ``node`` cannot carry run-time text."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper() or node.id.lstrip("_").isupper()
    if isinstance(node, ast.Attribute):  # SomeState.handler, SomeState.Var_name
        return isinstance(node.value, ast.Name) and node.value.id.endswith("State")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in WHOLE_NUMBER_BUILDERS
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_fixed(item) for item in node.elts)
    if isinstance(node, ast.UnaryOp):
        return _fixed(node.operand)
    return False


def _sink(call: ast.Call, *, returned: bool) -> str | None:
    """The name of the client action or Var factory ``call`` is, if any."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    # rx.call_script(...), rx.toast.error(...)
    root = owner
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and root.id == "rx":
        if isinstance(owner, ast.Name) and func.attr in NOT_ACTIONS:
            return None
        return ast.unparse(func)
    # rx.Var.create(...), LiteralVar.create(...)
    if func.attr == "create" and isinstance(owner, (ast.Name, ast.Attribute)):
        name = owner.id if isinstance(owner, ast.Name) else owner.attr
        if name in VAR_FACTORIES:
            return ast.unparse(func)
    # return SomeState.handler(arg): an event spec, its arguments become Vars.
    if returned and isinstance(owner, ast.Name) and owner.id.endswith("State"):
        return ast.unparse(func)
    return None


def violations(source: str, filename: str = "<source>") -> list[str]:
    tree = ast.parse(source, filename)
    returned: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Return, ast.Yield)) and isinstance(node.value, ast.Call):
            returned.add(id(node.value))
        if isinstance(node, (ast.Return, ast.Yield)) and isinstance(
            node.value, (ast.List, ast.Tuple)
        ):
            returned.update(id(item) for item in node.value.elts if isinstance(item, ast.Call))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _sink(node, returned=id(node) in returned)
        if name is None:
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        for argument in arguments:
            if not _fixed(argument):
                found.append(f"{filename}:{node.lineno}: {name}(... {ast.unparse(argument)} ...)")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_time_value_reaches_a_client_action_or_a_var(path: Path) -> None:
    assert violations(path.read_text(), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(
    "source",
    [
        "rx.call_script(SCRIPT % (json.dumps(ID), json.dumps(body)))",
        "rx.set_clipboard(row.body)",
        "rx.set_value('composer', self.draft)",
        "rx.toast(str(error))",
        "rx.toast.error(message)",
        "rx.redirect(f'/chat/{name}')",
        "rx.redirect(ROUTE.format(chat_id=chat_id))",
        "rx.download(data=content, filename=name)",
        "rx.Var.create(text)",
        "LiteralVar.create(text)",
        "Var.create(caption)",
        "rx.call_script(DETECT_JS, callback=lambda x: x)",
        "def h(self):\n    return ChatListState.search(self.query)",
        "def h(self):\n    yield OtherState.show(title)",
        "def h(self):\n    return [ChatListState.refresh, OtherState.show(title)]",
    ],
)
def test_the_guard_catches_text_on_its_way_to_code(source: str) -> None:
    assert violations(source), source


@pytest.mark.parametrize(
    "source",
    [
        "rx.call_script(DETECT_TIMEZONE_JS, callback=ConversationState.open_in_timezone)",
        "rx.redirect(SIGN_IN_ROUTE, replace=True)",
        "rx.redirect(chat_route(chat_id))",
        "rx.set_focus(COMPOSER_ID)",
        "rx.clear_selected_files(UPLOAD_ID)",
        "def h(self):\n    return ChatListState.refresh",
        "def h(self):\n    return ChatListState.open_row(int(chat_id))",
        "await chat_list.refresh_row(self.chat_id)",
    ],
)
def test_the_guard_lets_fixed_values_through(source: str) -> None:
    assert violations(source) == []


@pytest.mark.parametrize("value", ["7", "<reflex.Var>x</reflex.Var>", 1.5, True, None])
def test_a_chat_route_takes_only_a_whole_number(value: object) -> None:
    with pytest.raises(TypeError):
        chat_route(value)  # type: ignore[arg-type]
    assert chat_route(42) == "/chat/42"
