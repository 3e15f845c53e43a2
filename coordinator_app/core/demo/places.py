"""Set-up before the first month: the trust's settings, the localities with their services, each
locality's forums (name, kind, venue, format, day and time, the months it runs, how many of each
category it seats) and the default standards framework.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from ..models import Forum, Locality, Standard, StrategicPriority
from ..settings import ensure_default_priorities, ensure_locality, settings_row
from ..standards import load_default_framework
from ..vocab import Category, ForumKind, MeetingFormat
from .content import _LOCALITIES, _SERVICES, COORDINATOR_NAME, DEFAULT_PAYMENT_PENCE, TRUST_NAME
from .state import _Forum, _Generator, _Place


def settings_and_places(gen: _Generator) -> None:
    session = gen.session
    settings = settings_row(session)
    settings.trust_name = TRUST_NAME
    settings.coordinator_name = COORDINATOR_NAME
    settings.default_payment_pence = DEFAULT_PAYMENT_PENCE
    settings.set_up = True
    ensure_default_priorities(session)
    session.flush()
    gen.priorities = list(
        session.scalars(
            select(StrategicPriority.id)
            .where(StrategicPriority.retired.is_(False))
            .order_by(StrategicPriority.position, StrategicPriority.name)
        )
    )
    for index, (name, coordinator, venues, wards) in enumerate(_LOCALITIES[: gen.plan.localities]):
        locality_id = ensure_locality(session, name, coordinated=index == 0)
        locality = session.get(Locality, locality_id)
        assert locality is not None
        services = tuple(gen.rng.sample(_SERVICES, 6))
        place = _Place(
            index, locality_id, name, locality.code, coordinator, venues, wards, services
        )
        gen.places.append(place)
        _forums(gen, place)


def _forums(gen: _Generator, place: _Place) -> None:
    rng, n = gen.rng, len(gen.months)
    scale = gen.plan.roster_scale
    su, carer, rep, staff, partner, other = (
        Category.SERVICE_USER,
        Category.CARER,
        Category.REPRESENTATIVE,
        Category.STAFF,
        Category.PARTNER,
        Category.OTHER,
    )
    specs: list[tuple[Any, ...]] = [
        # name, kind, group, venue, format, time, first, last, skip months, targets
        (
            f"{place.name} Locality Forum",
            ForumKind.LOCALITY_FORUM,
            "forum",
            place.venues[0],
            MeetingFormat.HYBRID,
            rng.choice((time(10, 0), time(13, 30))),
            0,
            None,
            (8,),
            ((su, 10), (carer, 6), (rep, 4), (staff, 5), (partner, 3), (other, 2)),
        ),
        (
            f"{place.name} Carers Forum",
            ForumKind.CARERS_FORUM,
            "carers",
            place.venues[2],
            MeetingFormat.IN_PERSON,
            rng.choice((time(18, 0), time(10, 30))),
            0,
            None,
            (8, 12),
            ((carer, 18), (staff, 3), (rep, 2)),
        ),
        (
            f"{place.name} Service User Group",
            ForumKind.SERVICE_USER_GROUP,
            "service_users",
            place.venues[1],
            MeetingFormat.IN_PERSON,
            time(13, 0),
            0,
            None,
            (),
            ((su, 16), (staff, 3), (rep, 1)),
        ),
    ]
    if place.index % 4 != 3:
        specs.append(
            (
                f"{place.name} Co-production Group",
                ForumKind.CO_PRODUCTION_GROUP,
                "coproduction",
                place.venues[1],
                MeetingFormat.IN_PERSON,
                time(14, 0),
                rng.randrange(max(1, n // 4)),
                None,
                (),
                ((su, 6), (carer, 5), (staff, 5)),
            )
        )
    if place.index == 1:
        specs.append(
            (
                f"{place.name} Peer Support Café",
                ForumKind.OTHER,
                "service_users",
                place.venues[2],
                MeetingFormat.IN_PERSON,
                time(10, 0),
                n // 8,
                n // 2,
                (),
                ((su, 10), (carer, 3), (other, 2), (rep, 1)),
            )
        )
    for name in ("Co-production Workshops", "Open Days", "15 Steps Visits"):
        venue = place.wards[0] if name.startswith("15") else place.venues[0]
        specs.append(
            (
                f"{place.name} {name}",
                ForumKind.EVENT,
                "event",
                venue,
                MeetingFormat.IN_PERSON,
                time(10, 0),
                0,
                None,
                (),
                (),
            )
        )
    for name, kind, group, venue, fmt, start, first, last, skip, targets in specs:
        minutes = 300 if group == "event" else 90 if start.hour >= 18 else 120
        end = (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()
        forum_id = gen.add(
            Forum,
            locality_id=place.id,
            name=name,
            kind=kind,
            default_venue=venue,
            default_format=fmt,
            active=last is None,
        )
        scaled = tuple((c, max(1, round(t * scale))) for c, t in targets)
        weekday, week = rng.randrange(4), rng.randrange(1, 5)
        place.forums.append(
            _Forum(
                forum_id,
                name,
                kind,
                group,
                venue,
                fmt,
                weekday,
                week,
                start,
                end,
                first,
                last,
                skip,
                scaled,
            )
        )


def framework(gen: _Generator) -> None:
    gen.framework_id = load_default_framework(gen.session)
    gen.session.flush()
    gen.standards = [
        (row.id, row.code, row.title, row.criticality)
        for row in gen.session.execute(
            select(Standard.id, Standard.code, Standard.title, Standard.criticality)
            .where(Standard.framework_id == gen.framework_id)
            .order_by(Standard.position, Standard.code)
        )
    ]
