"""Hex values of the design tokens, read from assets/theme.css.

The page styles use the tokens as CSS variables, but a few places need the
colour itself, outside any stylesheet: the ``theme-color`` meta tags that tint
a phone's status bar, the web app manifest and the generated icons. Reading
them from the one stylesheet keeps a theme change to one edit.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

THEME_CSS = Path(__file__).resolve().parents[2] / "assets" / "theme.css"

Scheme = Literal["light", "dark"]

# The first rule block that sets the light tokens, and the one for dark.
_BLOCK_SELECTORS: dict[Scheme, str] = {"light": ":root", "dark": ".dark"}
_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TOKEN = re.compile(r"--wa-([a-z0-9-]+)\s*:\s*(#[0-9A-Fa-f]{6})\s*;")


class ThemeFileError(ValueError):
    """theme.css lacks a token some generated file needs."""


@functools.cache
def _colours(scheme: Scheme, css: str) -> dict[str, str]:
    wanted = _BLOCK_SELECTORS[scheme]
    for selectors, body in _BLOCK.findall(_COMMENT.sub("", css)):
        if wanted in (part.strip() for part in selectors.split(",")):
            return {name: value.upper() for name, value in _TOKEN.findall(body)}
    raise ThemeFileError(f"{THEME_CSS.name} has no {wanted} block of tokens")


def colour(token: str, scheme: Scheme = "light", *, css_path: Path = THEME_CSS) -> str:
    """The ``#RRGGBB`` value of ``--wa-<token>`` in one colour scheme."""
    colours = _colours(scheme, css_path.read_text(encoding="utf-8"))
    try:
        return colours[token]
    except KeyError:
        raise ThemeFileError(f"{css_path.name} sets no --wa-{token} for {scheme}") from None
