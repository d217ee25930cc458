"""`evalapp demo`: seed the demo city and say what is there and how to log in."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import database
from .city import DEMO_LOGINS, OBSERVER_COUNT, OBSERVER_PASSWORD
from .seed import demo_counts, seed_demo


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Seed a realistic demo city (宜宾市); running it again changes nothing."""
    session = database.session()
    started = time.perf_counter()
    created = seed_demo(session, current_app.config["RATER_SECRET"])
    session.commit()
    elapsed = time.perf_counter() - started
    if created:
        click.echo(f"seeded the demo city 宜宾市 in {elapsed:.1f} s")
    else:
        click.echo("the demo city 宜宾市 (unit code YB) is already there: nothing changed")
    for name, value in demo_counts(session).items():
        if isinstance(value, dict):
            value = ", ".join(f"{key} {count}" for key, count in value.items()) or "none"
        click.echo(f"  {name}: {value}")
    click.echo("demo logins (login / password):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role:<10} {login.login} / {login.password}")
    click.echo(f"  {'observer':<10} obs001 … obs{OBSERVER_COUNT:03d} / {OBSERVER_PASSWORD}")
