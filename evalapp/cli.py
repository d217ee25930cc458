"""The `evalapp` command: a Flask CLI group. Each package owns its own subcommands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import database, schema


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database or upgrade it to the newest schema (safe to repeat)."""
    engine = database.engine()
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    after = schema.current_revision(engine)
    state = "up to date" if before == after else f"upgraded {before or 'empty'} → {after}"
    click.echo(f"database {engine.url.render_as_string(hide_password=True)}: {state}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Run the development server (use gunicorn in production; see the README)."""
    from werkzeug.serving import run_simple

    click.echo(f"evalapp is running at http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


def register_commands(app: Flask) -> None:
    from .activities.cli import activity_group
    from .auth.tokens_cli import token_group
    from .backup.cli import backup, restore
    from .demo.cli import demo
    from .imports.cli import import_group
    from .instruments.cli import survey
    from .reporting.cli import report
    from .rounds.cli import round_group
    from .scoring.cli import scores
    from .suggestions.cli import suggestions_group

    for command in (init_db, serve, survey, import_group, round_group, scores, report, demo,
                    backup, restore, activity_group, suggestions_group, token_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


main = FlaskGroup(
    name="evalapp",
    create_app=_create_app,
    add_default_commands=True,
    add_version_option=False,
    load_dotenv=False,
    help="evalapp: blind evaluation of youth league branches.",
)
