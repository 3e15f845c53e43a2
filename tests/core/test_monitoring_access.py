"""Equality monitoring on a trust server (issue #27; migration 0010's grants and policies):
a coordinator records answers for their own people only, the engagement group reads nobody's
answers, and the reach figures (counted by the server) are the same whoever asks. Needs
COORDINATOR_TEST_PG_URL, as tests/core/test_access.py does."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from test_access import Trust, _refused, trust  # noqa: F401  (the server fixture)

from coordinator_app.core import monitoring, reach
from coordinator_app.core.anonymise import anonymise_participant
from coordinator_app.core.errors import AccessDeniedError, NotFoundError

RUGBY_PERIOD = (date(2026, 3, 1), date(2026, 3, 31))


def _reach(db, **scope) -> list[reach.ReachRow]:
    with db.reading() as conn:
        return reach.reach(conn, start=RUGBY_PERIOD[0], end=RUGBY_PERIOD[1], **scope)


def test_answers_stay_with_the_coordinator_and_reach_is_the_same_for_everyone(
    trust: Trust,  # noqa: F811
) -> None:
    ids = trust.ids
    for key, sex in (("ruby", "Female"), ("vic", "Male")):
        monitoring.record_answers(
            trust.owner,
            ids[key],
            consent_date=date(2026, 3, 10),
            consent_how="Paper form",
            answers={"Sex": sex},
        )
    owners = _reach(trust.owner, locality_id=ids["rugby"])
    rugby_login = trust.signed_up("rugby", "--locality", "Rugby")
    group_login = trust.signed_up("group", "--engagement-group")
    rugby, group = trust.app(rugby_login), trust.app(group_login)
    try:
        # Counted by the server: the same figures for the coordinator and the group.
        assert _reach(rugby, locality_id=ids["rugby"]) == owners
        assert _reach(group, locality_id=ids["rugby"]) == owners
        sex = {r.group: r.people for r in owners if r.characteristic == "Sex"}
        assert sex == {"Female": 1, "Male": 1, "Prefer not to say": 0, "Not asked": 0}
        # Rugby's coordinator counts only Rugby's meetings, even asking for Coventry's.
        coventry = {r.group: r.people for r in _reach(rugby, locality_id=ids["coventry"])}
        assert set(coventry.values()) == {0}
        # Their own person's answers they read and change; Coventry's Cora they cannot.
        assert monitoring.read_answers(rugby, ids["ruby"]) is not None
        monitoring.record_answers(
            rugby,
            ids["ruby"],
            consent_date=date(2026, 3, 10),
            consent_how="Phone",
            answers={"Sex": "Prefer not to say"},
        )
        # Vic (Coventry's, seen at Rugby's meeting) and Cora (unseen) are not theirs to record.
        for key, refusal in (("vic", AccessDeniedError), ("cora", NotFoundError)):
            with pytest.raises(refusal):
                monitoring.record_answers(
                    rugby,
                    ids[key],
                    consent_date=date(2026, 3, 10),
                    consent_how="Phone",
                    answers={"Sex": "Female"},
                )
        assert monitoring.read_answers(trust.owner, ids["vic"]).answers == {"Sex": "Male"}  # type: ignore[union-attr]
        # The engagement group reads nobody's answers or consent.
        engine = trust.plain(group_login)
        try:
            for table in ("monitoring_answers", "monitoring_records", "monitoring_presence"):
                _refused(engine, f"SELECT count(*) FROM {table}")
            with engine.connect() as conn:  # the lists are everyone's to read
                assert conn.execute(text("SELECT count(*) FROM monitoring_groups")).scalar()
        finally:
            engine.dispose()
        # Anonymising Ruby (Rugby's coordinator) keeps the figures, for both.
        before = _reach(group, locality_id=ids["rugby"])
        anonymise_participant(rugby, ids["ruby"])
        assert _reach(group, locality_id=ids["rugby"]) == before
        assert _reach(rugby, locality_id=ids["rugby"]) == before
    finally:
        rugby.dispose()
        group.dispose()
