"""Who may use which route: the declarations the authorisation matrix checks against.

Most views declare their roles with ``roles_required`` (the ``allowed_roles`` attribute).
The few without such a declaration are listed here, on purpose; any other route without
one fails `test_every_route_declares_who_may_use_it`.
"""

from __future__ import annotations

from flask import Flask

PUBLIC = frozenset({
    "static",                 # stylesheets and scripts
    "main.home",              # the start page (counts only)
    "main.choose_language",
    "main.healthz",           # for load balancers
    "auth.login",
    "auth.logout",
    "auth.accept_invitation",  # the one-time link is the credential
    "api.openapi",            # the API's description, no data
})
SIGNED_IN = frozenset({       # any role, once signed in
    "auth.change_password",
    "auth.choose_language",
})
OWNED_ARGUMENTS = frozenset({"key"})  # a draft key: another observer's is not found (404)


def declared_roles(app: Flask, endpoint: str) -> tuple[str, ...] | None:
    return getattr(app.view_functions[endpoint], "allowed_roles", None)


def expectation(app: Flask, endpoint: str, arguments: set[str], role: str) -> str:
    """``public``, ``allowed``, ``login`` (sent to sign in / 401), ``forbidden`` (403) or
    ``hidden`` (404)."""
    if endpoint in PUBLIC:
        return "public"
    if role == "anonymous":
        return "login"
    if endpoint in SIGNED_IN:
        return "allowed"
    roles = declared_roles(app, endpoint) or ()
    actual = "observer" if role == "other_observer" else role
    if actual not in roles:
        return "forbidden"
    if role == "other_observer" and arguments & OWNED_ARGUMENTS:
        return "hidden"
    return "allowed"
