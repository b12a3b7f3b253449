"""Finding people and editing one's own profile."""

from __future__ import annotations

from typing import BinaryIO

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models.user import ABOUT_MAX, User
from chat_app.repositories import members as members_repo
from chat_app.repositories import users as users_repo
from chat_app.services import attachments
from chat_app.services.access import access_chat
from chat_app.services.auth import check_display_name
from chat_app.services.errors import InvalidInput, NotFound
from chat_app.services.text_rules import refuse_control_characters
from chat_app.services.views import PersonView

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


def update_profile(
    *, user_id: int, display_name: str, about: str, avatar_path: str | None = None
) -> PersonView:
    """Change my name and about; ``avatar_path`` None keeps the current picture.
    A picture it replaces is removed from disk once the change is committed."""
    display_name = check_display_name(display_name)
    about = check_about(about)
    with unit_of_work() as session:
        user = _existing(session, user_id)
        replaced = user.avatar_path
        users_repo.update_profile(
            session=session,
            user=user,
            display_name=display_name,
            about=about,
            avatar_path=avatar_path if avatar_path is not None else user.avatar_path,
        )
        me = _view(user)
    attachments.discard_avatar(replaced, kept=me.avatar_path)
    return me


def set_profile_photo(*, user_id: int, data: BinaryIO | bytes) -> PersonView:
    """Make an uploaded picture mine, keeping the name and about as saved. The
    picture is stored only for someone who exists, and the one it replaces is
    removed once the change is committed."""
    with unit_of_work() as session:
        _existing(session, user_id)
    with attachments.new_avatar(data) as stored:
        return _set_avatar(user_id, stored)


def remove_avatar(*, user_id: int) -> PersonView:
    """Go back to initials. A separate call because ``update_profile`` reads a missing
    ``avatar_path`` as "keep", which the profile form relies on when it saves the name.
    The picture's file is removed once the change is committed."""
    return _set_avatar(user_id, None)


def _set_avatar(user_id: int, avatar_path: str | None) -> PersonView:
    with unit_of_work() as session:
        user = _existing(session, user_id)
        replaced = user.avatar_path
        users_repo.update_profile(
            session=session,
            user=user,
            display_name=user.display_name,
            about=user.about,
            avatar_path=avatar_path,
        )
        me = _view(user)
    attachments.discard_avatar(replaced, kept=avatar_path)
    return me


def _existing(session: Session, user_id: int) -> User:
    user = users_repo.get(session=session, user_id=user_id)
    if user is None:
        raise NotFound("That person does not exist.")
    return user
