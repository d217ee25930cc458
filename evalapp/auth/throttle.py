"""Limiting failed sign-ins per account and per client address.

Failures are counted in memory, in a sliding window, per process. Nothing about sign-in
attempts is written to the database: a table of who tried to sign in from where and when
would be one more record of observers' movements (DESIGN.md, anonymity). The price is that
each worker process counts on its own, so with ``gunicorn --workers 3`` an attacker gets at
most three times the limit per window, and a restart forgets the counts; both are still
far too few guesses against a real password.

Keys are hashed before they are kept, so the process memory holds no login names or
addresses in the clear.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_S = 15 * 60


class Throttle:
    """At most ``limit`` failures per key within ``window`` seconds."""

    SWEEP_AT = 10_000

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        """True when any of ``keys`` has used up its failures in the current window."""
        with self._lock:
            return any(self._count(_digest(key)) >= self.limit for key in keys)

    def fail(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= self.SWEEP_AT:
                for digest in list(self._failures):
                    self._count(digest)
            for key in keys:
                self._failures.setdefault(_digest(key), deque()).append(now)

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(_digest(key), None)

    def _count(self, digest: str) -> int:
        """Failures of the key inside the window; older ones (and empty keys) are dropped."""
        times = self._failures.get(digest)
        if times is None:
            return 0
        cutoff = self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[digest]
        return len(times)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def account_key(login: str) -> str:
    return "account:" + login.strip().casefold()


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")
