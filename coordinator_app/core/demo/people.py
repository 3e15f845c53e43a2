"""People: a unique made-up name, a new participant (contact details, consent, accessible
format, how long they stay, how often they come, how they take payment) and each month's
refresh of the forums' rosters, often re-using a locality's people rather than making new
ones.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from ..models import Participant
from ..vocab import AccessibleFormat, Category, ForumKind
from .content import (
    _FIRST_NAMES,
    _OTHER_ROLES,
    _PARTNER_ORGANISATIONS,
    _REP_ORGANISATIONS,
    _STAFF_ROLES,
    _SURNAMES,
    TRUST_NAME,
)
from .state import _Generator, _Person, _Place

#: Categories whose people often sit on several forums of their locality.
_SHARED_CATEGORIES = (Category.STAFF, Category.REPRESENTATIVE, Category.PARTNER)


def _name(gen: _Generator, category: Category) -> str:
    rng = gen.rng
    for _attempt in range(50):
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
        if category == Category.STAFF and rng.random() < 0.12:
            name = f"Dr {name}"
        if name not in gen.names_used:
            break
    else:
        name = f"{rng.choice(_FIRST_NAMES)} {chr(65 + rng.randrange(26))}. {name}"
    gen.names_used.add(name)
    return name


def new_person(
    gen: _Generator,
    place: _Place,
    category: Category,
    month_index: int,
    *,
    one_off: bool = False,
    organisation: str = "",
) -> _Person:
    """A new participant joining in month ``month_index`` (``one_off``: came once)."""
    rng = gen.rng
    name = _name(gen, category)
    mean = {
        Category.SERVICE_USER: 40,
        Category.CARER: 44,
        Category.REPRESENTATIVE: 50,
        Category.STAFF: 60,
        Category.PARTNER: 50,
        Category.OTHER: 14,
    }[category]
    tenure = 1 + int(rng.expovariate(1 / mean))
    starting = month_index == 0
    joined_month = gen.months[0] if starting else gen.months[month_index]
    joined = joined_month.first - timedelta(days=rng.randrange(30, 900) if starting else 0)
    joined = min(joined + timedelta(days=rng.randrange(20)), gen.today)
    protected = category in (Category.SERVICE_USER, Category.CARER)
    consent = rng.random() < (0.7 if protected else 0.95)
    named = rng.random() < 0.55 if protected else True
    notes = ""
    service = rng.choice(place.services)
    ward = rng.choice(place.wards)
    if category == Category.REPRESENTATIVE:
        organisation = organisation or rng.choice(_REP_ORGANISATIONS)
    elif category == Category.PARTNER:
        organisation = rng.choice(_PARTNER_ORGANISATIONS)
    elif category == Category.STAFF:
        organisation = TRUST_NAME
        notes = rng.choice(_STAFF_ROLES).format(service=service, ward=ward)
    elif category == Category.OTHER:
        notes = rng.choice(_OTHER_ROLES)
    email = phone = ""
    if consent:
        handle = _email_handle(name)
        domain = "ardenvalley-nhs.example" if category == Category.STAFF else "example.org"
        email = f"{handle}@{domain}"
        if rng.random() < 0.8:
            phone = f"07700 900{rng.randrange(1000):03d}"
    fmt_roll = rng.random()
    accessible = (
        AccessibleFormat.LARGE_PRINT
        if fmt_roll < 0.07
        else AccessibleFormat.EASY_READ
        if fmt_roll < 0.12
        else AccessibleFormat.STANDARD
    )
    leaves = month_index + (1 if one_off else tenure)
    person_id = gen.add(
        Participant,
        name=name,
        category=category,
        locality_id=place.id,
        organisation=organisation,
        email=email,
        phone=phone,
        consent_to_contact=consent,
        name_in_minutes=named,
        consent_date=joined if (consent or named) else None,
        accessible_format=accessible,
        notes=notes,
        active=leaves >= len(gen.months),
        anonymised_at=None,
    )
    pay_roll = rng.random()
    person = _Person(
        id=person_id,
        name=name,
        category=category,
        leaves=leaves,
        propensity=min(
            0.95,
            rng.betavariate(5, 2) * (0.75 if category == Category.PARTNER else 1.0),
        ),
        pay="declines" if pay_roll < 0.18 else "mixed" if pay_roll < 0.28 else "paid",
        named=named,
        travels=rng.random() < 0.35,
    )
    place.people.append(person)
    return person


def refresh_rosters(gen: _Generator, place: _Place, index: int) -> list[_Person]:
    """Let people leave and fill the forums back up; returns this month's newcomers."""
    rng = gen.rng
    newcomers: list[_Person] = []
    for forum in place.forums:
        if not forum.targets or index < forum.first:
            continue
        if forum.last is not None and index > forum.last:
            continue
        forum.roster = [p for p in forum.roster if p.leaves > index]
        for category, target in forum.targets:
            have = sum(1 for p in forum.roster if p.category == category)
            for _ in range(target - have):
                person = None
                reuse = 0.8 if category in _SHARED_CATEGORIES else 0.3
                if rng.random() < reuse:
                    candidates = [
                        p
                        for p in place.people
                        if p.category == category and p.leaves > index and p not in forum.roster
                    ]
                    if candidates:
                        person = rng.choice(candidates)
                if person is None:
                    carers_rep = (
                        forum.kind == ForumKind.CARERS_FORUM and category == Category.REPRESENTATIVE
                    )
                    person = new_person(
                        gen,
                        place,
                        category,
                        index,
                        organisation=_REP_ORGANISATIONS[0] if carers_rep else "",
                    )
                    newcomers.append(person)
                forum.roster.append(person)
    return newcomers


def _email_handle(name: str) -> str:
    """``Siân O'Neill`` -> ``sian.oneill`` (ASCII, no titles or initials)."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("Ł", "L").replace("ł", "l").replace("Ø", "O"))
        .encode("ascii", "ignore")
        .decode()
    )
    words = [w for w in ascii_name.replace("'", "").replace(".", " ").lower().split() if w != "dr"]
    words = [w for w in words if len(w) > 1] or ["member"]
    return f"{words[0]}.{''.join(words[1:])}"
