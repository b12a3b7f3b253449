"""Group chats: creation and administration. Each change writes a system line."""

from __future__ import annotations

from typing import BinaryIO

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import ChatKind, MemberRole
from chat_app.models.chat import TITLE_MAX
from chat_app.protocol import EventKind
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import former_members as former_repo
from chat_app.repositories import members as members_repo
from chat_app.repositories import users as users_repo
from chat_app.services import attachments, system_lines
from chat_app.services.access import access_chat, access_group_as_admin
from chat_app.services.errors import Forbidden, InvalidInput, NotFound
from chat_app.services.message_send import internal_send_system
from chat_app.services.outbox import publish
from chat_app.services.text_rules import refuse_control_characters

MAX_MEMBERS = 256


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("title", "Give the group a name.")
    if len(title) > TITLE_MAX:
        raise InvalidInput("title", f"Group names can be at most {TITLE_MAX} characters.")
    return refuse_control_characters("title", title)


def _names(session: Session, user_ids: list[int]) -> dict[int, str]:
    return {u.id: u.display_name for u in users_repo.get_many(session=session, user_ids=user_ids)}


def create_group(*, user_id: int, title: str, member_ids: list[int]) -> int:
    title = check_title(title)
    others = sorted({m for m in member_ids if m != user_id})
    if len(others) + 1 > MAX_MEMBERS:
        raise InvalidInput("members", f"Groups can have at most {MAX_MEMBERS} members.")
    with unit_of_work() as session:
        names = _names(session, [user_id, *others])
        if len(names) != len(others) + 1:
            raise NotFound("Some of those people do not exist.")
        chat = chats_repo.create(
            session=session, kind=ChatKind.GROUP, title=title, created_by=user_id
        )
        assert chat.id is not None
        members_repo.add(session=session, chat_id=chat.id, user_id=user_id, role=MemberRole.ADMIN)
        for other in others:
            members_repo.add(
                session=session, chat_id=chat.id, user_id=other, role=MemberRole.MEMBER
            )
        internal_send_system(
            session,
            chat_id=chat.id,
            actor_id=user_id,
            text=system_lines.encode(system_lines.CREATED, actor_name=names[user_id], title=title),
        )
        if others:
            internal_send_system(
                session,
                chat_id=chat.id,
                actor_id=user_id,
                text=system_lines.encode(
                    system_lines.ADDED,
                    actor_name=names[user_id],
                    targets={o: names[o] for o in others},
                ),
            )
        publish(session, EventKind.MEMBER_ADDED, chat_id=chat.id, user_ids=[user_id, *others])
        return chat.id


def rename_group(*, user_id: int, chat_id: int, title: str) -> None:
    title = check_title(title)
    with unit_of_work() as session:
        chat, _ = access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
        if chat.title == title:
            return
        chats_repo.update_details(session=session, chat=chat, title=title)
        actor = _names(session, [user_id])[user_id]
        internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(system_lines.RENAMED, actor_name=actor, title=title),
        )
        publish(session, EventKind.CHAT_UPDATED, chat_id=chat_id, title=title)


def set_group_photo(*, user_id: int, chat_id: int, data: BinaryIO | bytes) -> None:
    """Set an uploaded picture as the group's. Only an admin's picture is stored at
    all: the right is checked before a byte is kept, and again when it is set."""
    with unit_of_work() as session:
        access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
    with attachments.new_avatar(data) as stored:
        set_group_avatar(user_id=user_id, chat_id=chat_id, avatar_path=stored)


def set_group_avatar(*, user_id: int, chat_id: int, avatar_path: str) -> None:
    """Point the group at a stored picture; the one it replaces is removed from disk
    once the change is committed."""
    with unit_of_work() as session:
        chat, _ = access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
        replaced = chat.avatar_path
        chats_repo.update_details(session=session, chat=chat, avatar_path=avatar_path)
        actor = _names(session, [user_id])[user_id]
        internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(system_lines.PICTURE, actor_name=actor),
        )
        publish(session, EventKind.CHAT_UPDATED, chat_id=chat_id, avatar_changed=True)
    attachments.discard_avatar(replaced, kept=avatar_path)


def add_members(*, user_id: int, chat_id: int, member_ids: list[int]) -> list[int]:
    """Add people who are not members yet; returns who was added."""
    with unit_of_work() as session:
        chat, _ = access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
        current = set(members_repo.user_ids(session=session, chat_id=chat_id))
        new = sorted(set(member_ids) - current)
        if not new:
            return []
        if len(current) + len(new) > MAX_MEMBERS:
            raise InvalidInput("members", f"Groups can have at most {MAX_MEMBERS} members.")
        names = _names(session, [user_id, *new])
        if len(names) != len(new) + 1:
            raise NotFound("Some of those people do not exist.")
        for member_id in new:
            # Earlier history is there to read, but neither unread nor holding back ticks.
            members_repo.add(
                session=session,
                chat_id=chat_id,
                user_id=member_id,
                role=MemberRole.MEMBER,
                cursor=chat.last_message_id or 0,
            )
        # Someone added back is a participant again: no longer a read-only former member.
        former_repo.forget(session=session, chat_id=chat_id, user_ids=new)
        internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(
                system_lines.ADDED, actor_name=names[user_id], targets={m: names[m] for m in new}
            ),
        )
        publish(session, EventKind.MEMBER_ADDED, chat_id=chat_id, user_ids=new)
        return new


def remove_member(*, user_id: int, chat_id: int, member_id: int) -> None:
    """Remove someone; removing a person who is not (or no longer) a member does nothing.

    The group stays in their list, read-only, up to the line saying so."""
    if member_id == user_id:
        raise InvalidInput("member", "To leave the group, use Leave group.")
    with unit_of_work() as session:
        access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
        if members_repo.get(session=session, chat_id=chat_id, user_id=member_id) is None:
            return  # already gone (removed a moment ago by another admin)
        names = _names(session, [user_id, member_id])
        recipients = members_repo.user_ids(session=session, chat_id=chat_id)
        line = internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(
                system_lines.REMOVED,
                actor_name=names[user_id],
                targets={member_id: names[member_id]},
            ),
        )
        _keep_read_only(session, chat_id=chat_id, user_id=member_id, until=line.id)
        # The removed person hears of it too, though no longer a member.
        publish(
            session,
            EventKind.MEMBER_REMOVED,
            chat_id=chat_id,
            recipient_ids=recipients,
            user_id=member_id,
        )


def _keep_read_only(session: Session, *, chat_id: int, user_id: int, until: int | None) -> None:
    """End a membership but keep the group for its person to read, up to ``until``."""
    assert until is not None
    former_repo.keep_from_membership(
        session=session, chat_id=chat_id, user_id=user_id, until_message_id=until
    )
    members_repo.remove(session=session, chat_id=chat_id, user_id=user_id)


def promote_to_admin(*, user_id: int, chat_id: int, member_id: int) -> None:
    with unit_of_work() as session:
        access_group_as_admin(session, chat_id=chat_id, user_id=user_id)
        member = members_repo.get(session=session, chat_id=chat_id, user_id=member_id)
        if member is None:
            raise NotFound("That person is not in this group.")
        if member.role == MemberRole.ADMIN:
            return
        members_repo.set_role(session=session, member=member, role=MemberRole.ADMIN)
        names = _names(session, [user_id, member_id])
        internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(
                system_lines.PROMOTED,
                actor_name=names[user_id],
                targets={member_id: names[member_id]},
            ),
        )
        publish(session, EventKind.CHAT_UPDATED, chat_id=chat_id, admin_id=member_id)


def leave_group(*, user_id: int, chat_id: int) -> None:
    """Leave; when the last admin leaves, the longest-serving member becomes admin.

    The group stays in my list, read-only, up to "You left"."""
    with unit_of_work() as session:
        chat, member = access_chat(session, chat_id=chat_id, user_id=user_id, lock=True)
        if chat.kind != ChatKind.GROUP:
            raise Forbidden("You can only leave groups.")
        recipients = members_repo.user_ids(session=session, chat_id=chat_id)
        actor = _names(session, [user_id])[user_id]
        line = internal_send_system(
            session,
            chat_id=chat_id,
            actor_id=user_id,
            text=system_lines.encode(system_lines.LEFT, actor_name=actor),
        )
        _keep_read_only(session, chat_id=chat_id, user_id=user_id, until=line.id)
        if member.role == MemberRole.ADMIN and not members_repo.count_admins(
            session=session, chat_id=chat_id
        ):
            successor = members_repo.longest_serving(session=session, chat_id=chat_id)
            if successor is not None:
                members_repo.set_role(session=session, member=successor, role=MemberRole.ADMIN)
                name = _names(session, [successor.user_id])[successor.user_id]
                internal_send_system(
                    session,
                    chat_id=chat_id,
                    actor_id=user_id,
                    text=system_lines.encode(
                        system_lines.NOW_ADMIN,
                        actor_name=actor,
                        targets={successor.user_id: name},
                    ),
                )
        publish(
            session,
            EventKind.MEMBER_REMOVED,
            chat_id=chat_id,
            recipient_ids=recipients,
            user_id=user_id,
        )
