"""``access_*``: load a chat for a person and authorize in one step.

Every chat operation starts here. A non-member gets the same NotFound as for a
chat that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from sqlmodel import Session

from chat_app.models import Chat, ChatKind, ChatMember, MemberRole
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import members as members_repo
from chat_app.services.errors import Forbidden, NotFound

CHAT_NOT_FOUND = "This chat does not exist or you are not in it."


def access_chat(
    session: Session, *, chat_id: int, user_id: int, lock: bool = False
) -> tuple[Chat, ChatMember]:
    """The chat and my membership; with ``lock`` the chat row stays locked until commit."""
    if lock and not chats_repo.lock(session=session, chat_id=chat_id):
        raise NotFound(CHAT_NOT_FOUND)
    found = members_repo.get_with_chat(session=session, chat_id=chat_id, user_id=user_id)
    if found is None:
        raise NotFound(CHAT_NOT_FOUND)
    return found


def access_group_as_admin(
    session: Session, *, chat_id: int, user_id: int
) -> tuple[Chat, ChatMember]:
    chat, member = access_chat(session, chat_id=chat_id, user_id=user_id, lock=True)
    if chat.kind != ChatKind.GROUP:
        raise Forbidden("Only groups have admins.")
    if member.role != MemberRole.ADMIN:
        raise Forbidden("Only group admins can do that.")
    return chat, member
