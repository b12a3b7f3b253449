"""Make the app's icons from one source image, and put the theme colours into the manifest.

    python scripts/make_icons.py          # writes assets/icons/*.png, updates assets/manifest.json
    python scripts/make_icons.py --check  # exits 1 when those files are not what it would write

The source, ``assets/app_icon.png``, is the white glyph on a transparent
square. Each icon puts it on the accent colour of ``assets/theme.css``:

- ``icon-192.png``, ``icon-512.png`` (purpose "any"): a round badge, transparent
  around it, as launchers and the browser's install prompt show it.
- ``icon-maskable-192.png``, ``icon-maskable-512.png``: the colour to every edge
  and the glyph inside the central circle of 80 % that Android keeps whatever
  shape it cuts the icon to.
- ``apple-touch-icon.png`` (180 px): a full square, since iOS rounds the corners
  itself and shows black where an icon is transparent.

Change the glyph by replacing the source image, the colours by editing
theme.css, then run this again and commit what it wrote.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat_app.ui.theme_colours import colour  # noqa: E402

ASSETS = ROOT / "assets"
SOURCE = ASSETS / "app_icon.png"
ICONS = ASSETS / "icons"
MANIFEST = ASSETS / "manifest.json"
MIN_SOURCE_PX = 512

# The glyph's width as a share of the icon: a badge leaves room for its rim, a
# maskable icon keeps the glyph well inside the 80 % safe circle.
BADGE_GLYPH = 0.58
MASKABLE_GLYPH = 0.50
SQUARE_GLYPH = 0.62
SUPERSAMPLE = 4  # the badge's circle is drawn large and reduced, for a smooth edge


def _glyph(source: Image.Image, size: int, share: float) -> Image.Image:
    side = round(size * share)
    return source.resize((side, side), Image.LANCZOS)


def _on(background: Image.Image, glyph: Image.Image) -> Image.Image:
    offset = ((background.width - glyph.width) // 2, (background.height - glyph.height) // 2)
    background.alpha_composite(glyph, offset)
    return background


def badge(source: Image.Image, size: int, accent: str) -> Image.Image:
    big = size * SUPERSAMPLE
    disc = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    margin = round(big * 0.04)
    ImageDraw.Draw(disc).ellipse((margin, margin, big - margin, big - margin), fill=accent)
    return _on(disc.resize((size, size), Image.LANCZOS), _glyph(source, size, BADGE_GLYPH))


def square(source: Image.Image, size: int, accent: str, share: float) -> Image.Image:
    return _on(Image.new("RGBA", (size, size), accent), _glyph(source, size, share))


def icons(source: Image.Image, accent: str) -> dict[str, Image.Image]:
    return {
        "icon-192.png": badge(source, 192, accent),
        "icon-512.png": badge(source, 512, accent),
        "icon-maskable-192.png": square(source, 192, accent, MASKABLE_GLYPH),
        "icon-maskable-512.png": square(source, 512, accent, MASKABLE_GLYPH),
        "apple-touch-icon.png": square(source, 180, accent, SQUARE_GLYPH),
    }


def manifest(current: dict[str, object]) -> dict[str, object]:
    """The manifest with colours from the tokens and the icon list this script makes.

    The theme colour tints the title bar of the installed app: the light header
    panel (the page's theme-color meta tags refine it for dark mode). The
    background is what the splash screen shows before the first paint: the
    light chat list's."""
    entries = [
        ("icon-192.png", 192, "any"),
        ("icon-512.png", 512, "any"),
        ("icon-maskable-192.png", 192, "maskable"),
        ("icon-maskable-512.png", 512, "maskable"),
    ]
    return {
        **current,
        "theme_color": colour("panel"),
        "background_color": colour("sidebar"),
        "icons": [
            {"src": f"/icons/{name}", "sizes": f"{px}x{px}", "type": "image/png", "purpose": use}
            for name, px, use in entries
        ],
    }


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def load_source(path: Path = SOURCE) -> Image.Image:
    """The source glyph, or SystemExit with one line saying what is wrong with it."""
    try:
        image = Image.open(path)
        image.load()
    except (OSError, ValueError) as error:
        raise SystemExit(f"{path}: not a readable image ({error})") from None
    if image.width != image.height or image.width < MIN_SOURCE_PX:
        raise SystemExit(
            f"{path}: needs a square of at least {MIN_SOURCE_PX} px,"
            f" got {image.width}x{image.height}"
        )
    return image.convert("RGBA")


def planned() -> dict[Path, bytes]:
    """Every file this script writes, with its bytes."""
    source = load_source()
    made = icons(source, colour("accent-strong"))
    files = {ICONS / name: _png(image) for name, image in made.items()}
    current = json.loads(MANIFEST.read_text(encoding="utf-8"))
    files[MANIFEST] = (json.dumps(manifest(current), indent=2, ensure_ascii=False) + "\n").encode()
    return files


def stale(files: dict[Path, bytes]) -> list[Path]:
    """The files on disk that differ from what this script would write."""
    return [path for path, data in files.items() if not path.exists() or path.read_bytes() != data]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    args = parser.parse_args(argv)
    files = planned()
    if args.check:
        out_of_date = stale(files)
        for path in out_of_date:
            print(f"out of date: {path.relative_to(ROOT)} (run scripts/make_icons.py)")
        return 1 if out_of_date else 0
    ICONS.mkdir(exist_ok=True)
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
