"""One-to-one chats: exactly one per pair of people, created on first open."""

from __future__ import annotations

from chat_app.database import unit_of_work
from chat_app.models import MemberRole
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import members as members_repo
from chat_app.repositories import users as users_repo
from chat_app.services.errors import InvalidInput, NotFound


def direct_key(first_user_id: int, second_user_id: int) -> str:
    low, high = sorted((first_user_id, second_user_id))
    return f"{low}:{high}"


def open_direct_chat(*, user_id: int, other_user_id: int) -> int:
    """The id of the pair's chat, creating it (and both memberships) the first time."""
    if other_user_id == user_id:
        raise InvalidInput("person", "Pick someone other than yourself.")
    key = direct_key(user_id, other_user_id)
    with unit_of_work() as session:
        if users_repo.get(session=session, user_id=other_user_id) is None:
            raise NotFound("That person does not exist.")
        chat = chats_repo.get_by_direct_key(session=session, direct_key=key)
        if chat is None:
            chat = chats_repo.create_direct_if_absent(
                session=session, direct_key=key, created_by=user_id
            )
            if chat is None:  # a concurrent open won the insert: use its chat
                chat = chats_repo.get_by_direct_key(session=session, direct_key=key)
                assert chat is not None
            else:
                assert chat.id is not None
                for member_id in (user_id, other_user_id):
                    members_repo.add(
                        session=session, chat_id=chat.id, user_id=member_id, role=MemberRole.MEMBER
                    )
        assert chat.id is not None
        return chat.id
