"""Security headers, secure cookies behind HTTPS, and the proxy setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from evalapp import create_app
from evalapp.security import HEADERS


@pytest.mark.parametrize("path", ["/", "/login", "/nowhere", "/healthz"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_pages_need_no_inline_script_or_style() -> None:
    """The CSP forbids inline code; no template may rely on it."""
    templates = Path(__file__).parents[1] / "evalapp" / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "style=" not in text, template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), template


def test_session_cookie_is_httponly_lax_and_secure_behind_https(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "HTTPS": "1",
                      "TESTING": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    plain = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "HTTPS": "0"})
    assert not plain.config.get("SESSION_COOKIE_SECURE")


def test_proxy_hops_trust_the_forwarded_address(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "PROXY_HOPS": 1,
                      "TESTING": True})

    @app.get("/test-address")
    def address() -> str:
        from flask import request

        return request.remote_addr or ""

    seen = app.test_client().get("/test-address",
                                 headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen.get_data(as_text=True) == "203.0.113.7"
