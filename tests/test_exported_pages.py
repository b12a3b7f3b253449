"""The post-build rewrite of the exported pages, on pages shaped as React Router writes them.

The browser tests (``tests/browser/test_first_paint.py``) check the same on the
real build; these pin what happens to each kind of page and that a page in an
unexpected shape stops the build instead of going out unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chat_app.exported_pages import (
    SPA_FALLBACK,
    ExportError,
    breakpoint_props,
    drop_breakpoint_variants,
    drop_dead_selectors,
    dynamic_route_modules,
    lower_script_priority,
    preload_modules,
    radix_components,
    rewrite_export,
    unused_rules,
)

MANIFEST = {
    "entry": {"module": "/assets/entry.client-A.js", "imports": ["/assets/components-B.js"]},
    "routes": {
        "root": {"id": "root", "path": "", "module": "/assets/root-C.js", "imports": []},
        "routes/[chat].$[chat_id]._index": {
            "path": "chat/:chat_id",
            "module": "/assets/chat-D.js",
            "imports": ["/assets/components-B.js", "/assets/arrow-right-E.js"],
        },
        "routes/[signin]._index": {
            "path": "signin",
            "module": "/assets/signin-F.js",
            "imports": ["/assets/components-B.js"],
        },
    },
}


def _page(*modules: str) -> str:
    links = "".join(f'<link rel="modulepreload" href="{module}"/>' for module in modules)
    head = f'<link href="/assets/styles.css" rel="stylesheet"/>{links}'
    return f"<html><head>{head}</head><body></body></html>"


def _preloads(html: str) -> list[tuple[str, str]]:
    """(module, priority) for every preload, in order; priority "" when none is asked."""
    return [
        (match[0], match[1])
        for match in re.findall(
            r'<link rel="modulepreload" href="([^"]+)"(?: fetchpriority="(\w+)")?/>', html
        )
    ]


def test_every_module_preload_asks_for_low_priority() -> None:
    html = lower_script_priority(_page("/assets/a.js", "/assets/b.js"))
    assert _preloads(html) == [("/assets/a.js", "low"), ("/assets/b.js", "low")]
    assert '<link href="/assets/styles.css" rel="stylesheet"/>' in html


def test_a_page_without_module_preloads_stops_the_build() -> None:
    with pytest.raises(ExportError, match="modulepreload"):
        lower_script_priority("<html><head></head><body></body></html>")
    with pytest.raises(ExportError, match="modulepreload"):
        preload_modules("<html></html>", ["/assets/a.js"])


def test_preloads_are_added_once_after_the_pages_own() -> None:
    html = preload_modules(
        _page("/assets/a.js", "/assets/b.js"), ["/assets/b.js", "/assets/c.js", "/assets/c.js"]
    )
    assert [module for module, _ in _preloads(html)] == [
        "/assets/a.js",
        "/assets/b.js",
        "/assets/c.js",
    ]


def test_only_routes_with_a_parameter_count_as_dynamic() -> None:
    manifest_js = "window.__reactRouterManifest=" + json.dumps(MANIFEST) + ";"
    assert dynamic_route_modules(manifest_js) == [
        "/assets/chat-D.js",
        "/assets/components-B.js",
        "/assets/arrow-right-E.js",
    ]
    with pytest.raises(ExportError, match="manifest"):
        dynamic_route_modules("export default {}")


def _export(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    manifest = "window.__reactRouterManifest=" + json.dumps(MANIFEST) + ";"
    (tmp_path / "assets" / "manifest-1a2b.js").write_text(manifest)
    (tmp_path / "signin").mkdir()
    signin = _page("/assets/root-C.js", "/assets/signin-F.js")
    (tmp_path / "signin" / "index.html").write_text(signin)
    (tmp_path / SPA_FALLBACK).write_text(_page("/assets/root-C.js", "/assets/components-B.js"))
    return tmp_path


def test_the_export_preloads_dynamic_routes_in_the_shell_only(tmp_path: Path) -> None:
    static_dir = _export(tmp_path)
    changed = rewrite_export(static_dir, {"Button"})

    assert sorted(path.relative_to(static_dir).as_posix() for path in changed) == [
        SPA_FALLBACK,
        "signin/index.html",
    ]
    shell = _preloads((static_dir / SPA_FALLBACK).read_text())
    assert shell == [
        ("/assets/root-C.js", "low"),
        ("/assets/components-B.js", "low"),
        ("/assets/chat-D.js", "low"),
        ("/assets/arrow-right-E.js", "low"),
    ]
    signin = _preloads((static_dir / "signin" / "index.html").read_text())
    assert signin == [("/assets/root-C.js", "low"), ("/assets/signin-F.js", "low")]


def test_an_export_without_its_route_manifest_stops_the_build(tmp_path: Path) -> None:
    static_dir = _export(tmp_path)
    (static_dir / "assets" / "manifest-1a2b.js").unlink()
    with pytest.raises(ExportError, match="one route manifest"):
        rewrite_export(static_dir, {"Button"})


# Minified as Vite writes it: a per-breakpoint variant beside one of the app's own
# wide-screen rules, in the same kind of block.
STYLESHEET = (
    ".rt-Button{color:red}"
    "@media (width>=520px){.rt-Box.xs\\:rt-r-size-1{padding:1px}.xs\\:-rt-r-m-1{margin:-1px}}"
    "@media (width>=768px){.wa-list-column{width:30%}.md\\:rt-r-size-2{padding:2px}}"
    "@media (hover:hover){.rt-Button:hover{color:blue}}"
    "@media (width>=1024px){@supports (display:grid){.lg\\:rt-r-display-grid{display:grid}}}"
)


def test_breakpoint_variants_go_and_every_other_rule_stays() -> None:
    assert drop_breakpoint_variants(STYLESHEET) == (
        ".rt-Button{color:red}"
        "@media (width>=768px){.wa-list-column{width:30%}}"
        "@media (hover:hover){.rt-Button:hover{color:blue}}"
        "@media (width>=1024px){@supports (display:grid){.lg\\:rt-r-display-grid{display:grid}}}"
    )


def test_a_stylesheet_with_unbalanced_braces_stops_the_build() -> None:
    with pytest.raises(ExportError, match="unbalanced"):
        drop_breakpoint_variants("@media (width>=520px){.xs\\:rt-r-p-1{padding:1px}")


def test_a_page_passing_a_prop_per_breakpoint_is_named(tmp_path: Path) -> None:
    routes = tmp_path / "app" / "routes"
    routes.mkdir(parents=True)
    (routes / "[signin]._index.jsx").write_text('jsx(RadixThemesText,{size:"2"},"Hello")')
    assert breakpoint_props(tmp_path) == []

    (routes / "[chat].$[chat_id]._index.jsx").write_text(
        'jsx(RadixThemesText,{size:({ ["initial"] : "1", ["md"] : "2" })},"Hello")'
    )
    assert breakpoint_props(tmp_path) == ["app/routes/[chat].$[chat_id]._index.jsx"]


# Radix's rules for a component the app renders, one it does not (a table),
# the two side by side in one selector list, inside blocks; accent colours with
# and without their scale; and at-rules that hold no selectors.
COMPONENT_RULES = (
    "@layer base;"
    ":root{--teal-9:#12a594;--red-9:#e5484d}"
    ".rt-Button,.rt-TableRoot{cursor:pointer}"
    ".rt-TableRoot{display:table}.rt-TableRootTable td{padding:0}"
    ".rt-TextFieldRoot:where(.rt-variant-surface){border:1px}"
    ".rt-Text{margin:0}"
    "@media (hover:hover){.rt-TableRow:hover{color:red}}"
    "@supports (color:red){.rt-Button:is(.a,.rt-TabsList){color:red}.rt-Switch{color:red}}"
    "[data-accent-color=teal]{--accent-9:var(--teal-9)}"
    "[data-accent-color=crimson]{--accent-9:var(--crimson-9)}"
    "@keyframes rt-fade{from{opacity:0}to{opacity:1}}"
    "@font-face{font-family:x;src:url(x.woff2)}"
)


def test_rules_of_components_the_app_never_renders_go() -> None:
    css = drop_dead_selectors(
        COMPONENT_RULES, unused_rules(COMPONENT_RULES, {"Button", "TextField"})
    )
    assert css == (
        "@layer base;"
        ":root{--teal-9:#12a594;--red-9:#e5484d}"
        ".rt-Button{cursor:pointer}"
        ".rt-TextFieldRoot:where(.rt-variant-surface){border:1px}"
        ".rt-Text{margin:0}"
        "[data-accent-color=teal]{--accent-9:var(--teal-9)}"
        "@keyframes rt-fade{from{opacity:0}to{opacity:1}}"
        "@font-face{font-family:x;src:url(x.woff2)}"
    )


def test_a_component_the_pages_import_keeps_its_rules() -> None:
    used = {"Button", "TextField", "Table", "Tabs", "Switch"}
    css = drop_dead_selectors(COMPONENT_RULES, unused_rules(COMPONENT_RULES, used))
    for kept in (
        ".rt-TableRoot{display:table}",
        ".rt-TableRow:hover",
        ".rt-TabsList",
        ".rt-Switch",
    ):
        assert kept in css


def test_the_components_are_read_from_the_compiled_imports(tmp_path: Path) -> None:
    pages = tmp_path / "app_components" / "chat_app" / "ui" / "pages"
    pages.mkdir(parents=True)
    (pages / "chat.jsx").write_text(
        'import {Button as RadixThemesButton,Dialog as RadixThemesDialog} from "@radix-ui/themes"\n'
        'import {Root as RadixFormRoot} from "@radix-ui/react-form"'
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "root.jsx").write_text('import {Theme} from "@radix-ui/themes"')
    assert radix_components(tmp_path) == {"Button", "Dialog", "Theme"}
