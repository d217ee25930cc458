"""The demo city's units (宜宾市, its counties, townships and evaluated branches) and users."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from sqlalchemy.orm import Session

from ..auth.passwords import hash_password
from ..models import Unit, User
from . import names

OBSERVER_COUNT = 60
MIN_TOWNSHIPS, MAX_TOWNSHIPS = 2, 4


class DemoLogin(NamedTuple):
    login: str
    password: str
    role: str
    name: str


# The demo's logins; the CLI prints them and the README quotes them.
DEMO_LOGINS = (
    DemoLogin("admin", "admin-demo", "admin", "团市委管理员"),
    DemoLogin("evaluator", "evaluator-demo", "evaluator", "评估组 陈静"),
    DemoLogin("observer", "observer-demo", "observer", "林小雨"),
)
DEMO_OBSERVER = "observer"
# Every generated observer shares the demo observer's password.
OBSERVER_PASSWORD = DEMO_LOGINS[2].password


@dataclass
class City:
    """What the rest of the seed needs to know about the units and people it made."""

    city: Unit
    counties: dict[str, Unit] = field(default_factory=dict)
    evaluated: list[Unit] = field(default_factory=list)
    # Schools and youth homes by county code: what observers can be affiliated with.
    home_units: dict[str, list[Unit]] = field(default_factory=dict)
    observers: list[User] = field(default_factory=list)

    @property
    def demo_observer(self) -> User:
        return next(user for user in self.observers if user.login == DEMO_OBSERVER)


def build_city(session: Session, rng: np.random.Generator) -> City:
    """Add the units and users of the demo city; flushes so they have ids."""
    city = City(_unit(rng, "city", names.CITY_CODE, names.CITY_NAME, None,
                      names.CITY_ADDRESS))
    _build_city_level(city, rng)
    for code, county_name, townships in names.COUNTIES:
        _build_county(city, rng, code, county_name, townships)
    session.add(city.city)  # cascades to every unit below it
    _build_users(session, city, rng)
    session.flush()
    return city


def _build_county(city: City, rng: np.random.Generator, code: str, county_name: str,
                  townships: Sequence[str]) -> None:
    """The county, its townships and their units, its schools, and the city-wide schools,
    companies and business districts located in it."""
    county = _unit(rng, "county", f"{names.CITY_CODE}-{code}", county_name, city.city,
                   f"宜宾市{county_name}{_street(rng)}")
    city.counties[code] = county
    city.home_units[code] = []
    codes = _Codes(county.code)
    count = int(rng.integers(MIN_TOWNSHIPS, MAX_TOWNSHIPS + 1))
    for number, township_name in enumerate(townships[:count], start=1):
        township = _unit(rng, "township", f"{county.code}-T{number:02d}", township_name,
                         county, f"宜宾市{county_name}{township_name}{_street(rng)}")
        _build_township(city, rng, codes, county, township)
    for school in names.SCHOOLS[: int(rng.integers(2, 4))]:
        unit = _evaluated(city, rng, "branch", codes.next(), f"{county_name}{school}团委",
                          county)
        city.home_units[code].append(unit)
    for county_code, name in (*names.CITY_SCHOOLS, *names.COMPANIES):
        if county_code == code:
            _evaluated(city, rng, "branch", codes.next(), name, county)
    for county_code, name in names.DISTRICTS:
        if county_code == code:
            _evaluated(city, rng, "district", codes.next(), f"{county_name}{name}", county)


def _build_township(city: City, rng: np.random.Generator, codes: _Codes, county: Unit,
                    township: Unit) -> None:
    """The township's own youth home, one or two community ones, one or two branches."""
    place = "社区" if township.name.endswith("街道") else "村"
    communities = rng.choice(names.COMMUNITIES, size=4, replace=False)
    county_code = county.code.removeprefix(f"{names.CITY_CODE}-")
    home = _evaluated(city, rng, "youth_home", codes.next(),
                      f"{county.name}{township.name}青年之家", township)
    city.home_units[county_code].append(home)
    homes = int(rng.integers(1, 3))
    for community in communities[:homes]:
        unit = _evaluated(city, rng, "youth_home", codes.next(),
                          f"{township.name}{community}{place}青年之家", township)
        city.home_units[county_code].append(unit)
    for community in communities[homes:homes + int(rng.integers(1, 3))]:
        _evaluated(city, rng, "branch", codes.next(),
                   f"{township.name}{community}{place}团支部", township)


def _build_city_level(city: City, rng: np.random.Generator) -> None:
    """The committee's own departments, industry branches and associations (under the city)."""
    for prefix, kind, pool, template in (
        ("TW", "department", names.DEPARTMENTS, "共青团宜宾市委{}"),
        ("HY", "industry", names.INDUSTRIES, "宜宾市{}"),
        ("XH", "association", names.ASSOCIATIONS, "{}"),
    ):
        codes = _Codes(f"{names.CITY_CODE}-{prefix}", width=2)
        for name in pool:
            _evaluated(city, rng, kind, codes.next(), template.format(name), city.city)


def _build_users(session: Session, city: City, rng: np.random.Generator) -> None:
    """Admin, evaluator, the demo observer and the generated observers, each observer
    affiliated with one or two schools or youth homes of their own county."""
    hashes = {login.password: hash_password(login.password) for login in DEMO_LOGINS}
    for login in DEMO_LOGINS[:2]:
        session.add(User(login=login.login, name=login.name, role=login.role,
                         password_hash=hashes[login.password], language="zh_CN"))
    people = _person_names(rng, OBSERVER_COUNT, exclude={DEMO_LOGINS[2].name})
    county_codes = list(city.counties)
    logins = [(DEMO_OBSERVER, DEMO_LOGINS[2].name, county_codes[0])]
    logins += [(f"obs{number:03d}", person, county_codes[number % len(county_codes)])
               for number, person in enumerate(people, start=1)]
    for login, person, county_code in logins:
        homes = city.home_units[county_code]
        picks = rng.choice(len(homes), size=int(rng.integers(1, 3)), replace=False)
        observer = User(login=login, name=person, role="observer", language="zh_CN",
                        password_hash=hashes[OBSERVER_PASSWORD], phone=_mobile(rng),
                        affiliations=[homes[int(index)] for index in sorted(picks)])
        session.add(observer)
        city.observers.append(observer)


class _Codes:
    """Stable sequential unit codes under a prefix: YB-CP-001, YB-CP-002, ..."""

    def __init__(self, prefix: str, width: int = 3) -> None:
        self.prefix, self.width, self.count = prefix, width, 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}-{self.count:0{self.width}d}"


def _evaluated(city: City, rng: np.random.Generator, kind: str, code: str, name: str,
               parent: Unit) -> Unit:
    """An evaluated unit; the committee's departments sit in its own building."""
    if kind == "department":
        address = names.CITY_ADDRESS
    else:
        address = f"宜宾市{_place_of(parent)}{_street(rng)}"
    unit = _unit(rng, kind, code, name, parent, address)
    city.evaluated.append(unit)
    return unit


def _place_of(unit: Unit) -> str:
    """The county (and township) part of an address: 翠屏区南岸街道."""
    parts = []
    node: Unit | None = unit
    while node is not None and node.kind != "city":
        if node.kind in ("county", "township"):
            parts.append(node.name)
        node = node.parent
    return "".join(reversed(parts))


def _unit(rng: np.random.Generator, kind: str, code: str, name: str, parent: Unit | None,
          address: str) -> Unit:
    return Unit(code=code, name=name, kind=kind, parent=parent, address=address,
                contact=_person_names(rng, 1)[0], phone=_landline(rng))


def _street(rng: np.random.Generator) -> str:
    street = names.STREETS[int(rng.integers(len(names.STREETS)))]
    return f"{street}{int(rng.integers(1, 300))}号"


def _landline(rng: np.random.Generator) -> str:
    return f"{names.AREA_CODE}-{int(rng.integers(2, 9))}{int(rng.integers(10**6)):06d}"


def _mobile(rng: np.random.Generator) -> str:
    prefix = names.MOBILE_PREFIXES[int(rng.integers(len(names.MOBILE_PREFIXES)))]
    return f"{prefix}{int(rng.integers(10**8)):08d}"


def _person_names(rng: np.random.Generator, count: int, exclude: set[str] | None = None
                  ) -> list[str]:
    """``count`` distinct Chinese names (surname and one or two given characters)."""
    taken = set(exclude or ())
    people: list[str] = []
    while len(people) < count:
        surname = names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]
        given = rng.choice(names.GIVEN_CHARACTERS, size=int(rng.integers(1, 3)))
        person = surname + "".join(given)
        if person not in taken:
            taken.add(person)
            people.append(person)
    return people
