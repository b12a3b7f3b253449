"""Links to backend routes (our file routes), which in development live on another port."""

from __future__ import annotations

import reflex as rx
from reflex.constants import Dirs
from reflex.vars.base import Var, VarData
from reflex_base.utils.imports import ImportVar

# Same expression Reflex's upload helpers use, reduced to scheme://host:port.
_BACKEND_ORIGIN = Var(
    _js_expr="getBackendURL(env.UPLOAD).origin",
    _var_data=VarData(
        imports={
            f"$/{Dirs.STATE_PATH}": "getBackendURL",
            "$/env.json": ImportVar(tag="env", is_default=True),
        }
    ),
).to(str)


def backend_href(path: rx.Var[str]) -> rx.Var[str]:
    """An absolute URL for a backend path such as ``/files/1/photo.jpg?...``."""
    return _BACKEND_ORIGIN + path
