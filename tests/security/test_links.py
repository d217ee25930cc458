"""Invitation links are built on the configured address (EVALAPP_BASE_URL), never on the
Host header of the admin's request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evalapp import create_app

from .world import World, client_for, copy_world, csrf_token

BASE = "https://pingyi.example.org/evalapp"
LINK = re.compile(r'(https?://[^"<\s]*/invitation/[A-Za-z0-9_-]+)')


def _invitation_link(app, world: World, host: str) -> str:  # type: ignore[no-untyped-def]
    admin = client_for(app, world, "admin")
    token = csrf_token(admin)
    cookie = admin.get_cookie("session")
    assert cookie is not None
    admin.set_cookie("session", cookie.value, domain=host)  # the browser, at that host
    response = admin.post(f"/admin/observers/{world.users['invited']}/invitation",
                          data={"csrf_token": token}, headers={"Host": host})
    assert response.status_code == 200, response.status_code
    found = LINK.search(response.get_data(as_text=True))
    assert found, "no invitation link on the page"
    return found.group(1)


def test_links_use_the_configured_address_whatever_the_host_header(
        world_template: tuple[Path, World], tmp_path: Path) -> None:
    app = copy_world(world_template[0], tmp_path, BASE_URL=BASE + "/")
    link = _invitation_link(app, world_template[1], host="evil.example")
    assert link.startswith(f"{BASE}/invitation/"), link
    token = link.rsplit("/", 1)[1]
    assert app.test_client().get(f"/invitation/{token}").status_code == 200


def test_without_a_base_url_the_link_is_the_requests_own(secure_app, world: World) -> None:  # type: ignore[no-untyped-def]
    link = _invitation_link(secure_app, world, host="localhost")
    assert link.startswith("http://localhost/invitation/")


@pytest.mark.parametrize("value", ["javascript:alert(1)", "pingyi.example.org", "https://",
                                   "ftp://pingyi.example.org"])
def test_a_base_url_that_is_no_web_address_is_refused_at_start(tmp_path: Path,
                                                               value: str) -> None:
    with pytest.raises(ValueError, match="EVALAPP_BASE_URL"):
        create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "SECRET_KEY": "x",
                    "RATER_SECRET": "x", "BASE_URL": value})


def test_the_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("EVALAPP_BASE_URL", BASE)
    monkeypatch.setenv("EVALAPP_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("EVALAPP_SECRET_KEY", "x")
    monkeypatch.setenv("EVALAPP_RATER_SECRET", "x")
    app = create_app()
    assert app.config["BASE_URL"] == BASE
