"""Finding the activity a row names, in an ``experience`` round.

A response of an experience round belongs to one activity of its unit (DESIGN.md). A row
names it by the activity's **id** — the number the weekly activity list shows (``evalapp
activity list``, the team's activity page) and ``evalapp round assign --activity`` takes;
activities have no other code, and a title alone may repeat on several days — or by its
exact title when the row's unit lists that title only once within the round's window (an
answer of a 问卷星 question such as ``参加的活动``). Titles are compared by `cells.text_key`.

The activity must exist, belong to the row's unit and be held within the round's window
(what assignments may name too); each refusal says which of these failed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from surveys.importers.cells import text_key
from surveys.importers.units import UnitRef

_ID = re.compile(r"#?\s*(\d{1,18})")


@dataclass(frozen=True)
class ActivityRef:
    """An activity a row may name, with its unit's code for messages."""

    id: int
    unit_id: int
    unit_code: str
    held_on: dt.date
    title: str

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


class UnknownActivity(ValueError):
    """The text names no activity of the row's unit, or several; the message says why."""


def activity_id(text: str) -> int | None:
    """The id written in a cell (``17``, ``#17``, full-width digits), or None."""
    match = _ID.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return int(match[1]) if match else None


class ActivityIndex:
    """The activities rows may name, by id and by title."""

    def __init__(self, activities: Iterable[ActivityRef],
                 window: tuple[dt.date, dt.date] | None = None) -> None:
        self.window = window
        self._ids: dict[int, ActivityRef] = {}
        self._titles: dict[str, list[ActivityRef]] = {}
        for activity in activities:
            self._ids[activity.id] = activity
            self._titles.setdefault(text_key(activity.title), []).append(activity)

    def by_id(self, number: int) -> ActivityRef | None:
        return self._ids.get(number)

    def knows_title(self, text: str) -> bool:
        key = text_key(text)
        return bool(key) and key in self._titles

    def resolve(self, text: str, unit: UnitRef) -> ActivityRef:
        """The activity of ``unit`` that ``text`` names; `UnknownActivity` otherwise."""
        number = activity_id(text)
        activity = self._by_number(text, number) if number is not None else \
            self._by_title(text, unit)
        return self.check(activity, unit)

    def check(self, activity: ActivityRef, unit: UnitRef) -> ActivityRef:
        """``activity`` if it is ``unit``'s and held within the window."""
        if activity.unit_id != unit.id:
            raise UnknownActivity(f"activity {activity} belongs to unit {activity.unit_code}, "
                                  f"not to the row's unit {unit.code}")
        if self.window and not self.window[0] <= activity.held_on <= self.window[1]:
            raise UnknownActivity(f"activity {activity} was held on {activity.held_on}, "
                                  f"outside the round's window {self.window[0]} – "
                                  f"{self.window[1]}")
        return activity

    def _by_number(self, text: str, number: int) -> ActivityRef:
        activity = self._ids.get(number)
        if activity is None:
            raise UnknownActivity(f"unknown activity {text!r}: no activity has this id")
        return activity

    def _by_title(self, text: str, unit: UnitRef) -> ActivityRef:
        listed = [a for a in self._titles.get(text_key(text), []) if a.unit_id == unit.id]
        candidates = [a for a in listed if self._in_window(a)] or listed
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            ids = ", ".join(str(a.id) for a in sorted(candidates, key=lambda a: a.id))
            raise UnknownActivity(f"{text!r} names several activities of unit {unit.code} "
                                  f"(ids {ids}); give the activity id")
        raise UnknownActivity(f"unknown activity {text!r}: unit {unit.code} lists no activity "
                              "with this id or title")

    def _in_window(self, activity: ActivityRef) -> bool:
        return self.window is None or self.window[0] <= activity.held_on <= self.window[1]
