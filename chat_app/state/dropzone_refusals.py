"""What the browser's file chooser refused, in the words a person reads.

The attach dialog's drop zone (react-dropzone) refuses, before anything is
uploaded, files over the size limit, a choice of more files than one upload
may carry, and types the app never sends. It reports each refused file's
name, size and reason codes; this says which files and why. The names come
from the person's own disk and are shown as text only.
"""

from __future__ import annotations

from typing import Any

from chat_app.services import attachments

TOO_MANY = "too-many-files"
TOO_LARGE = "file-too-large"
WRONG_TYPE = "file-invalid-type"
NAME_MAX = attachments.NAME_MAX


def describe(rejected: Any) -> str:
    """One message for everything refused at once ("" when nothing was)."""
    files = (
        [item for item in rejected if isinstance(item, dict)] if isinstance(rejected, list) else []
    )
    if any(TOO_MANY in _codes(item) for item in files):
        return f"{len(files)} files chosen; send up to {attachments.MAX_FILES_PER_UPLOAD} at once."
    return " ".join(_why(item) for item in files[: attachments.MAX_FILES_PER_UPLOAD])


def _why(item: dict[str, Any]) -> str:
    name = str(item.get("name") or "This file")[:NAME_MAX]
    codes = _codes(item)
    if TOO_LARGE in codes:
        size = item.get("size")
        return attachments.too_large(name, size if isinstance(size, int) else 0)
    if WRONG_TYPE in codes:
        return f"{name} can't be sent: choose a photo, a PDF, a text, an Office file or a ZIP."
    return f"{name} can't be sent."


def _codes(item: dict[str, Any]) -> list[str]:
    codes = item.get("codes")
    return [code for code in codes if isinstance(code, str)] if isinstance(codes, list) else []
