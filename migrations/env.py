"""Alembic environment, run through Flask-Migrate (`flask db ...`) or the test suite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db


def _skip_empty_autogenerate(context_, revision, directives):
    # `flask db migrate` with no model change should not leave an empty revision behind.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def _render_item(type_, obj, autogen_context):
    # Migrations must not import the application: render our column types as plain SQLAlchemy.
    from consult.models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _skip_empty_autogenerate)
    options["compare_type"] = True
    options["render_item"] = _render_item
    with db.engine.connect() as conn:
        # Batch mode rebuilds tables, which only SQLite needs for ALTER.
        is_sqlite = conn.dialect.name == "sqlite"
        options["render_as_batch"] = is_sqlite
        if is_sqlite:
            # Rebuilding a table that others reference fails with foreign keys enforced; SQLite
            # ignores this pragma inside a transaction, so it goes to the driver before BEGIN.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=conn, target_metadata=db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
            if is_sqlite:
                _fail_on_broken_references(conn)


def _fail_on_broken_references(conn) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    raise SystemExit("consult's migrations run online only: `flask db upgrade`.")
run_migrations_online()
