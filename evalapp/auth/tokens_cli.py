"""`evalapp token create LOGIN --name N | revoke ID | list`: API tokens from the shell.

``create`` prints the secret alone on standard output (so a script can capture it) and
everything else on standard error; it is shown this once.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .. import database
from ..operations import OperationError
from . import tokens

token_group = AppGroup("token", help="API tokens of evaluators and admins.")


@token_group.command("create")
@click.argument("login")
@click.option("--name", required=True, help="What the token is for (shown in the list).")
def create(login: str, name: str) -> None:
    """Make a token for the evaluator or admin LOGIN and print it (only this once)."""
    session = database.session()
    try:
        user = tokens.user_by_login(session, login)
        token, secret = tokens.create_token(session, user, name)
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"token {token.id} for {user.login} ({token.name}); it is not shown again:",
               err=True)
    click.echo(secret)


@token_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, tokens.MAX_ID))
def revoke(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID for good."""
    session = database.session()
    try:
        token = tokens.revoke_token(session, tokens.get_token(session, token_id))
    except OperationError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"token {token.id} of {token.user.login} ({token.name}) revoked")


@token_group.command("list")
def list_tokens() -> None:
    """Every token: id, holder, name, created, last used, revoked."""
    rows = tokens.list_tokens(database.session())
    if not rows:
        click.echo("no tokens yet")
        return
    click.echo(f"{'id':>4}  {'login':<16} {'created':<10}  {'last used':<10}  "
               f"{'revoked':<10}  name")
    for token in rows:
        revoked = token.revoked_at.date().isoformat() if token.revoked_at else "-"
        used = token.last_used_on.isoformat() if token.last_used_on else "never"
        click.echo(f"{token.id:>4}  {token.user.login:<16} {token.created_at.date()!s:<10}  "
                   f"{used:<10}  {revoked:<10}  {token.name}")
