"""Links that are sent to someone else (invitations): built on the configured address.

A link an admin copies into a message must not be built from the Host header of the admin's
request: a proxy that passes any Host through, or a forged Host on a cached page, would
make the invitation point to another site, which then receives the one-time token. With
``EVALAPP_BASE_URL`` set (e.g. ``https://pingyi.example.org`` or with a path prefix), every
such link starts with it, whatever the request said; unset, the request's own address is
used, which is right only for a laptop (README "Operations").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


def check_base_url(value: str) -> str:
    """``value`` without a trailing slash; ValueError unless an absolute http(s) URL."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ValueError(f"EVALAPP_BASE_URL must be an absolute http(s) URL such as "
                         f"https://pingyi.example.org, not {value!r}")
    return value.rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` on the configured base URL (see the module)."""
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
