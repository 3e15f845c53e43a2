"""The demo's equality monitoring (issue #27): the default lists, each locality's population
shares, and answers from about half of the service users and carers, given with consent.

Drawn last, after every other phase, so the earlier phases' random draws (and so the rest of
the demo) are the same as before it was added. The answers lean older and less diverse than
the population, so the Reach tab has under-represented groups to show.
"""

from __future__ import annotations

from datetime import timedelta

from .. import monitoring
from ..vocab import Category
from .state import _Generator

#: Population shares (per cent) before each locality's small variation.
_SHARES: dict[str, dict[str, float]] = {
    "Age band": {
        "Under 16": 18.5, "16 to 24": 10.9, "25 to 34": 13.4, "35 to 44": 12.6,
        "45 to 54": 13.1, "55 to 64": 12.9, "65 to 74": 10.1, "75 and over": 8.5,
    },
    "Sex": {"Female": 50.8, "Male": 49.2},
    "Ethnic group": {
        "White: English, Welsh, Scottish, Northern Irish or British": 76.0,
        "White: Other White": 5.0,
        "Asian, Asian British or Asian Welsh: Indian": 6.0,
        "Asian, Asian British or Asian Welsh: Pakistani": 2.5,
        "Black, Black British, Black Welsh, Caribbean or African: African": 2.5,
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean": 1.0,
        "Mixed or Multiple ethnic groups: White and Black Caribbean": 1.5,
    },
}  # fmt: skip
#: How the answers lean against the population (a weight per group; 1 where not listed).
_LEAN: dict[str, float] = {
    "Under 16": 0.05, "16 to 24": 0.3, "25 to 34": 0.6, "65 to 74": 1.8, "75 and over": 1.6,
    "White: English, Welsh, Scottish, Northern Irish or British": 1.3,
    "Asian, Asian British or Asian Welsh: Pakistani": 0.3,
    "Black, Black British, Black Welsh, Caribbean or African: African": 0.4,
}  # fmt: skip


def equality_monitoring(gen: _Generator) -> int:
    """Write the lists, the shares and the answers; how many people answered."""
    session, rng = gen.session, gen.rng
    monitoring.ensure_defaults(session)
    known = monitoring.characteristics(session)
    group_ids = {(c.name, g.name): g.id for c in known for g in c.groups}
    for place in gen.places:
        shares = {
            group_ids[name, group]: round(share * (0.9 + 0.2 * rng.random()), 1)
            for name, groups in _SHARES.items()
            for group, share in groups.items()
        }
        for name, groups in _SHARES.items():  # keep each characteristic within 100%
            ids = [group_ids[name, g] for g in groups]
            total = sum(shares[i] for i in ids)
            if total > 100:
                for i in ids:
                    shares[i] = round(shares[i] * 99.5 / total, 1)
        monitoring.write_population_shares(session, place.id, shares)
    answered = 0
    first = gen.months[0].first
    days = max(1, (gen.today - first).days)
    for place in gen.places:
        for person in place.people:
            if person.category not in (Category.SERVICE_USER, Category.CARER):
                continue
            if rng.random() >= 0.5:
                continue
            chosen = {}
            for characteristic in known:
                stated = [g for g in characteristic.groups if g.stated]
                roll = rng.random()
                if roll < 0.08:
                    pick = characteristic.group(monitoring.PREFER_NOT_TO_SAY)
                elif roll < 0.15 or not stated:
                    continue  # left blank: counts as Not asked
                else:
                    known_shares = _SHARES.get(characteristic.name)
                    weights = [
                        (known_shares.get(g.name, 0.3) if known_shares else 1.0)
                        * _LEAN.get(g.name, 1.0)
                        for g in stated
                    ]
                    pick = rng.choices(stated, weights=weights)[0]
                if pick is not None:
                    chosen[characteristic.id] = pick.id
            consented = first + timedelta(days=rng.randrange(days))
            monitoring.write_answers(session, person.id, consented, "Paper form", chosen)
            answered += 1
    return answered
