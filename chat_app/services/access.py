"""``access_*``: load a chat for a person and authorize in one step.

Every chat operation starts here. A non-member gets the same NotFound as for a
chat that does not exist, so ids cannot be probed. Someone who left a group or
was removed from it still has it, read-only: :func:`access_chat` refuses them
with :data:`NO_LONGER_PARTICIPANT` (they know the chat exists), and only
:func:`access_readable` lets them read it, up to the line that recorded their
going.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from chat_app.models import Chat, ChatKind, ChatMember, FormerMember, MemberRole
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import former_members as former_repo
from chat_app.repositories import members as members_repo
from chat_app.services.errors import Forbidden, NotFound

CHAT_NOT_FOUND = "This chat does not exist or you are not in it."
NO_LONGER_PARTICIPANT = "You're no longer a participant in this group."


@dataclass(frozen=True)
class Readable:
    """A chat someone may read: as a member (``member``), or as a former member
    (``former``), who may read messages up to ``former.until_message_id``."""

    chat: Chat
    member: ChatMember | None
    former: FormerMember | None

    @property
    def until_id(self) -> int | None:
        """The newest message this person may read (None: no limit)."""
        return None if self.former is None else self.former.until_message_id

    def may_read(self, message_id: int) -> bool:
        return self.former is None or message_id <= self.former.until_message_id


def access_chat(
    session: Session, *, chat_id: int, user_id: int, lock: bool = False
) -> tuple[Chat, ChatMember]:
    """The chat and my membership; with ``lock`` the chat row stays locked until commit."""
    if lock and not chats_repo.lock(session=session, chat_id=chat_id):
        raise NotFound(CHAT_NOT_FOUND)
    found = members_repo.get_with_chat(session=session, chat_id=chat_id, user_id=user_id)
    if found is None:
        if former_repo.get(session=session, chat_id=chat_id, user_id=user_id) is not None:
            raise Forbidden(NO_LONGER_PARTICIPANT)
        raise NotFound(CHAT_NOT_FOUND)
    return found


def access_readable(session: Session, *, chat_id: int, user_id: int) -> Readable:
    """The chat for reading: a member's, or a former member's up to their going."""
    found = members_repo.get_with_chat(session=session, chat_id=chat_id, user_id=user_id)
    if found is not None:
        return Readable(chat=found[0], member=found[1], former=None)
    former = former_repo.get(session=session, chat_id=chat_id, user_id=user_id)
    chat = chats_repo.get(session=session, chat_id=chat_id) if former is not None else None
    if former is None or chat is None:
        raise NotFound(CHAT_NOT_FOUND)
    return Readable(chat=chat, member=None, former=former)


def access_group_as_admin(
    session: Session, *, chat_id: int, user_id: int
) -> tuple[Chat, ChatMember]:
    chat, member = access_chat(session, chat_id=chat_id, user_id=user_id, lock=True)
    if chat.kind != ChatKind.GROUP:
        raise Forbidden("Only groups have admins.")
    if member.role != MemberRole.ADMIN:
        raise Forbidden("Only group admins can do that.")
    return chat, member
