"""Accounts and roles: signing in and out, passwords, invitations and the role checks."""

from flask import Blueprint

blueprint = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
