"""Real files made on the spot for the upload tests: images drawn with Pillow,
hand-written PDF and Office bytes, and the disguised files an attacker would send."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 128, 105)).save(buffer, format=fmt)
    return buffer.getvalue()


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    return image("PNG", size)


def noise_png(size: tuple[int, int] = (640, 480)) -> bytes:
    """A real, incompressible picture (noise): about 1 MB at 640x480, so an upload
    on a throttled connection takes a moment."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    return image("JPEG", size)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims enormous dimensions."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + _png_chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def plain_zip() -> bytes:
    return _zip({"notes.txt": "hello", "photos/readme.md": "# trip"})


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"\x02\x00\x3e\x00"
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>\n"
)
SHELL_SCRIPT = b"#!/bin/sh\necho gotcha\n"
TEXT = "Shopping list: eggs, café au lait, 🍞\n".encode()


def listing(folder: Path) -> list[str]:
    """Everything under a folder, hidden files included (a refusal must add nothing)."""
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def empty(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class EndlessStream:
    """A readable file that never ends and counts what was read from it."""

    def __init__(self, byte: bytes = b"a") -> None:
        self.byte = byte
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 1024 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return self.byte * size
