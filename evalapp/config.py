"""Configuration: defaults, then the environment (or a test's mapping), read at app creation.

Nothing here runs at import time, so tests and `gunicorn 'evalapp:create_app()'` each get the
configuration of the moment they build the app.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .links import check_base_url

ENVIRONMENT_KEYS = {
    "EVALAPP_DATABASE_URL": "DATABASE_URL",
    "EVALAPP_SECRET_KEY": "SECRET_KEY",
    "EVALAPP_RATER_SECRET": "RATER_SECRET",
    "EVALAPP_HTTPS": "HTTPS",
    "EVALAPP_PROXY_HOPS": "PROXY_HOPS",
    "EVALAPP_BASE_URL": "BASE_URL",
}

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "LANGUAGES": ("zh_CN", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "DEFAULT_MIN_N": 5,
}


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` from defaults, then the environment or ``test_config``."""
    app.config.from_mapping(DEFAULTS)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        for env_key, config_key in ENVIRONMENT_KEYS.items():
            if os.environ.get(env_key):
                app.config[config_key] = os.environ[env_key]
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'evalapp.db'}"
    )
    for key in ("SECRET_KEY", "RATER_SECRET"):
        if not app.config.get(key):
            app.config[key] = _instance_secret(app, key.lower())
    if app.config.get("BASE_URL"):
        app.config["BASE_URL"] = check_base_url(str(app.config["BASE_URL"]))


def _instance_secret(app: Flask, name: str) -> str:
    """A random secret generated once and kept in the instance folder (mode 0600)."""
    path = Path(app.instance_path) / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
