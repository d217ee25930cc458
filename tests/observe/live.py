"""The real app on a real server (werkzeug) in a background thread, and a tiny HTTP client.

Used where the test must see what a deployment sees: concurrent requests on their own
threads and connections, and the server's access log.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class Client:
    """Cookies, CSRF tokens and form posts; follows redirects like a browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: Mapping[str, object] | None = None,
                headers: Mapping[str, str] | None = None) -> tuple[int, str, str]:
        """(status, final URL, body)."""
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=dict(headers or {}))
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def token(self, path: str = "/login") -> str:
        _status, _url, page = self.request(path)
        found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
        assert found, page[:300]
        return found.group(1)

    def sign_in(self, login: str, password: str) -> None:
        status, url, _page = self.request("/login", {"login": login, "password": password,
                                                     "csrf_token": self.token()})
        assert status == 200 and url.endswith("/observe/"), (status, url)

    def start_draft(self, assignment_id: int) -> str:
        status, url, _page = self.request("/observe/drafts", {
            "assignment": assignment_id, "csrf_token": self.token("/observe/")})
        assert status == 200 and "/observe/drafts/" in url, (status, url)
        return url.rsplit("/", 1)[1]
