"""A tab in the background tells its person about new messages, and the title counts them.

The receiver's browser really grants notifications and really shows each one.
A page that the service worker controls (production, the installed app) shows
them through the worker, and they are read back from its registration; a click
is the worker's real ``notificationclick`` on that notification, dispatched in
the worker because a headless browser has no screen to click on. A browser
without the worker (development builds; here one that blocks workers) shows
them from the page, and an init script records those (and the permission
requests the page makes). Hiding the tab is done the way the page learns of it:
the document's visibility changes and ``visibilitychange`` fires.
"""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Browser, Page, WebSocket, expect

from chat_app.services import chat_list, direct_chats, groups
from chat_app.services import message_send as sending
from tests.browser.conftest import person_context
from tests.browser.helpers import (
    alice_and_bob,
    eventually,
    open_as,
    person,
    send_message,
    sign_in,
    sign_out,
)

LIVE_TIMEOUT_MS = 10_000
PLAIN_ICON = "/icons/icon-192.png"

RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  window.__shown = [];
  window.__permissionRequests = 0;
  class Recorded extends Real {
    constructor(title, options = {}) {
      super(title, options);
      window.__shown.push({ title, body: options.body, tag: options.tag, notification: this });
    }
    static requestPermission(...args) {
      window.__permissionRequests += 1;
      return Real.requestPermission(...args);
    }
  }
  window.Notification = Recorded;
})();
"""

SET_VISIBILITY = """(hidden) => {
  Object.defineProperty(document, "visibilityState", {
    configurable: true, get: () => (hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


# Every notification on screen: the page's own and the worker's, in order shown.
SHOWN_JS = """async () => {
  const fromPage = (window.__shown || []).map(({ title, body, tag }) => ({ title, body, tag }));
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller
    ? await navigator.serviceWorker.ready : null;
  const fromWorker = worker
    ? (await worker.getNotifications()).map(({ title, body, tag }) => ({ title, body, tag }))
    : [];
  return [...fromPage, ...fromWorker];
}"""
# The worker's click handler, run on the real notification, as the system would.
CLICK_IN_WORKER_JS = """async (tag) => {
  const [shown] = await self.registration.getNotifications({ tag });
  if (!shown) return false;
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification: shown }));
  return true;
}"""


def _open_receiver(
    browser: Browser,
    app_url: str,
    viewport: str,
    username: str,
    *,
    granted: bool = True,
    worker: bool = True,
) -> Page:
    # Not granted means not asked yet ("default"); an explicit empty list would deny.
    granted_permissions = {"permissions": ["notifications"]} if granted else {}
    context = person_context(
        browser,
        app_url,
        viewport,
        service_workers="allow" if worker else "block",
        **granted_permissions,
    )
    context.add_init_script(RECORD_NOTIFICATIONS)
    page = context.new_page()
    sign_in(page, username)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    if worker:  # as in the installed app, which the worker controls from its first load
        page.wait_for_function("navigator.serviceWorker.controller !== null")
    return page


def _not_asked_yet(browser: Browser, app_url: str, viewport: str) -> tuple[Page, Any, int]:
    """Someone whose browser has not been asked about notifications, the prompt, their id."""
    username, user_id = person("bob", "Bob Brown")
    page = _open_receiver(browser, app_url, viewport, username, granted=False)
    return page, page.get_by_role("region", name="Turn on notifications", exact=True), user_id


def _tab_with_realtime_ready(page: Page) -> Page:
    """Another tab of the same browser, once its realtime socket is ready: a message
    committed before that arrives as part of what the tab loaded, which is (rightly)
    never announced."""
    tab = page.context.new_page()
    frames: list[str] = []

    def watch(socket: WebSocket) -> None:
        if "/realtime" in socket.url:
            socket.on("framereceived", lambda payload: frames.append(str(payload)))

    tab.on("websocket", watch)
    tab.goto("/")
    expect(tab.get_by_role("list", name="Chats")).to_be_visible()
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    while not any('"ready"' in frame for frame in frames):
        assert time.monotonic() < deadline, "the tab's realtime socket never became ready"
        tab.wait_for_timeout(50)
    return tab


def _flip_profile_switch(page: Page, *, now_on: bool) -> None:
    """Turn "Message notifications" in the profile panel over, and close the panel."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Profile").click()
    switch = page.get_by_role("switch", name="Message notifications")
    expect(switch).to_be_checked(checked=not now_on)
    switch.click()
    expect(switch).to_be_checked(checked=now_on)
    page.keyboard.press("Escape")
    expect(switch).to_be_hidden()


def _shown(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(SHOWN_JS)


def _wait_for_shown(page: Page, count: int, *, exactly: bool = False) -> None:
    """Until ``count`` notifications (or, ``exactly``, no more) are on screen."""
    done = f"=== {count}" if exactly else f">= {count}"
    check = f"async () => (await ({SHOWN_JS})()).length {done}"
    assert eventually(page, check, LIVE_TIMEOUT_MS), f"{len(_shown(page))} shown, {count} expected"


def _click_in_worker(page: Page, tag: str) -> None:
    (worker,) = page.context.service_workers
    assert worker.evaluate(CLICK_IN_WORKER_JS, tag), f"no notification tagged {tag}"


def _chat_row(page: Page, name: str):
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def _favicon(page: Page):
    return page.locator('link[rel~="icon"]').first


def test_a_hidden_tab_notifies_and_the_click_opens_the_chat(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    alice = open_as(browser, app_url, viewport, pair.alice)
    bob = _open_receiver(browser, app_url, viewport, pair.bob)
    alice.goto(f"/chat/{pair.chat_id}")
    expect(bob).to_have_title("Chat")
    expect(_favicon(bob)).to_have_attribute("href", PLAIN_ICON)

    # While Bob looks at the list, a message only updates it: the count goes up, no pop-up.
    send_message(alice, "Are you there?")
    expect(_chat_row(bob, "Alice Adams")).to_contain_text("Are you there?")
    expect(bob).to_have_title("(1) Chat")
    expect(_favicon(bob)).to_have_attribute("href", re.compile(r"^data:image/png"))
    expect(_favicon(bob)).to_have_attribute("data-unread", "1")

    # Bob switches to another tab: the next message pops up with sender and text.
    bob.evaluate(SET_VISIBILITY, True)
    send_message(alice, "Lunch at noon?")
    _wait_for_shown(bob, 1)
    assert _shown(bob) == [
        {"title": "Alice Adams", "body": "Lunch at noon?", "tag": f"chat-{pair.chat_id}"}
    ], "only the message that arrived while hidden notifies"
    expect(bob).to_have_title("(1) Chat")  # one chat, however many messages

    # Clicking it brings the tab back and opens the chat.
    _click_in_worker(bob, f"chat-{pair.chat_id}")
    expect(bob).to_have_url(re.compile(rf"/chat/{pair.chat_id}$"))
    _wait_for_shown(bob, 0, exactly=True)  # the clicked one is gone
    bob.evaluate(SET_VISIBILITY, False)
    items = bob.get_by_role("list", name="Messages").get_by_role("listitem")
    expect(items.filter(has_text="Lunch at noon?")).to_be_visible()

    # Read now: the title and the icon are plain again.
    expect(bob).to_have_title("Chat", timeout=LIVE_TIMEOUT_MS)
    expect(_favicon(bob)).to_have_attribute("href", PLAIN_ICON)
    bob.context.close()
    alice.context.close()


def test_muted_chats_stay_quiet_and_groups_name_the_sender(
    browser: Browser, app_url: str, viewport: str
) -> None:
    _, alice_id = person("alice", "Alice Adams")
    bob_name, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Clark")
    muted_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    chat_list.set_chat_flags(user_id=bob_id, chat_id=muted_id, muted=True)
    group_id = groups.create_group(user_id=carol_id, title="Weekend plans", member_ids=[bob_id])
    # Without a service worker (a development build): the page shows them itself.
    bob = _open_receiver(browser, app_url, viewport, bob_name, worker=False)
    expect(_chat_row(bob, "Weekend plans")).to_be_visible()
    bob.evaluate(SET_VISIBILITY, True)

    sending.send_message(
        user_id=alice_id, chat_id=muted_id, body="Psst, muted", client_msg_id="notify-muted-1"
    )
    expect(_chat_row(bob, "Alice Adams")).to_contain_text("Psst, muted")
    sending.send_message(
        user_id=carol_id, chat_id=group_id, body="Saturday?", client_msg_id="notify-group-1"
    )
    _wait_for_shown(bob, 1)
    assert _shown(bob) == [
        {"title": "Weekend plans", "body": "Carol Clark: Saturday?", "tag": f"chat-{group_id}"}
    ], "the muted chat's message made no notification"
    # Two chats hold unread messages; the muted one does not count in the title.
    expect(bob).to_have_title("(1) Chat")
    expect(_favicon(bob)).to_have_attribute("data-unread", "1")

    # The page's own notification opens its chat too.
    bob.evaluate("window.__shown[0].notification.dispatchEvent(new Event('click'))")
    expect(bob).to_have_url(re.compile(rf"/chat/{group_id}$"))
    bob.context.close()


def test_permission_is_asked_only_from_the_prompt_and_the_profile_switch_silences(
    browser: Browser, app_url: str, viewport: str
) -> None:
    bob, prompt, bob_id = _not_asked_yet(browser, app_url, viewport)
    expect(prompt).to_contain_text("Get notified of new messages")
    assert bob.evaluate("window.__permissionRequests") == 0, "asked on load"

    # The person says yes in the browser's dialog once the prompt asks.
    bob.context.grant_permissions(["notifications"])
    prompt.get_by_role("button", name="Turn on notifications").click()
    expect(prompt).to_be_hidden()
    assert bob.evaluate("window.__permissionRequests") == 1

    # The profile shows them on, and turns them off for this browser only.
    _, alice_id = person("alice", "Alice Adams")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    _flip_profile_switch(bob, now_on=False)
    bob.evaluate(SET_VISIBILITY, True)
    sending.send_message(
        user_id=alice_id, chat_id=chat_id, body="Quiet one", client_msg_id="notify-off-1"
    )
    expect(_chat_row(bob, "Alice Adams")).to_contain_text("Quiet one")

    # On again: the next message notifies, and only that one.
    _flip_profile_switch(bob, now_on=True)
    sending.send_message(
        user_id=alice_id, chat_id=chat_id, body="Loud one", client_msg_id="notify-off-2"
    )
    _wait_for_shown(bob, 1)
    assert [shown["body"] for shown in _shown(bob)] == ["Loud one"]
    bob.context.close()


def test_the_prompt_can_be_dismissed_for_good(
    browser: Browser, app_url: str, viewport: str
) -> None:
    bob, prompt, _ = _not_asked_yet(browser, app_url, viewport)
    prompt.get_by_role("button", name="Dismiss").click()
    expect(prompt).to_be_hidden()
    bob.reload()
    # The prompt renders with the list, so once the list is there it would be too.
    expect(bob.get_by_role("list", name="Chats")).to_be_visible()
    expect(prompt).to_be_hidden()
    assert bob.evaluate("window.__permissionRequests") == 0
    bob.context.close()


def test_signing_out_takes_message_notifications_off_the_screen(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    bob = _open_receiver(browser, app_url, viewport, pair.bob)
    # A second tab of Bob's, in the background, is the one that notifies.
    background = _tab_with_realtime_ready(bob)
    background.evaluate(SET_VISIBILITY, True)
    sending.send_message(
        user_id=pair.alice_id,
        chat_id=pair.chat_id,
        body="Private words",
        client_msg_id="notify-out-1",
    )
    _wait_for_shown(background, 1)

    # Bob signs out in the tab in front: the preview of Alice's message goes too.
    sign_out(bob)
    _wait_for_shown(bob, 0, exactly=True)
    bob.context.close()
