"""Signing in, rate limits, passwords, invitations, roles and the remembered language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.auth.passwords import password_matches
from evalapp.auth.throttle import Throttle
from evalapp.models import User
from tests.observe.helpers import PASSWORD, csrf_token, make_person, sign_in


def _login(client: FlaskClient, login: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf_token(client, "/login")},
                       headers=headers)


HOMES = {"observer": "/observe/", "admin": "/evaluate/rounds", "evaluator": "/evaluate/rounds"}


def test_sign_in_sends_each_role_home(app: Flask, session: Session) -> None:
    for role, home in HOMES.items():
        person = make_person(session, role)
        client = app.test_client()
        response = _login(client, person.login, PASSWORD)
        assert response.status_code == 302 and response.headers["Location"] == home
        assert client.get(home).status_code == 200, role
        again = client.get("/login")  # signed in already: home again
        assert again.status_code == 302 and again.headers["Location"] == home


@pytest.mark.parametrize("role", ["evaluator", "admin"])
def test_the_team_goes_where_it_was_sent_when_that_is_on_this_site(
        app: Flask, session: Session, role: str) -> None:
    person = make_person(session, role)
    client = app.test_client()
    path = "/admin/observers" if role == "admin" else "/evaluate/activities"
    sent = client.get(path)
    assert sent.status_code == 302 and "/login?next=" in sent.headers["Location"]
    token = csrf_token(client, "/login")
    followed = client.post(sent.headers["Location"], data={
        "login": person.login, "password": PASSWORD, "csrf_token": token})
    assert followed.headers["Location"] == path
    other = app.test_client()
    token = csrf_token(other, "/login")
    refused = other.post("/login?next=//evil.example/", data={
        "login": person.login, "password": PASSWORD, "csrf_token": token})
    assert refused.headers["Location"] == "/evaluate/rounds"


def test_next_is_followed_only_on_this_site(client: FlaskClient, session: Session) -> None:
    person = make_person(session, "observer")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=//evil.example/", data={
        "login": person.login, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/observe/"


def test_wrong_password_and_unknown_login_look_the_same(client: FlaskClient,
                                                        session: Session,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Same page, and the same scrypt work (counted, not timed: tests never assert a time)."""
    from evalapp.auth import operations

    person = make_person(session, "observer")
    checked: list[str] = []
    real_check = operations.password_matches

    def counting_check(password_hash: str | None, password: str) -> bool:
        checked.append((password_hash or "").split("$")[0])
        return real_check(password_hash, password)

    monkeypatch.setattr(operations, "password_matches", counting_check)
    pages = []
    for login in (person.login, "nobody-here"):
        response = _login(client, login, "wrong password")
        pages.append(re.sub(r'value="[^"]*"', "", response.get_data(as_text=True)))
        assert response.status_code == 200
    assert "账号或密码错误" in pages[0]
    assert pages[0] == pages[1].replace("nobody-here", person.login)
    assert len(checked) == 2 and checked[0] == checked[1]  # one scrypt check each


def test_five_failures_per_account_then_429(app: Flask, session: Session) -> None:
    person = make_person(session, "observer")
    for attempt in range(5):
        client = app.test_client()  # a new session each time; the address stays
        assert _login(client, person.login, "wrong",
                      **{"X-Attempt": str(attempt)}).status_code == 200
    blocked = _login(app.test_client(), person.login, PASSWORD)
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.get_data(as_text=True)
    english = _login(app.test_client(), person.login, PASSWORD, **{"Accept-Language": "en"})
    assert "Too many failed sign-ins" in english.get_data(as_text=True)


def test_failures_across_accounts_block_the_address(app: Flask, session: Session) -> None:
    person = make_person(session, "observer")
    client = app.test_client()
    for number in range(5):
        _login(client, f"guess{number}", "wrong")
    assert _login(client, person.login, PASSWORD).status_code == 429
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _login(other_address, person.login, PASSWORD).status_code == 302


def test_the_throttle_forgets_after_its_window() -> None:
    now = [1000.0]
    throttle = Throttle(limit=2, window=60, clock=lambda: now[0])
    throttle.fail("a")
    throttle.fail("a")
    assert throttle.blocked("a") and not throttle.blocked("b")
    now[0] += 61
    assert not throttle.blocked("a")
    throttle.fail("a")
    throttle.forget("a")
    assert not throttle.blocked("a")


def test_logout_is_a_post(client: FlaskClient, session: Session) -> None:
    person = make_person(session, "observer")
    sign_in(client, person.id)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/observe/").status_code == 302


def test_change_password(client: FlaskClient, session: Session) -> None:
    person = make_person(session, "observer")
    sign_in(client, person.id)
    token = csrf_token(client, "/account/password")
    wrong = client.post("/account/password", data={
        "current_password": "nope", "new_password": "a new secret", "confirm": "a new secret",
        "csrf_token": token})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    short = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "short", "confirm": "short",
        "csrf_token": token})
    assert "至少使用 8 个字符" in short.get_data(as_text=True)
    done = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a new secret",
        "confirm": "a new secret", "csrf_token": token})
    assert done.status_code == 302
    session.expire_all()
    assert password_matches(session.get(User, person.id).password_hash, "a new secret")


def test_admin_creates_an_observer_with_a_one_time_link(app: Flask, client: FlaskClient,
                                                        session: Session) -> None:
    admin = make_person(session, "admin")
    sign_in(client, admin.id)
    token = csrf_token(client, "/admin/observers")
    page = client.post("/admin/observers", data={"login": "xiaoming", "name": "王小明",
                                                 "phone": "", "csrf_token": token})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    link = re.search(r'value="(http://localhost/invitation/[^"]+)"',
                     page.get_data(as_text=True)).group(1)
    path = link.removeprefix("http://localhost")
    newcomer = app.test_client()
    form = newcomer.get(path)
    assert "王小明" in form.get_data(as_text=True)
    done = newcomer.post(path, data={"new_password": "my own secret",
                                     "confirm": "my own secret",
                                     "csrf_token": csrf_token(newcomer, path)})
    assert done.status_code == 302 and done.headers["Location"] == "/observe/"
    assert newcomer.get("/observe/").status_code == 200
    used = app.test_client().get(path)
    assert used.status_code == 404 and "已被使用或已过期" in used.get_data(as_text=True)
    duplicate = client.post("/admin/observers", data={"login": "xiaoming", "name": "又一个",
                                                      "csrf_token": token})
    assert duplicate.status_code == 400 and "该账号已被使用" in duplicate.get_data(as_text=True)


def test_a_new_link_replaces_the_old_and_links_expire(client: FlaskClient,
                                                      session: Session) -> None:
    admin = make_person(session, "admin")
    observer = make_person(session, "observer")
    sign_in(client, admin.id)
    token = csrf_token(client, "/admin/observers")

    def new_link() -> str:
        page = client.post(f"/admin/observers/{observer.id}/invitation",
                           data={"csrf_token": token}).get_data(as_text=True)
        return re.search(r'localhost(/invitation/[^"]+)"', page).group(1)

    first, second = new_link(), new_link()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    session.expire_all()
    user = session.get(User, observer.id)
    user.invite_expires_at = dt.datetime(2000, 1, 1)
    session.commit()
    assert client.get(second).status_code == 404


def test_every_page_checks_the_role(app: Flask, session: Session) -> None:
    for role, path in (("observer", "/admin/observers"), ("evaluator", "/admin/observers"),
                       ("admin", "/observe/")):
        client = app.test_client()
        sign_in(client, make_person(session, role).id)
        assert client.get(path).status_code == 403, (role, path)


def test_language_choice_is_kept_on_the_account(app: Flask, client: FlaskClient,
                                                session: Session) -> None:
    person = make_person(session, "observer")
    sign_in(client, person.id)
    response = client.post("/account/language", data={
        "language": "en", "next": "/observe/", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/observe/"
    assert "My assignments" in client.get("/observe/").get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(User.language).where(User.id == person.id)) == "en"
    elsewhere = app.test_client()
    _login(elsewhere, person.login, PASSWORD, **{"Accept-Language": "zh-CN"})
    assert "My assignments" in elsewhere.get("/observe/").get_data(as_text=True)
