"""Screenshots of the main screens for the README: chat list and conversation,
phone and desktop, light and dark.

Seeds a throw-away database with a small, believable conversation, runs the
app as production does, and captures each screen with the system Chromium.

    python scripts/screenshots.py   # writes docs/screenshots/*.png
"""

from __future__ import annotations

import io
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from PIL import Image, ImageDraw  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402
from scratch_db import scratch_database  # noqa: E402

from chat_app.services import (  # noqa: E402
    attachments,
    auth,
    chat_list,
    direct_chats,
    groups,
    history,
    message_changes,
)
from chat_app.services.message_send import send_message  # noqa: E402
from tests.app_runner import CHROMIUM_ARGS, chromium_executable, running_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "screenshots passphrase"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
# A phone is a touch screen: no hover, so no message-menu chevron (a long press opens it).
TOUCH = {"phone": {"has_touch": True, "is_mobile": True}, "desktop": {}}


def _say(user_id: int, chat_id: int, text: str, reply_to: int | None = None) -> int:
    return send_message(
        user_id=user_id,
        chat_id=chat_id,
        body=text,
        client_msg_id=uuid.uuid4().hex,
        reply_to_id=reply_to,
    ).message_id


def _photo() -> bytes:
    image = Image.new("RGB", (800, 520), (135, 196, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 800, 520), fill=(236, 214, 160))
    draw.ellipse((560, 60, 680, 180), fill=(255, 222, 89))
    draw.polygon([(0, 330), (220, 170), (430, 330)], fill=(94, 140, 97))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _seed() -> tuple[str, int]:
    people = {}
    for username, name in [
        ("maria", "Maria Santos"),
        ("tom", "Tom Becker"),
        ("aisha", "Aisha Khan"),
        ("lee", "Lee Wong"),
        ("nina", "Nina Petrova"),
    ]:
        people[username] = auth.sign_up(
            username=username, display_name=name, password=PASSWORD
        ).user.id
    me, tom, aisha, lee, nina = (people[k] for k in ("maria", "tom", "aisha", "lee", "nina"))

    trip = groups.create_group(user_id=me, title="Weekend trip 🏕️", member_ids=[tom, aisha, lee])
    first = _say(tom, trip, "Who's bringing the tent?")
    _say(aisha, trip, "I have one for four people")
    _say(me, trip, "Perfect, I'll bring the stove and coffee ☕", reply_to=first)
    attachments.send_attachment(
        user_id=lee,
        chat_id=trip,
        filename="lake.jpg",
        data=_photo(),
        caption="The lake last summer",
        client_msg_id=uuid.uuid4().hex,
    )
    late = _say(tom, trip, "Leaving at 8 on Saturday?")
    message_changes.react(user_id=aisha, message_id=late, emoji="👍")
    _say(aisha, trip, "Works for me!")
    # Short bubbles, whose ends nothing may cover (no chevron at rest on a phone).
    _say(lee, trip, "Who's in for Saturday?")
    _say(me, trip, "Me 🙋")
    _say(lee, trip, "I'll bring the tea")

    tom_chat = direct_chats.open_direct_chat(user_id=me, other_user_id=tom)
    _say(tom, tom_chat, "Did you get the tickets?")
    answer = _say(me, tom_chat, "Yes, two for Friday 🎉")
    history.mark_read(user_id=tom, chat_id=tom_chat, up_to_message_id=answer)

    nina_chat = direct_chats.open_direct_chat(user_id=me, other_user_id=nina)
    _say(nina, nina_chat, "Call me when you land")
    _say(nina, nina_chat, "And send a photo of the view!")

    lee_chat = direct_chats.open_direct_chat(user_id=me, other_user_id=lee)
    _say(me, lee_chat, "Thanks for the recipe")
    chat_list.list_chats(user_id=lee)  # Lee's phone has it: delivered
    return "maria", trip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with scratch_database("shots") as (url, _dsn), tempfile.TemporaryDirectory() as scratch:
        username, trip = _seed()
        with running_app(url, Path(scratch) / "reflex.log") as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            for theme in ("light", "dark"):
                for name, viewport in VIEWPORTS.items():
                    context = browser.new_context(
                        base_url=base,
                        viewport=viewport,
                        color_scheme=theme,
                        device_scale_factor=1,
                        **TOUCH[name],
                    )
                    page = context.new_page()
                    page.goto("/signin")
                    page.get_by_label("Username").fill(username)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    expect(page.get_by_role("listitem").filter(has_text="Nina")).to_be_visible()
                    page.wait_for_timeout(600)
                    page.screenshot(path=str(OUT / f"{name}-list-{theme}.png"))
                    page.goto(f"/chat/{trip}")
                    expect(page.get_by_role("img", name="lake.jpg")).to_be_visible()
                    page.wait_for_timeout(1200)
                    page.screenshot(path=str(OUT / f"{name}-chat-{theme}.png"))
                    context.close()
            browser.close()
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
