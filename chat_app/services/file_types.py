"""Deciding what an uploaded file really is, from its bytes.

The name and the type a browser reports are chosen by the sender, so neither
is trusted: a file is accepted only when its content is one of a short list of
formats, and it is stored and served as the format its content proves.
Programs, scripts, web pages and SVG (which can carry script) are refused, as
is anything unrecognised.
"""

from __future__ import annotations

import codecs
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from chat_app.services.errors import InvalidInput

FIELD = "file"
MAX_IMAGE_SIDE = 16384
SNIFF_BYTES = 1024
CHUNK = 64 * 1024

NOT_ALLOWED = (
    "This type of file can't be sent. You can send photos (JPEG, PNG, GIF, WebP), "
    "PDFs, text files, Office documents and ZIP archives."
)
PROGRAM = "Programs can't be sent."
SCRIPT = "Scripts can't be sent."
WEB_PAGE = "Web pages and SVG images can't be sent."
NOT_AN_IMAGE = "Choose a photo (JPEG, PNG, GIF or WebP)."
DAMAGED = "This image is damaged or is not really a {label} file."


@dataclass(frozen=True)
class FileType:
    """A format the app accepts: how it is served and which names fit it."""

    mime_type: str
    extension: str  # given to the stored file and, when missing, to the display name
    label: str
    other_extensions: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)


JPEG = FileType("image/jpeg", ".jpg", "JPEG", (".jpeg", ".jpe", ".jfif"))
PNG = FileType("image/png", ".png", "PNG")
GIF = FileType("image/gif", ".gif", "GIF")
WEBP = FileType("image/webp", ".webp", "WebP")
PDF = FileType("application/pdf", ".pdf", "PDF")
# Only extensions no desktop runs when the file is opened from a downloads folder.
TEXT = FileType(
    "text/plain",
    ".txt",
    "text",
    (".md", ".csv", ".tsv", ".log", ".json", ".yaml", ".yml", ".toml", ".ini", ".srt", ".vtt"),
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptx",
    "PowerPoint",
)
ZIP = FileType("application/zip", ".zip", "ZIP")

IMAGE_TYPES = (JPEG, PNG, GIF, WEBP)
ALL_TYPES = (*IMAGE_TYPES, PDF, TEXT, DOCX, XLSX, PPTX, ZIP)
BY_EXTENSION = {t.extension: t for t in ALL_TYPES}
ACCEPTED_EXTENSIONS = frozenset(e for t in ALL_TYPES for e in t.extensions)
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}

# Tags a browser's content sniffer takes as HTML (WHATWG MIME Sniffing, "text/html").
_HTML_STARTS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font",
    b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--",
)  # fmt: skip
_MARKUP_ANYWHERE = (b"<svg", b"<html", b"<script", b"xhtml")
_MACH_O = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")


@dataclass(frozen=True)
class Detected:
    file_type: FileType
    width: int | None = None
    height: int | None = None


def refuse(reason: str) -> InvalidInput:
    return InvalidInput(FIELD, reason)


def detect(path: Path, *, max_image_pixels: int) -> Detected:
    """Identify a stored upload by its content or raise InvalidInput saying why not."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise refuse("The file is empty.")
    if head.startswith((b"\x7fELF", b"MZ")) or head[:4] in _MACH_O:
        raise refuse(PROGRAM)
    image_type = _image_type(head)
    if image_type is not None:
        return _check_image(path, image_type, max_image_pixels=max_image_pixels)
    if head.startswith(b"%PDF-"):
        return Detected(PDF)
    if head.startswith(b"PK\x03\x04"):
        return Detected(_zip_type(path))
    return Detected(_check_text(path, head))


def detect_image(path: Path, *, max_image_pixels: int) -> Detected:
    """Like :func:`detect`, for places that take pictures only (avatars)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise refuse("The file is empty.")
    image_type = _image_type(head)
    if image_type is None:
        raise refuse(NOT_AN_IMAGE)
    return _check_image(path, image_type, max_image_pixels=max_image_pixels)


def _image_type(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _check_image(path: Path, file_type: FileType, *, max_image_pixels: int) -> Detected:
    """Parse the header with Pillow (only that format) and check the size before any
    pixel is decoded, so a small file claiming huge dimensions costs nothing."""
    too_large = refuse(
        f"This image is too large: at most {max_image_pixels / 1e6:g} megapixels "
        f"and {MAX_IMAGE_SIDE:,} pixels on a side."
    )
    damaged = refuse(DAMAGED.format(label=file_type.label))
    with warnings.catch_warnings():
        # Our own limit decides; Pillow's warning threshold is not ours.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=[_PILLOW_FORMATS[file_type]]) as image:
                width, height = image.size
                if (
                    width > MAX_IMAGE_SIDE
                    or height > MAX_IMAGE_SIDE
                    or width * height > max_image_pixels
                ):
                    raise too_large
                if width < 1 or height < 1:
                    raise damaged
                image.verify()
        except InvalidInput:
            raise
        except Image.DecompressionBombError:
            raise too_large from None
        except Exception:
            # Pillow reports malformed input with many exception types (OSError,
            # SyntaxError, struct.error, ValueError...); all mean the same here.
            raise damaged from None
    return Detected(file_type, width, height)


def _zip_type(path: Path) -> FileType:
    """Office Open XML files are ZIPs with ``[Content_Types].xml``; the folder for
    the main part tells Word, Excel and PowerPoint apart. Only the central
    directory is read: nothing is decompressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("This ZIP file is damaged.") from None
    if "[Content_Types].xml" in names:
        for prefix, office_type in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
            if any(name.startswith(prefix) for name in names):
                return office_type
    return ZIP


def _check_text(path: Path, head: bytes) -> FileType:
    """Plain text: UTF-8 throughout, no NUL bytes, and nothing a browser or a
    shell would run (a shebang line, HTML, SVG)."""
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if start.startswith(b"#!"):
        raise refuse(SCRIPT)
    lowered = start.lower()
    if any(_starts_with_tag(lowered, tag) for tag in _HTML_STARTS) or (
        lowered.startswith(b"<") and any(marker in lowered for marker in _MARKUP_ANYWHERE)
    ):
        raise refuse(WEB_PAGE)
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                if b"\x00" in chunk:
                    raise refuse(NOT_ALLOWED)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise refuse(NOT_ALLOWED) from None
    return TEXT


def _starts_with_tag(text: bytes, tag: bytes) -> bool:
    """``<b`` matches ``<b>`` and ``<b class=...>`` but not ``<banana``."""
    if not text.startswith(tag):
        return False
    following = text[len(tag) : len(tag) + 1]
    return tag == b"<!--" or following in (b"", b" ", b">", b"\t", b"\n", b"\r", b"/")
