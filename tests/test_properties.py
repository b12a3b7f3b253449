"""Random and hostile input, generated: the parsers and rules answer with their own
errors only, what they accept obeys the rules, and a refusal stores nothing.

Hypothesis generates the input (text of every kind, the strings that broke
Reflex, JSON of any shape, bytes behind real file signatures); the services
run against the real test database, whose rows are counted around each call.
Example counts are kept small so the whole file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import json
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import chat_app.models  # noqa: F401  (every table on the metadata)
from chat_app.protocol import CLIENT_FRAME, SERVER_FRAME, Ack, Event, EventKind
from chat_app.realtime.endpoint import _PLAIN_ACK, _why
from chat_app.services import (
    attachments,
    auth,
    direct_chats,
    file_types,
    groups,
    message_changes,
    message_send,
    people,
)
from chat_app.services.errors import InvalidInput, ServiceError
from chat_app.services.text_rules import is_blank, refuse_control_characters
from chat_app.settings import get_settings
from tests import sample_files
from tests.factories import PASSWORD, make_user

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=15)  # each example writes to the database

# What broke Reflex, what breaks templates and scripts, and what hides text.
HOSTILE = [
    "<reflex.Var>x</reflex.Var>",
    "<reflex.Var>1</reflex.Var>",
    "<reflex.Var>-1</reflex.Var>",
    "<reflex.Var>",
    "{x}",
    "${x}",
    "`",
    "</script><script>",
    "\u202e",
    "\u200b",
    "\u200d",
    "%s%n",
    "\x00",
    "\r\n",
    "\t",
    "\ufeff",
    "\ud7ff",
    "\U0001f600",
    "e\u0301",
    "..",
    "/",
    "\\",
    " ",
]
texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=8).map("".join),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=12),
)
long_texts = st.integers(min_value=0, max_value=5000).map(lambda n: "a" * n)


def _rows(db: Engine) -> dict[str, int]:
    with db.connect() as connection:
        return {
            table.name: connection.execute(text(f"SELECT count(*) FROM {table.name}")).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def _attempt(call: Callable[[], Any]) -> tuple[Any, InvalidInput | None]:
    """The result of ``call``, or the rule's refusal (any other error propagates)."""
    try:
        return call(), None
    except InvalidInput as error:
        return None, error


def _no_control_characters(value: str, *, multiline: bool = False) -> bool:
    try:
        refuse_control_characters("x", value, multiline=multiline)
    except InvalidInput:
        return False
    return True


# --- the realtime protocol's parser -------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
frame_types = st.sampled_from(["auth", "resume", "ack", "typing", "event", "ready", "x", ""])
frame_like = st.fixed_dictionaries(
    {"type": frame_types},
    optional={
        "token": json_values,
        "last_event_id": st.integers() | json_values,
        "chat_id": st.integers() | json_values,
        "id": st.integers() | json_values,
        "kind": st.sampled_from([k.value for k in EventKind]) | json_values,
        "data": st.dictionaries(
            st.sampled_from(["chat_id", "message_id", "user_id", "emoji", "title", "x"]),
            json_values,
            max_size=4,
        )
        | json_values,
        "v": json_values,
    },
)


@FAST
@given(st.one_of(texts, json_values.map(json.dumps), frame_like.map(json.dumps)))
def test_a_client_frame_parses_or_is_refused_with_a_reason(raw: str) -> None:
    try:
        CLIENT_FRAME.validate_json(raw)
    except ValidationError as error:
        reason = _why(raw, error)
        assert isinstance(reason, str)
        assert 0 < len(reason) <= 200


@FAST
@given(st.one_of(json_values, frame_like))
def test_an_event_or_server_frame_parses_or_is_refused(value: Any) -> None:
    for parse in (Event.model_validate, SERVER_FRAME.validate_python):
        with contextlib.suppress(ValidationError):
            parse(value)


@FAST
@given(
    st.integers(min_value=-5, max_value=10**19),
    st.lists(
        st.sampled_from(["", " ", "\t", "\n", "\r", "\u00a0", "\u2028"]), min_size=8, max_size=8
    ),
)
def test_every_ack_the_fast_path_takes_is_the_ack_the_parser_reads(
    event_id: int, gaps: list[str]
) -> None:
    a, b, c, d, e, f, g, h = gaps
    raw = f'{{{a}"type"{b}:{c}"ack"{d},{e}"last_event_id"{f}:{g}{event_id}{h}}}'
    fast = _PLAIN_ACK.fullmatch(raw)
    if fast is None:
        return
    frame = CLIENT_FRAME.validate_json(raw)
    assert isinstance(frame, Ack)
    assert frame.last_event_id == int(fast[1]) == event_id


# --- the text rules ------------------------------------------------------------------------

Rule = Callable[[str], str]
RULES: dict[str, tuple[Rule, bool]] = {  # rule, multiline
    "body": (message_send.check_body, True),
    "display name": (auth.check_display_name, False),
    "username": (auth.check_username, False),
    "group title": (groups.check_title, False),
    "about": (people.check_about, False),
    "client message id": (message_send.check_client_msg_id, False),
    "emoji": (message_changes.check_emoji, False),
}


@pytest.mark.parametrize("name", RULES)
def test_a_text_rule_accepts_only_clean_text_and_refuses_with_its_own_error(name: str) -> None:
    rule, multiline = RULES[name]

    @FAST
    @given(st.one_of(texts, long_texts))
    def check(value: str) -> None:
        accepted, error = _attempt(lambda: rule(value))
        if error is not None:
            assert str(error)
            return
        assert isinstance(accepted, str)
        assert _no_control_characters(accepted, multiline=multiline) or name == "emoji"
        assert "\x00" not in accepted
        assert rule(accepted) == accepted  # what was stored passes again, unchanged

    check()


@FAST
@given(texts)
def test_blank_means_nothing_anyone_could_see(value: str) -> None:
    if is_blank(value):
        assert all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)
        with pytest.raises(InvalidInput):
            message_send.check_body(value)


@FAST
@given(texts, st.sampled_from(sorted(file_types.ACCEPTED_EXTENSIONS)))
def test_a_file_name_is_shown_safely_whatever_was_sent(filename: str, extension: str) -> None:
    file_type = next(t for t in file_types.ALL_TYPES if extension in t.extensions)
    shown = attachments.display_name(filename, file_type)
    assert shown
    assert len(shown) <= attachments.NAME_MAX
    assert "/" not in shown
    assert "\\" not in shown
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in shown)
    assert shown.lower().endswith(file_type.extensions)


# --- file typing ---------------------------------------------------------------------------

SIGNATURES = [
    b"",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"#!",
    b"<svg",
    b"<!DOCTYPE html>",
    b"\xef\xbb\xbf",
    b"\xfe\xff",
]
file_bytes = st.one_of(
    st.binary(max_size=2048),
    st.tuples(st.sampled_from(SIGNATURES), st.binary(max_size=512)).map(b"".join),
    st.tuples(
        st.sampled_from([sample_files.png(), sample_files.pdf(), sample_files.docx()]),
        st.integers(min_value=0, max_value=400),
        st.binary(max_size=64),
    ).map(lambda t: t[0][: t[1]] + t[2]),  # cut short, then garbage
    texts.map(str.encode),
)


@FAST
@given(file_bytes)
def test_file_typing_names_a_type_or_refuses_with_a_reason(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("typing") / "upload"
    path.write_bytes(data)
    for detect in (file_types.detect, file_types.detect_image):
        detected, error = _attempt(
            lambda detect=detect: detect(path, max_image_pixels=get_settings().max_image_pixels)
        )
        if error is not None:
            assert error.field == "file"
            assert str(error)
            continue
        assert detected.file_type in file_types.ALL_TYPES
        if detect is file_types.detect_image:
            assert detected.file_type.is_image


# --- services against the database: a refusal stores nothing -------------------------------


def _refusal_stores_nothing(db: Engine, call: Callable[[], Any]) -> Any:
    """Run ``call``; a refusal must raise the service's own error and leave every table as
    it was. Returns the result, or None after a refusal."""
    before = _rows(db)
    try:
        return call()
    except ServiceError:
        assert _rows(db) == before
        return None


def test_a_message_body_is_stored_as_checked_or_not_at_all(db) -> None:
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)

    @SLOW
    @given(st.one_of(texts, long_texts))
    def check(body: str) -> None:
        sent = _refusal_stores_nothing(
            db,
            lambda: message_send.send_message(
                user_id=alice.id, chat_id=chat_id, body=body, client_msg_id=uuid.uuid4().hex
            ),
        )
        if sent is None:
            return
        with db.connect() as connection:
            stored = connection.execute(
                text("SELECT body FROM messages WHERE id = :id"), {"id": sent.message_id}
            ).scalar_one()
        assert stored == message_send.check_body(body)
        edited = _refusal_stores_nothing(
            db,
            lambda: message_changes.edit_message(
                user_id=alice.id, message_id=sent.message_id, body=body + body
            ),
        )
        del edited

    check()


def test_a_group_title_is_stored_as_checked_or_not_at_all(db) -> None:
    alice, bob = make_user(db, "alice"), make_user(db, "bob")

    @SLOW
    @given(texts, texts)
    def check(title: str, new_title: str) -> None:
        chat_id = _refusal_stores_nothing(
            db, lambda: groups.create_group(user_id=alice.id, title=title, member_ids=[bob.id])
        )
        if chat_id is None:
            return
        _refusal_stores_nothing(
            db, lambda: groups.rename_group(user_id=alice.id, chat_id=chat_id, title=new_title)
        )

    check()


def test_a_profile_is_stored_as_checked_or_not_at_all(db) -> None:
    alice = make_user(db, "alice")

    @SLOW
    @given(texts, texts)
    def check(display_name: str, about: str) -> None:
        before = people.get_profile(user_id=alice.id)
        try:
            people.update_profile(user_id=alice.id, display_name=display_name, about=about)
        except ServiceError:
            assert people.get_profile(user_id=alice.id) == before
            return
        after = people.get_profile(user_id=alice.id)
        assert after.display_name == auth.check_display_name(display_name)
        assert after.about == people.check_about(about)

    check()


def test_a_sign_up_with_hostile_names_is_refused_or_stored_as_checked(db) -> None:
    @settings(SLOW, max_examples=10)
    @given(
        st.one_of(texts, st.just("p_") | st.from_regex(r"[a-z][a-z0-9_]{2,12}", fullmatch=True)),
        texts,
    )
    def check(username: str, display_name: str) -> None:
        assume(username.strip().lower() not in {"alice"})
        signed = _refusal_stores_nothing(
            db,
            lambda: auth.sign_up(username=username, display_name=display_name, password=PASSWORD),
        )
        if signed is not None:
            assert signed.user.display_name == auth.check_display_name(display_name)

    check()


def test_an_attachment_is_stored_whole_or_leaves_nothing_behind(db) -> None:
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    folder: Path = get_settings().upload_dir

    @SLOW
    @given(file_bytes, texts, texts)
    def check(data: bytes, filename: str, caption: str) -> None:
        files_before = sample_files.listing(folder)
        sent = _refusal_stores_nothing(
            db,
            lambda: attachments.send_attachment(
                user_id=alice.id,
                chat_id=chat_id,
                filename=filename,
                data=data,
                caption=caption,
                client_msg_id=uuid.uuid4().hex,
            ),
        )
        if sent is None:
            assert sample_files.listing(folder) == files_before
        else:
            assert len(sample_files.listing(folder)) == len(files_before) + 1

    sample_files.empty(folder)
    try:
        check()
    finally:
        sample_files.empty(folder)
