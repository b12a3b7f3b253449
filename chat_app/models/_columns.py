"""Column helpers shared by the tables, so every timestamp and key looks alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, DateTime, ForeignKey, Identity, func


def bigint_pk() -> Any:
    """A bigint identity primary key (ids outgrow 2^31 for messages and events)."""
    return Column(BigInteger, Identity(always=False), primary_key=True)


def timestamp(*, nullable: bool = False, default_now: bool = True) -> Any:
    return Column(
        DateTime(timezone=True),
        nullable=nullable,
        server_default=func.now() if default_now else None,
    )


def foreign_key(
    target: str, *, nullable: bool = False, ondelete: str = "CASCADE", primary_key: bool = False
) -> Any:
    return Column(
        BigInteger,
        ForeignKey(target, ondelete=ondelete),
        nullable=nullable,
        primary_key=primary_key,
    )


def flag() -> Any:
    """A yes/no column that starts as no (a person's mute, archive)."""
    return Column(Boolean, nullable=False, server_default="false")
