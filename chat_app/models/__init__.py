"""Tables, and nothing else: every table the app stores, as SQLModel classes.

Importing this package registers all of them on ``SQLModel.metadata``, which
alembic compares against the migrations.
"""

from chat_app.models.attachment import Attachment
from chat_app.models.chat import Chat, ChatKind, ChatMember, MemberRole
from chat_app.models.draft import Draft
from chat_app.models.event import Event
from chat_app.models.former_member import FormerMember
from chat_app.models.message import Message, MessageKind
from chat_app.models.presence import PresenceSession, RealtimeInstance
from chat_app.models.rate_limit_hit import RateLimitHit
from chat_app.models.reaction import Reaction
from chat_app.models.sign_in_session import SignInSession
from chat_app.models.user import User

__all__ = [
    "Attachment",
    "Chat",
    "ChatKind",
    "ChatMember",
    "Draft",
    "Event",
    "FormerMember",
    "MemberRole",
    "Message",
    "MessageKind",
    "PresenceSession",
    "RateLimitHit",
    "Reaction",
    "RealtimeInstance",
    "SignInSession",
    "User",
]
