"""How a person is shown in the dialogs' lists: name, @username, picture or initials.

Avatar colours are seeded like the chat list's direct rows ("direct:<user id>"),
so a person keeps one colour everywhere. Picture links are signed for the
viewer, which is why every conversion takes who is looking.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_app.services import attachments
from chat_app.services.read_models import MemberView, PersonView
from chat_app.state import formatting


@dataclass(frozen=True)
class PersonRow:
    id: int
    display_name: str
    username: str
    handle: str
    label: str
    initials: str
    avatar_color: str
    avatar_url: str


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    name: str
    handle: str
    initials: str
    avatar_color: str
    avatar_url: str
    is_admin: bool
    is_me: bool


def to_person_row(person: PersonView, viewer_id: int) -> PersonRow:
    return PersonRow(
        id=person.id,
        display_name=person.display_name,
        username=person.username,
        handle=f"@{person.username}",
        label=f"{person.display_name}, @{person.username}",
        initials=formatting.initials(person.display_name),
        avatar_color=formatting.avatar_color(f"direct:{person.id}"),
        avatar_url=attachments.avatar_url(person.avatar_path, viewer_id=viewer_id),
    )


def to_member_row(member: MemberView, me: int) -> MemberRow:
    return MemberRow(
        user_id=member.user_id,
        name="You" if member.user_id == me else member.display_name,
        handle=f"@{member.username}",
        initials=formatting.initials(member.display_name),
        avatar_color=formatting.avatar_color(f"direct:{member.user_id}"),
        avatar_url=attachments.avatar_url(member.avatar_path, viewer_id=me),
        is_admin=member.is_admin,
        is_me=member.user_id == me,
    )
