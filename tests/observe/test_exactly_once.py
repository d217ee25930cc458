"""Two posts of the same submission key at the same moment store one response."""

from __future__ import annotations

import re
import threading

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Draft, Response, User
from tests.observe.helpers import PASSWORD, YOUTH_ANSWERS, build_world, form_data
from tests.observe.live import Client, serve

ROUNDS = 3


def test_concurrent_posts_of_one_key_store_one_response(app: Flask, session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    login = session.get(User, world.observers[0]).login
    assignment = world.assignments[(world.observers[0], world.units[0])]
    session.rollback()  # hold no read snapshot while the server works
    with serve(app) as base:
        phone, laptop = Client(base), Client(base)
        for client in (phone, laptop):
            client.sign_in(login, PASSWORD)
        for _ in range(ROUNDS):
            key = phone.start_draft(assignment)
            results = _post_together([phone, laptop], key)
            assert [status for status, _body in results] == [200, 200]
            pages = {re.sub(r'value="[^"]*"', "", body) for _status, body in results}
            assert len(pages) == 1  # the same confirmation (tokens aside)
            assert "问卷已收到" in results[0][1]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Response)) == ROUNDS
    assert session.scalar(select(func.count()).select_from(Draft)) == 0


def _post_together(clients: list[Client], key: str) -> list[tuple[int, str]]:
    tokens = [client.token("/observe/") for client in clients]
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = [(0, "")] * len(clients)

    def post(index: int) -> None:
        data = form_data(YOUTH_ANSWERS, tokens[index])
        barrier.wait()
        status, _url, body = clients[index].request(f"/observe/drafts/{key}", data)
        results[index] = (status, body)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
