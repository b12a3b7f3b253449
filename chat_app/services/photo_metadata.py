"""Removing what a photo says about where and how it was taken.

Phones write EXIF (the place, to a few metres; the time; the camera's make
and serial), XMP and comments into every picture. None of it is needed to
show the photo, so a checked picture is written again from its pixels alone,
before it is kept: the orientation a camera records as a tag is applied to
the pixels instead (so the photo stays upright in every viewer), the colour
profile is kept (so the colours do not shift), and nothing else survives.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from chat_app.services.file_types import DAMAGED, GIF, JPEG, PNG, WEBP, FileType, refuse

ORIENTATION_TAG = 0x0112
# Quality of a JPEG or WebP written again after turning it upright (an upright
# JPEG keeps its own quantisation, so it loses nothing it had).
REENCODE_QUALITY = 92
_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}
# What a format may keep: only what drawing the pixels needs.
_KEPT_INFO = {
    GIF: ("duration", "loop", "transparency", "disposal", "background"),
    WEBP: ("duration", "loop", "background"),
}


def strip(path: Path, file_type: FileType) -> tuple[int, int]:
    """Rewrite the image at ``path`` in place with no metadata; returns its width and
    height as stored (swapped when the orientation turned it on its side).

    The file has passed :func:`file_types.detect` (its size is within limits),
    so decoding it here is safe.
    """
    fmt = _FORMATS[file_type]
    draft = path.with_name(path.name + ".clean")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=[fmt]) as image:
                options = _options(image, file_type)
                if getattr(image, "n_frames", 1) > 1:
                    # Animations keep their frames and timing; cameras do not rotate them.
                    frames = [_bare(frame.copy()) for frame in ImageSequence.Iterator(image)]
                    frames[0].save(
                        draft, format=fmt, save_all=True, append_images=frames[1:], **options
                    )
                    size = image.size
                else:
                    upright = _upright(image)
                    if upright is image and file_type == JPEG:
                        # Already upright: same quantisation and subsampling, no further loss.
                        options |= {"quality": "keep", "subsampling": "keep"}
                    elif file_type in (JPEG, WEBP):
                        options["quality"] = REENCODE_QUALITY
                    _bare(upright).save(draft, format=fmt, **options)
                    size = upright.size
        os.replace(draft, path)
    except Exception:
        # verify() read the structure only; a file whose pixels do not decode
        # is refused like any other damaged image.
        raise refuse(DAMAGED.format(label=file_type.label)) from None
    finally:
        draft.unlink(missing_ok=True)
    return size


def _options(image: Image.Image, file_type: FileType) -> dict[str, object]:
    """What is written besides the pixels: the colour profile and animation timing."""
    options: dict[str, object] = {
        key: image.info[key] for key in _KEPT_INFO.get(file_type, ()) if key in image.info
    }
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if file_type == WEBP and image.info.get("lossless"):
        options["lossless"] = True
    return options


def _bare(image: Image.Image) -> Image.Image:
    """Forget what was read with the pixels (some writers copy it back: GIF comments)."""
    image.info = {}
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its orientation tag says (the image itself when it needs no turn)."""
    orientation = image.getexif().get(ORIENTATION_TAG, 1)
    if orientation in (0, 1):
        return image
    turned = ImageOps.exif_transpose(image)
    return turned if turned is not None else image
