"""Finding people and editing one's own profile."""

from __future__ import annotations

from typing import BinaryIO

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models.user import ABOUT_MAX, User
from chat_app.protocol import EventKind
from chat_app.repositories import members as members_repo
from chat_app.repositories import users as users_repo
from chat_app.services import attachments
from chat_app.services.access import access_chat
from chat_app.services.auth import check_display_name
from chat_app.services.errors import InvalidInput, NotFound
from chat_app.services.outbox import publish
from chat_app.services.read_models import PersonView
from chat_app.services.text_rules import refuse_control_characters

SEARCH_LIMIT = 20
QUERY_MAX = 64


def _view(user) -> PersonView:
    return PersonView(user.id, user.username, user.display_name, user.about, user.avatar_path)


def search_people(*, user_id: int, query: str, limit: int = SEARCH_LIMIT) -> list[PersonView]:
    """People whose username or display name starts with the query (any letter case)."""
    query = query.strip().lstrip("@")
    if not query:
        return []
    if len(query) > QUERY_MAX:
        raise InvalidInput("query", f"Search for at most {QUERY_MAX} characters.")
    refuse_control_characters("query", query)
    with unit_of_work() as session:
        found = users_repo.search_prefix(
            session=session, query=query, limit=min(limit, SEARCH_LIMIT), exclude_id=user_id
        )
        return [_view(user) for user in found]


def get_profile(*, user_id: int) -> PersonView:
    with unit_of_work() as session:
        user = users_repo.get(session=session, user_id=user_id)
        if user is None:
            raise NotFound("That person does not exist.")
        return _view(user)


def member_name(*, viewer_id: int, chat_id: int, user_id: int) -> str:
    """A fellow member's name ("Bob is typing…"); only for chats the viewer is in."""
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=viewer_id)
        member = members_repo.get(session=session, chat_id=chat_id, user_id=user_id)
        user = users_repo.get(session=session, user_id=user_id) if member else None
        if user is None:
            raise NotFound("That person is not in this chat.")
        return user.display_name


def check_about(about: str) -> str:
    about = " ".join(about.split())
    if len(about) > ABOUT_MAX:
        raise InvalidInput("about", f"Keep it to {ABOUT_MAX} characters.")
    return refuse_control_characters("about", about)


def update_profile(*, user_id: int, display_name: str, about: str) -> PersonView:
    """Change my name and about, keeping my picture (``set_profile_photo`` and
    ``remove_avatar`` change that)."""
    display_name = check_display_name(display_name)
    about = check_about(about)
    with unit_of_work() as session:
        user = _existing(session, user_id)
        shown_before = user.display_name
        users_repo.update_profile(
            session=session, user=user, display_name=display_name, about=about
        )
        if user.display_name != shown_before:
            _tell_others(session, user_id)
        return _view(user)


def set_profile_photo(*, user_id: int, data: BinaryIO | bytes) -> PersonView:
    """Make an uploaded picture mine, keeping the name and about as saved. The
    picture is stored only for someone who exists, and the one it replaces is
    removed once the change is committed."""
    with unit_of_work() as session:
        _existing(session, user_id)
    with attachments.new_avatar(data) as stored:
        return _set_avatar(user_id, stored)


def remove_avatar(*, user_id: int) -> PersonView:
    """Go back to initials. The picture's file is removed once the change is committed."""
    return _set_avatar(user_id, None)


def _set_avatar(user_id: int, avatar_path: str | None) -> PersonView:
    with unit_of_work() as session:
        user = _existing(session, user_id)
        replaced = user.avatar_path
        users_repo.set_avatar(session=session, user=user, avatar_path=avatar_path)
        if avatar_path != replaced:
            _tell_others(session, user_id)
        me = _view(user)
    attachments.discard_avatar(replaced, kept=avatar_path)
    return me


def _tell_others(session: Session, user_id: int) -> None:
    """Live: the name or picture others show of me changed. Only the people who share
    a chat with me (who see it in a list, a header or a group) and my own other tabs
    hear of it; about is shown only on opening a profile, so it needs no event."""
    recipients = set(members_repo.sharing_a_chat_with(session=session, user_id=user_id))
    publish(
        session,
        EventKind.PROFILE_UPDATED,
        chat_id=None,
        recipient_ids=sorted(recipients | {user_id}),
        user_id=user_id,
    )


def _existing(session: Session, user_id: int) -> User:
    user = users_repo.get(session=session, user_id=user_id)
    if user is None:
        raise NotFound("That person does not exist.")
    return user
