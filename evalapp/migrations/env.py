"""Alembic environment. The connection comes from evalapp (``evalapp init-db``) or, for
``alembic`` on the command line, from ``EVALAPP_DATABASE_URL``."""

from __future__ import annotations

import os

from alembic import context

from evalapp.database import make_engine
from evalapp.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(os.environ.get("EVALAPP_DATABASE_URL", "sqlite:///instance/evalapp.db"))
    with engine.connect() as new_connection:
        run_migrations(new_connection)
