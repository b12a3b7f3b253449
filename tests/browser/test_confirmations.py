"""What cannot be taken back is asked first: deleting a message for everyone and
removing someone from a group. Cancel changes nothing; the names asked about are
shown as the text they are."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from chat_app.services import groups, history
from tests.browser.helpers import (
    alice_and_bob,
    message,
    message_action,
    open_as,
    person,
    say,
)

# A name and a title as people may type them: markup and braces are only text.
ODD_NAME = "Dan <b>{x}</b> Day"
ODD_TITLE = 'Trip "{y}" <i>2026</i>'


def test_delete_for_everyone_is_asked_first(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.alice_id, "Oops, wrong chat")
    alice = open_as(browser, app_url, viewport, pair.alice)
    alice.goto(f"/chat/{pair.chat_id}")
    question = alice.get_by_role("alertdialog", name="Delete message?")

    message_action(alice, "Oops, wrong chat", "Delete for everyone")
    expect(question).to_be_visible()
    expect(question.get_by_role("button", name="Delete for everyone")).to_be_visible()
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_have_count(0)
    expect(message(alice, "Oops, wrong chat")).to_be_visible()
    alice.reload()
    expect(message(alice, "Oops, wrong chat")).to_be_visible()
    stored = history.load_latest(user_id=pair.bob_id, chat_id=pair.chat_id).messages[-1]
    assert stored.body == "Oops, wrong chat"

    message_action(alice, "Oops, wrong chat", "Delete for everyone")
    # The question comes with the server's answer: Esc is for the question, not
    # for the moment before it (it would then open over the next step).
    expect(question).to_be_visible()
    alice.keyboard.press("Escape")
    expect(question).to_have_count(0)
    expect(message(alice, "Oops, wrong chat")).to_be_visible()

    message_action(alice, "Oops, wrong chat", "Delete for everyone")
    question.get_by_role("button", name="Delete for everyone").click()
    expect(question).to_have_count(0)
    expect(message(alice, "This message was deleted")).to_be_visible()
    expect(alice.get_by_text("Oops, wrong chat")).to_have_count(0)


def test_removing_a_member_is_asked_first(browser: Browser, app_url: str, viewport: str) -> None:
    carol, carol_id = person("carol", "Carol Díaz")
    _, dan_id = person("dan", ODD_NAME)
    chat_id = groups.create_group(user_id=carol_id, title=ODD_TITLE, member_ids=[dan_id])
    page = open_as(browser, app_url, viewport, carol)
    page.goto(f"/chat/{chat_id}")
    page.get_by_role("button", name="Chat info").click()
    info = page.get_by_role("dialog", name="Group info")
    members = info.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem")).to_have_count(2)
    question = page.get_by_role("alertdialog", name=f'Remove {ODD_NAME} from "{ODD_TITLE}" group?')

    info.get_by_role("button", name=f"Remove {ODD_NAME} from the group").click()
    expect(question).to_be_visible()
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_have_count(0)
    expect(members.get_by_role("listitem", name=ODD_NAME)).to_be_visible()
    details = history.chat_details(user_id=carol_id, chat_id=chat_id)
    assert {m.user_id for m in details.members} == {carol_id, dan_id}

    info.get_by_role("button", name=f"Remove {ODD_NAME} from the group").click()
    question.get_by_role("button", name="Remove").click()
    expect(question).to_have_count(0)
    expect(members.get_by_role("listitem")).to_have_count(1)
    expect(members.get_by_role("listitem", name=ODD_NAME)).to_have_count(0)
