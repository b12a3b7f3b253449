"""Running alembic from Python: the embedded development start and the tests use it.

It goes through alembic/env.py like the command line does, so it takes the
same advisory lock.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from chat_app.settings import PROJECT_ROOT


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


def downgrade_to_base(url: str | None = None) -> None:
    command.downgrade(alembic_config(url), "base")
