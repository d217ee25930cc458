"""Pseudonymous rater codes.

A rater code groups one observer's responses within one unit of one round (what
inter-rater statistics need) and nothing more: it is an HMAC under a server secret, so a
copy of the database cannot recover the observer, and the same observer gets unrelated
codes in different units and rounds.
"""

from __future__ import annotations

import hashlib
import hmac


def rater_code(secret: str, observer_id: int, round_id: int, unit_id: int) -> str:
    message = f"{observer_id}:{round_id}:{unit_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]
