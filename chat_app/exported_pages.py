"""The exported pages and stylesheet, trimmed so a phone paints them sooner.

React Router writes every page with ``<link rel="modulepreload">`` for the
~260 KB (compressed) of JavaScript the page hydrates with. Chrome fetches
those at high priority, beside the one stylesheet the first paint waits for,
so on a slow network the code competes with the page's own look and the
already rendered HTML stays blank for longer. Two changes, made once after
the build (``post_build``):

* every module preload asks for low priority: the stylesheet comes first and
  the code follows in the same connection, still long before anyone can tap;
* the single-page shell served for the routes that cannot be rendered ahead
  (``/chat/7``: every dynamic route, see the Caddyfile) also preloads those
  routes' modules, which the browser otherwise finds only after the root
  module has run, one round trip later;
* the stylesheet loses Radix Themes' responsive variants (``md:rt-r-size-2``
  under ``@media (width>=768px)``): 57% of its 617 KB, which every page
  downloads and matches before its first paint. They style only props given
  per breakpoint (``size={"initial": "1", "md": "2"}``), which this app does
  not use: its layouts switch in theme.css. A build whose pages pass such a
  prop stops with its name;
* and the rules of Radix Themes components the app never imports (tables,
  tabs, sliders, selects, cards…), and the accent colours whose scales the
  stylesheet does not carry: about a third of what is left, parsed before the
  first paint and matched on every style change. A component is judged by the
  compiled pages' imports from ``@radix-ui/themes``, so importing one brings
  its rules back by itself.

A page that does not look as expected stops the build: a Reflex or React
Router upgrade that changes the markup is noticed, not silently slower.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import reflex as rx

# As React Router writes them (<Scripts/>), one per module.
_PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)"/>')
_MANIFEST_PREFIX = "window.__reactRouterManifest="
# The shell React Router writes for routes it could not render ahead.
SPA_FALLBACK = "__spa-fallback.html"


# A class Radix Themes derives from a per-breakpoint prop ("xs:rt-r-size-2",
# "md:-rt-r-m-1"), escaped in CSS with a backslash before the colon.
_BREAKPOINT_CLASS = re.compile(r"(?:xs|sm|md|lg|xl)\\:-?rt-")
# A per-breakpoint prop as Reflex compiles it into a page: ({ ["md"] : "2" }).
_BREAKPOINT_PROP = re.compile(r'\[\s*"(?:initial|xs|sm|md|lg|xl)"\s*\]\s*:')
_MEDIA_MIN_WIDTH = re.compile(r"@media \(width>=\d+px\)\{")


# Radix Themes' rules by the component that renders them: a class "rt-<prefix>"
# (or "rt-<prefix><Part>") is only ever on an element one of these components
# renders. The components the app uses (and those they render inside, such as
# ScrollArea in menus) are not listed, and a listed family whose component the
# compiled pages import is kept.
_COMPONENT_FAMILIES: dict[str, tuple[str, ...]] = {
    "Avatar": ("Avatar",),
    "BaseCard": ("Card", "CheckboxCards", "RadioCards"),
    "BaseTabList": ("Tabs", "TabNav"),
    "Blockquote": ("Blockquote",),
    "Card": ("Card",),
    "CheckboxCards": ("CheckboxCards",),
    "CheckboxCardCheckbox": ("CheckboxCards",),
    "CheckboxGroup": ("CheckboxGroup",),
    "Code": ("Code",),
    "Container": ("Container",),
    "DataList": ("DataList",),
    "Em": ("Em",),
    "Grid": ("Grid",),
    "HoverCard": ("HoverCard",),
    "IconButton": ("IconButton",),
    "Inset": ("Inset",),
    "Kbd": ("Kbd",),
    "Quote": ("Quote",),
    "RadioCards": ("RadioCards",),
    "Section": ("Section",),
    "SegmentedControl": ("SegmentedControl",),
    "Select": ("Select",),
    "Slider": ("Slider",),
    "Strong": ("Strong",),
    "Switch": ("Switch",),
    "TabNav": ("TabNav",),
    "Table": ("Table",),
    "Tabs": ("Tabs",),
    "ThemePanel": ("ThemePanel",),
    "Tooltip": ("Tooltip",),
}
_RADIX_CLASS = re.compile(r"\.rt-([A-Z][A-Za-z0-9]*)")
_ACCENT_RULE = re.compile(r"\[data-accent-color=([a-z]+)\]")
_RADIX_IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"@radix-ui/themes"')
# Blocks whose body is rules (kept when a rule inside survives); every other
# at-rule (@font-face, @keyframes, @property) is kept whole.
_RULE_GROUPS = ("@media", "@supports", "@layer", "@container")


class ExportError(RuntimeError):
    """The build's output does not have the shape these changes rely on."""


def _preloads(html: str) -> list[re.Match[str]]:
    """The page's module preloads; a page without any is not one React Router wrote."""
    found = list(_PRELOAD.finditer(html))
    if not found:
        raise ExportError("no <link rel=modulepreload> in the page: React Router changed")
    return found


def lower_script_priority(html: str) -> str:
    """Every module preload at low priority, so the stylesheet is fetched first."""
    _preloads(html)
    return _PRELOAD.sub(r'<link rel="modulepreload" href="\1" fetchpriority="low"/>', html)


def preload_modules(html: str, modules: Iterable[str]) -> str:
    """Adds preloads for ``modules`` the page does not preload yet, after its own."""
    preloads = _preloads(html)
    present = {preload[1] for preload in preloads}
    missing = [module for module in dict.fromkeys(modules) if module not in present]
    links = "".join(f'<link rel="modulepreload" href="{module}"/>' for module in missing)
    end = preloads[-1].end()
    return html[:end] + links + html[end:]


def dynamic_route_modules(manifest_js: str) -> list[str]:
    """The modules of every route with a parameter (``chat/:chat_id``), in load order."""
    if not manifest_js.startswith(_MANIFEST_PREFIX):
        raise ExportError("the route manifest is not window.__reactRouterManifest={...}")
    manifest = json.loads(manifest_js.removeprefix(_MANIFEST_PREFIX).rstrip().rstrip(";"))
    modules: list[str] = []
    for route in manifest["routes"].values():
        if ":" in (route.get("path") or ""):
            modules += [route["module"], *route["imports"]]
    return list(dict.fromkeys(modules))


def _block_end(css: str, start: int) -> int:
    """The index just after the ``}`` closing the block whose body starts at ``start``."""
    depth = 1
    index = start
    while depth:
        index = min(
            (found for found in (css.find("{", index), css.find("}", index)) if found != -1),
            default=-1,
        )
        if index == -1:
            raise ExportError("unbalanced braces in the stylesheet")
        depth += 1 if css[index] == "{" else -1
        index += 1
    return index


def drop_breakpoint_variants(css: str) -> str:
    """The stylesheet without rules for per-breakpoint props; every other rule kept."""
    kept: list[str] = []
    position = 0
    for media in _MEDIA_MIN_WIDTH.finditer(css):
        if media.start() < position:  # inside a block already handled
            continue
        end = _block_end(css, media.end())
        body = css[media.end() : end - 1]
        rules: list[str] = []
        rule_start = 0
        while rule_start < len(body):
            open_brace = body.index("{", rule_start)
            rule_end = _block_end(body, open_brace + 1)
            if not _BREAKPOINT_CLASS.search(body[rule_start:open_brace]):
                rules.append(body[rule_start:rule_end])
            rule_start = rule_end
        kept.append(css[position : media.start()])
        if rules:
            kept.append(css[media.start() : media.end()] + "".join(rules) + "}")
        position = end
    kept.append(css[position:])
    return "".join(kept)


def _selectors(prelude: str) -> list[str]:
    """A rule's selector list, split on the commas outside ``:is(…)`` and ``[…]``."""
    parts: list[str] = []
    depth = start = 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and not depth:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return parts


def drop_dead_selectors(css: str, dead: Callable[[str], bool]) -> str:
    """The stylesheet without the selectors ``dead`` names (a rule left with none
    goes, and so does a @media or @supports block left empty); all else as it was."""
    kept: list[str] = []
    position = 0
    while position < len(css):
        brace = css.find("{", position)
        if brace == -1:
            kept.append(css[position:])
            break
        statement = css.find(";", position, brace)
        if statement != -1 and css[position:statement].lstrip().startswith("@"):
            kept.append(css[position : statement + 1])  # @layer a, b; @charset …;
            position = statement + 1
            continue
        prelude = css[position:brace]
        end = _block_end(css, brace + 1)
        body = css[brace + 1 : end - 1]
        head = prelude.strip()
        if head.startswith(_RULE_GROUPS):
            inner = drop_dead_selectors(body, dead)
            if inner.strip():
                kept.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            kept.append(css[position:end])
        elif selectors := [selector for selector in _selectors(prelude) if not dead(selector)]:
            kept.append(f"{','.join(selectors)}{{{body}}}")
        position = end
    return "".join(kept)


def radix_components(web_dir: Path) -> set[str]:
    """The Radix Themes components the compiled pages import (``Button``, ``Dialog``…)."""
    used: set[str] = set()
    for path in _compiled_sources(web_dir):
        for names in _RADIX_IMPORT.findall(path.read_text(errors="replace")):
            used.update(name.split(" as ")[0].strip() for name in names.split(",") if name.strip())
    return used


def unused_rules(css: str, components: set[str]) -> Callable[[str], bool]:
    """Whether a selector can match nothing in this app: it names a class of a
    component family none of ``components`` renders, or an accent colour whose
    scale (``--crimson-9``) the stylesheet does not define."""
    gone = {
        family
        for family, users in _COMPONENT_FAMILIES.items()
        if not components.intersection(users)
    }
    scales = set(re.findall(r"--([a-z]+)-9:", css))

    def family(name: str) -> str | None:
        return next(
            (
                prefix
                for prefix in gone
                if name == prefix or (name.startswith(prefix) and name[len(prefix)].isupper())
            ),
            None,
        )

    def dead(selector: str) -> bool:
        if any(family(name) for name in _RADIX_CLASS.findall(selector)):
            return True
        return any(colour not in scales for colour in _ACCENT_RULE.findall(selector))

    return dead


def _compiled_sources(web_dir: Path) -> list[Path]:
    return [
        path
        for folder in ("app", "utils", "app_components", "components")
        for path in (web_dir / folder).rglob("*.js*")
    ]


def breakpoint_props(web_dir: Path) -> list[str]:
    """The compiled pages and components that pass a prop per breakpoint."""
    return sorted(
        str(path.relative_to(web_dir))
        for path in _compiled_sources(web_dir)
        if _BREAKPOINT_PROP.search(path.read_text(errors="replace"))
    )


def rewrite_export(static_dir: Path, components: set[str]) -> list[Path]:
    """Applies the changes to every exported page and stylesheet; the files changed.
    ``components``: the Radix Themes components the pages import."""
    manifests = list((static_dir / "assets").glob("manifest-*.js"))
    if len(manifests) != 1:
        raise ExportError(f"expected one route manifest in {static_dir}/assets, found {manifests}")
    dynamic = dynamic_route_modules(manifests[0].read_text())
    pages = sorted(static_dir.rglob("*.html"))
    for page in pages:
        html = page.read_text()
        if page.name == SPA_FALLBACK:
            html = preload_modules(html, dynamic)
        page.write_text(lower_script_priority(html))
    stylesheets = sorted((static_dir / "assets").glob("*.css"))
    for stylesheet in stylesheets:
        css = drop_breakpoint_variants(stylesheet.read_text())
        stylesheet.write_text(drop_dead_selectors(css, unused_rules(css, components)))
    return pages + stylesheets


class LeanExport(rx.plugins.Plugin):
    """Runs :func:`rewrite_export` after every production build (export and ``--env prod``)."""

    def post_build(self, **context: object) -> None:
        static_dir = Path(str(context["static_dir"]))
        # .web/build/client: the compiled sources are two levels up.
        if users := breakpoint_props(static_dir.parents[1]):
            raise ExportError(
                "per-breakpoint props would lose their styles (chat_app/exported_pages.py): "
                + ", ".join(users)
            )
        rewrite_export(static_dir, radix_components(static_dir.parents[1]))
