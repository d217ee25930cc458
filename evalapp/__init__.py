"""evalapp: blind third-party evaluation of youth-league branches (青年观察员评议)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from .version import __version__

__all__ = ["__version__", "create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. ``test_config`` replaces the environment (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config and "INSTANCE_PATH" in test_config:
        app.instance_path = str(test_config["INSTANCE_PATH"])

    from . import config, database, errors, extensions, security
    from .admin import blueprint as admin_blueprint
    from .api import blueprint as api_blueprint
    from .auth import blueprint as auth_blueprint
    from .cli import register_commands
    from .evaluate import blueprint as evaluate_blueprint
    from .main import blueprint as main_blueprint
    from .observe import blueprint as observe_blueprint

    config.load_config(app, test_config)
    database.init_app(app)
    extensions.init_app(app)
    errors.register(app)
    security.register(app)
    for blueprint in (main_blueprint, auth_blueprint, observe_blueprint, evaluate_blueprint,
                      admin_blueprint, api_blueprint):
        app.register_blueprint(blueprint)
    register_commands(app)
    return app
