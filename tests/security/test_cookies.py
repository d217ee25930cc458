"""Session cookies: HttpOnly and SameSite always, Secure behind HTTPS; no other cookies."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from evalapp.models import User
from tests.observe.helpers import PASSWORD

from .world import TOKEN_PATTERN, World, copy_world, csrf_token


def _sign_in(app: Flask, world: World, base_url: str = "http://localhost") -> list[str]:
    """The Set-Cookie headers of a real sign-in through the form."""
    client: FlaskClient = app.test_client()
    login = _login(app, world.users["observer"])
    page = client.get("/login", base_url=base_url).get_data(as_text=True)
    token = TOKEN_PATTERN.search(page).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"login": login, "password": PASSWORD,
                                           "csrf_token": token}, base_url=base_url,
                           headers={"Referer": f"{base_url}/login"})  # checked under HTTPS
    assert response.status_code == 302, response.status_code
    return response.headers.getlist("Set-Cookie")


def _login(app: Flask, user_id: int) -> str:
    from evalapp import database

    with database.sessionmaker_of(app)() as session:
        return session.get(User, user_id).login  # type: ignore[union-attr]


def _attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_cookies_are_httponly_and_samesite(secure_app: Flask, world: World) -> None:
    headers = _sign_in(secure_app, world)
    assert [h.split("=")[0] for h in headers] == ["session"]
    for header in headers:
        assert {"httponly", "samesite", "path"} <= _attributes(header), header
        assert "SameSite=Lax" in header
        assert "secure" not in _attributes(header)  # plain HTTP on a laptop: not Secure


def test_behind_https_the_cookie_is_secure(world_template: tuple[Path, World],
                                           tmp_path: Path) -> None:
    app = copy_world(world_template[0], tmp_path, HTTPS="1")
    headers = _sign_in(app, world_template[1], base_url="https://localhost")
    assert headers and all({"secure", "httponly", "samesite"} <= _attributes(h)
                           for h in headers), headers


def test_anonymous_language_choice_gets_the_same_cookie_flags(secure_app: Flask) -> None:
    client = secure_app.test_client()
    token = csrf_token(client, "/login")
    client.post("/language", data={"language": "en", "next": "/", "csrf_token": token})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
