"""Photos lose their EXIF (the place they were taken first of all) and stay upright."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from chat_app.services import attachments, direct_chats, file_types, people
from tests import test_attachments_service
from tests.factories import make_user
from tests.test_attachments_service import stored

# The upload folder, emptied around each test.
uploads = test_attachments_service.uploads

RED, BLUE = (220, 0, 0), (0, 0, 220)
# Where the phone was: what must not reach anyone else.
LATITUDE = (51.0, 30.0, 12.34)
CAMERA = "SecretPhone 12"


def sideways_photo_with_location(fmt: str = "JPEG") -> bytes:
    """What a phone held upright writes: the sensor's landscape pixels plus
    Orientation 6 ("turn 90° clockwise to show"), GPS and the camera's name.

    Shown upright, the photo is 40 wide and 80 tall with red in its top half.
    Stored sideways, red is the *left* half of the 80x40 sensor image.
    """
    sensor = Image.new("RGB", (80, 40), BLUE)
    sensor.paste(RED, (0, 0, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    buffer = io.BytesIO()
    sensor.save(buffer, format=fmt, exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def assert_bare_and_upright(path: Path) -> None:
    raw = path.read_bytes()
    assert CAMERA.encode() not in raw
    assert b"Exif\x00\x00" not in raw
    with Image.open(path) as image:
        assert dict(image.getexif()) == {}
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info
        assert "xmp" not in image.info
        # Upright without any tag: portrait, red on top, blue below.
        assert image.size == (40, 80)
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((20, 10)), rgb.getpixel((20, 70))
    assert is_colour(top, RED), top
    assert is_colour(bottom, BLUE), bottom


def is_colour(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(got - want) < 40 for got, want in zip(pixel, colour, strict=True))


def test_the_sample_really_carries_location_and_a_sideways_orientation():
    with Image.open(io.BytesIO(sideways_photo_with_location())) as image:
        exif = image.getexif()
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert image.size == (80, 40)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_sent_photo_is_stored_without_exif_and_upright(db, uploads, fmt):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)

    sent = attachments.send_attachment(
        user_id=alice.id,
        chat_id=chat_id,
        filename="beach",
        data=io.BytesIO(sideways_photo_with_location(fmt)),
        caption="",
        client_msg_id="c-exif-0001",
    )

    row = stored(sent.message_id)
    path = uploads / row.storage_name
    assert_bare_and_upright(path)
    # The chat lays the bubble out with the upright size, and the size is the stored file's.
    assert (row.width, row.height) == (40, 80)
    assert row.size_bytes == path.stat().st_size


def test_a_profile_picture_is_stored_without_exif_and_upright(db, uploads):
    alice = make_user(db, "alice")

    name = people.set_profile_photo(
        user_id=alice.id, data=sideways_photo_with_location()
    ).avatar_path

    assert_bare_and_upright(uploads / attachments.AVATAR_FOLDER / name)


def test_an_animation_keeps_its_frames_and_loses_its_comment(db, uploads):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    frames = [Image.new("RGB", (12, 12), colour) for colour in (RED, BLUE, (0, 160, 0))]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=150, loop=0,
        comment=CAMERA.encode(),
    )  # fmt: skip

    sent = attachments.send_attachment(
        user_id=alice.id,
        chat_id=chat_id,
        filename="wave.gif",
        data=io.BytesIO(buffer.getvalue()),
        caption="",
        client_msg_id="c-exif-0002",
    )

    path = uploads / stored(sent.message_id).storage_name
    assert CAMERA.encode() not in path.read_bytes()
    with Image.open(path) as image:
        assert image.n_frames == 3
        assert image.info["duration"] == 150


def test_an_image_whose_pixels_do_not_decode_is_refused_and_leaves_nothing(db, uploads):
    alice = make_user(db, "alice")
    whole = sideways_photo_with_location()
    # The header and tables are intact (the structural check passes), the scan is cut short.
    cut = whole[:-50]
    file_types.detect_image(_write(uploads / "probe.jpg", cut), max_image_pixels=10**6)
    (uploads / "probe.jpg").unlink()

    with pytest.raises(file_types.InvalidInput, match="damaged"):
        people.set_profile_photo(user_id=alice.id, data=cut)

    assert not any(path.is_file() for path in uploads.rglob("*"))


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
