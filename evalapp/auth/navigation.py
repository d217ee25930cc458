"""Where a user goes after signing in, and which redirect targets are safe."""

from __future__ import annotations

from flask import url_for

HOMES = {"observer": "observe.assignments", "evaluator": "evaluate.rounds",
         "admin": "evaluate.rounds"}


def home_url(role: str) -> str:
    """Each role's own pages: observers their assignments, the evaluation team (evaluators
    and admins) the rounds; anyone else the start page."""
    return url_for(HOMES.get(role, "main.home"))


def safe_target(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    return target
