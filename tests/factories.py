"""Quick ways to put rows in the test database.

Hashing a password with the app's Argon2 parameters takes a noticeable moment,
so every factory-made user shares one hash of :data:`PASSWORD`, computed once.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, text

from chat_app import access_tokens
from chat_app.database import unit_of_work
from chat_app.models import Chat, ChatKind, ChatMember, Message, MessageKind, User
from chat_app.services import passwords, sessions

PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def password_hash() -> str:
    """The app's own Argon2id hash of :data:`PASSWORD`."""
    return passwords.hash_password(PASSWORD)


def make_user(
    db: Engine,
    username: str = "alice",
    *,
    display_name: str | None = None,
    password_hash_value: str | None = None,
) -> User:
    """A committed user who signs in with :data:`PASSWORD` (unless another hash is given)."""
    with unit_of_work(db) as session:
        user = User(
            username=username,
            display_name=display_name or username.title(),
            password_hash=password_hash_value or password_hash(),
        )
        session.add(user)
        session.flush()
        session.refresh(user)
    return user


def make_direct_chat(db: Engine, first: User, second: User) -> Chat:
    """A committed direct chat between two people, with both as members."""
    low, high = sorted([first.id, second.id])
    with unit_of_work(db) as session:
        chat = Chat(kind=ChatKind.DIRECT, direct_key=f"{low}:{high}", created_by=first.id)
        session.add(chat)
        session.flush()
        session.add_all(
            [
                ChatMember(chat_id=chat.id, user_id=first.id),
                ChatMember(chat_id=chat.id, user_id=second.id),
            ]
        )
        session.flush()
        session.refresh(chat)
    return chat


def make_message(
    db: Engine, chat: Chat, sender: User, seq: int, *, client_msg_id: str | None = None
) -> Message:
    with unit_of_work(db) as session:
        message = Message(
            chat_id=chat.id,
            seq=seq,
            sender_id=sender.id,
            kind=MessageKind.TEXT,
            body=f"message {seq}",
            client_msg_id=client_msg_id,
        )
        session.add(message)
        session.flush()
        session.refresh(message)
    return message


def count_rows(db: Engine, table: str) -> int:
    with db.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def make_token(
    db: Engine | None, user_id: int, *, now: float | None = None, user_agent: str = ""
) -> str:
    """A token for a fresh committed session of this person, as signing in would issue."""
    with unit_of_work(db) as session:
        row = sessions.start(session, user_id=user_id, user_agent=user_agent)
    return access_tokens.issue_token(user_id, row.id, now=now)
