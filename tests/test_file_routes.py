"""The file routes over real HTTP (Starlette's test client) on the real database:
members get the bytes with safe headers; everyone else gets 403 or 404, never the file."""

from __future__ import annotations

import io
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from starlette.testclient import TestClient

from chat_app import access_tokens
from chat_app.api import files as file_routes
from chat_app.services import (
    attachments,
    direct_chats,
    groups,
    history,
    media_links,
    message_changes,
    sessions,
)
from chat_app.services import people as people_service
from chat_app.settings import get_settings
from tests import sample_files as samples
from tests.factories import make_token, make_user


@pytest.fixture(autouse=True)
def uploads():
    folder = get_settings().upload_dir
    samples.empty(folder)
    yield folder
    samples.empty(folder)


@pytest.fixture
def client():
    with TestClient(file_routes.create_app()) as test_client:
        yield test_client


@pytest.fixture
def people(db):
    return make_user(db, "alice"), make_user(db, "bob"), make_user(db, "carol")


_sessions: dict[int, int] = {}


def session_of(user) -> int:
    """The person's sign-in session for this test (links name the session that got them)."""
    if user.id not in _sessions:
        _sessions[user.id] = access_tokens.verify_token(make_token(None, user.id)).session_id
    return _sessions[user.id]


@pytest.fixture(autouse=True)
def fresh_sessions():
    _sessions.clear()
    yield
    _sessions.clear()


def send(user, chat_id, data, filename, client_msg_id="c-00000001"):
    return attachments.send_attachment(
        user_id=user.id,
        chat_id=chat_id,
        filename=filename,
        data=io.BytesIO(data),
        caption="",
        client_msg_id=client_msg_id,
    )


def url_for(viewer, chat_id, message_id) -> str:
    """The link the viewer's page gets for a message's file."""
    with media_links.for_session(session_of(viewer)):
        [view] = history.load_messages(user_id=viewer.id, chat_id=chat_id, message_ids=[message_id])
    [attachment] = view.attachments
    return attachment.url


def with_params(url: str, **changes) -> str:
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    params.update(changes)
    params = {k: v for k, v in params.items() if v is not None}
    return f"{parts.path}?{urlencode(params)}"


def assert_refused(response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-disposition" not in response.headers
    assert response.content in (b"Forbidden", b"Not found")


def test_a_member_gets_a_photo_inline_with_safe_headers(client, people):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    data = samples.png()
    sent = send(alice, chat_id, data, "Strand 🌊.png")

    response = client.get(url_for(bob, chat_id, sent.message_id))

    assert response.status_code == 200
    assert response.content == data
    headers = response.headers
    assert headers["content-type"] == "image/png"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"] == (
        "inline; filename=\"Strand _.png\"; filename*=UTF-8''Strand%20%F0%9F%8C%8A.png"
    )
    assert "sandbox" in headers["content-security-policy"]
    assert headers["content-security-policy"].startswith("default-src 'none'")
    cache, max_age = headers["cache-control"].split(", max-age=")
    assert cache == "private"
    ttl = get_settings().file_url_ttl_seconds
    assert ttl - 5 <= int(max_age) <= ttl + media_links.EXPIRY_STEP


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "disposition"),
    [
        (samples.pdf(), "Résumé.pdf", "application/pdf", "attachment; filename=\"R_sum_.pdf\""),
        (samples.TEXT, "list.txt", "text/plain; charset=utf-8", 'attachment; filename="list.txt"'),
        (samples.docx(), "a.docx", "application/vnd.openxmlformats-officedocument."
         "wordprocessingml.document", 'attachment; filename="a.docx"'),
    ],
)  # fmt: skip
def test_a_member_downloads_documents_as_attachments(
    client, people, data, filename, content_type, disposition
):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, data, filename)

    response = client.get(url_for(bob, chat_id, sent.message_id))

    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == content_type
    assert response.headers["content-disposition"].startswith(disposition + "; filename*=UTF-8''")
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_valid_link_for_someone_outside_the_chat_is_refused(client, people):
    alice, bob, carol = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.png(), "a.png")
    [view] = history.load_messages(user_id=bob.id, chat_id=chat_id, message_ids=[sent.message_id])
    attachment_id = view.attachments[0].id

    carols_link = media_links.sign_file_url(
        attachment_id=attachment_id, name="a", viewer_id=carol.id, session_id=session_of(carol)
    )

    assert_refused(client.get(carols_link), 403)


def test_a_removed_member_keeps_earlier_photos_but_gets_none_sent_after(client, people):
    """As in WhatsApp, the history up to the removal stays (photos too); a photo sent
    afterwards is refused even with a validly signed link for them."""
    alice, bob, carol = people
    chat_id = groups.create_group(user_id=alice.id, title="Trip", member_ids=[bob.id, carol.id])
    before = send(alice, chat_id, samples.jpeg(), "a.jpg")
    link = url_for(bob, chat_id, before.message_id)
    assert client.get(link).status_code == 200

    groups.remove_member(user_id=alice.id, chat_id=chat_id, member_id=bob.id)
    after = send(alice, chat_id, samples.png(), "b.png", client_msg_id="c-00000002")
    [view] = history.load_messages(
        user_id=carol.id, chat_id=chat_id, message_ids=[after.message_id]
    )
    bobs_later_link = media_links.sign_file_url(
        attachment_id=view.attachments[0].id, name="b", viewer_id=bob.id, session_id=session_of(bob)
    )

    assert client.get(link).status_code == 200
    assert client.get(url_for(bob, chat_id, before.message_id)).status_code == 200
    assert_refused(client.get(bobs_later_link), 403)
    assert client.get(url_for(carol, chat_id, after.message_id)).status_code == 200


def test_forged_incomplete_and_expired_links_are_refused(client, people):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.png(), "a.png")
    link = url_for(bob, chat_id, sent.message_id)
    signature = parse_qs(urlsplit(link).query)["sig"][0]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    attachment_id = int(urlsplit(link).path.split("/")[2])

    for refused in (
        with_params(link, sig=flipped),
        with_params(link, sig=None),
        with_params(link, u=str(alice.id)),  # Bob's signature, Alice's id
        with_params(link, exp=str(int(time.time()) + 10 * 86400)),
        with_params(link, u="bob"),
        link.split("?")[0],
        media_links.sign_file_url(
            attachment_id=attachment_id,
            name="a.png",
            viewer_id=bob.id,
            session_id=session_of(bob),
            ttl=60,
            now=time.time() - 3600,
        ),
        # An avatar link's signature does not open a file with the same subject.
        with_params(
            link,
            sig=parse_qs(
                urlsplit(
                    media_links.sign_avatar_url(
                        stored_name=str(attachment_id), viewer_id=bob.id, session_id=session_of(bob)
                    )
                ).query
            )["sig"][0],
        ),
    ):
        assert_refused(client.get(refused), 403)


def test_unknown_and_deleted_files_are_not_found(client, people):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.pdf(), "a.pdf")
    link = url_for(bob, chat_id, sent.message_id)

    unknown = media_links.sign_file_url(
        attachment_id=999_999, name="x.pdf", viewer_id=bob.id, session_id=session_of(bob)
    )
    assert_refused(client.get(unknown), 404)

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)
    assert_refused(client.get(link), 404)


def test_avatars_are_served_to_signed_links_only(client, people, uploads):
    alice, bob, _ = people
    data = samples.image("WEBP")
    name = people_service.set_profile_photo(user_id=alice.id, data=data).avatar_path
    with media_links.for_session(session_of(bob)):
        link = attachments.avatar_url(name, bob.id)

    response = client.get(link)

    assert response.status_code == 200
    # The stored picture (written again without its metadata) is what is served.
    assert response.content == (uploads / attachments.AVATAR_FOLDER / name).read_bytes()
    assert response.content.startswith(b"RIFF")
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_refused(client.get(with_params(link, sig="0" * 64)), 403)
    assert_refused(client.get(link.split("?")[0]), 403)
    # A signed name that is not a stored avatar never reaches the filesystem.
    for name_from_url in ("jwt_secret", "..\\jwt_secret", "0" * 32 + ".php"):
        forged = media_links.sign_avatar_url(
            stored_name=name_from_url, viewer_id=bob.id, session_id=session_of(bob)
        )
        assert_refused(client.get(forged), 404)


def test_links_stop_working_when_the_session_that_got_them_ends(client, people, uploads):
    """Bob is logged out from another device: the file and avatar links his page held
    are refused, while the same files still open for his other session."""
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.png(), "a.png")
    avatar = people_service.set_profile_photo(user_id=alice.id, data=samples.png()).avatar_path
    file_link = url_for(bob, chat_id, sent.message_id)
    with media_links.for_session(session_of(bob)):
        avatar_link = attachments.avatar_url(avatar, bob.id)
    assert client.get(file_link).status_code == 200
    assert client.get(avatar_link).status_code == 200

    sessions.revoke(user_id=bob.id, session_id=session_of(bob))

    assert_refused(client.get(file_link), 403)
    assert_refused(client.get(avatar_link), 403)
    _sessions.pop(bob.id)  # Bob's other device gets links of its own that still work
    assert client.get(url_for(bob, chat_id, sent.message_id)).status_code == 200
    # Another person's session id in Bob's link does not pass: the id is signed.
    assert_refused(client.get(with_params(file_link, s=str(session_of(alice)))), 403)


def test_a_link_made_outside_any_session_is_refused(client, people):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.png(), "a.png")
    [view] = history.load_messages(user_id=bob.id, chat_id=chat_id, message_ids=[sent.message_id])

    assert_refused(client.get(view.attachments[0].url), 403)


def test_reflex_upload_folder_route_is_shadowed(client, people, uploads):
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    send(alice, chat_id, samples.png(), "a.png")
    [stored_name] = samples.listing(uploads)

    assert_refused(client.get(f"/_upload/{stored_name}"), 404)


def test_mounted_like_reflex_does_the_routes_win_and_the_rest_falls_through(people):
    """``rx.App(api_transformer=app)`` mounts Reflex's own app at "" inside ours."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    reflex_like = Starlette(
        routes=[
            Route("/ping", lambda _: PlainTextResponse("pong")),
            Route("/_upload", lambda _: PlainTextResponse("uploaded"), methods=["POST"]),
        ]
    )
    outer = file_routes.create_app()
    outer.mount("", reflex_like)
    alice, bob, _ = people
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    sent = send(alice, chat_id, samples.png(), "a.png")

    with TestClient(outer) as client:
        assert client.get(url_for(bob, chat_id, sent.message_id)).status_code == 200
        assert client.get("/ping").text == "pong"
        assert client.post("/_upload").text == "uploaded"
