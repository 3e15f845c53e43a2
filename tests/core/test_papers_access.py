"""Papers to members on a trust server (issue #29, migration 0008's grants and policies): a
coordinator records and reads the sendings and members of their own localities only, everyone
reads the staff list, the engagement group reads the sendings (evidence). Needs PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_access import Trust, trust  # noqa: F401  (the server database and its logins)

from coordinator_app.core import members, papers, staff
from coordinator_app.core.errors import CoordinatorError
from coordinator_app.core.vocab import PapersKind

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def test_a_coordinator_sends_papers_for_their_own_localities_only(trust: Trust) -> None:  # noqa: F811
    ids = trust.ids
    login = trust.signed_up("rugby", "--locality", "Rugby")
    db = trust.app(login)
    try:
        papers.record_sending(
            db, ids["rugby_meeting"], PapersKind.AGENDA, emails=2, letters=1, not_sent=0,
            sent_at=NOW,
        )  # fmt: skip
        with pytest.raises(CoordinatorError):
            papers.record_sending(
                db, ids["coventry_meeting"], PapersKind.AGENDA, emails=1, letters=0,
                not_sent=0, sent_at=NOW,
            )  # fmt: skip
        assert [h.meeting_id for h in papers.papers_history(db)] == [ids["rugby_meeting"]]
        rugby_forum = members.meeting_link(db, ids["rugby_meeting"])  # readable
        assert rugby_forum.link == ""
        staff.save_staff(db, "Rhian Llewelyn", "rhian@nhs.example")
        assert [s.name for s in staff.list_staff(db)] == ["Rhian Llewelyn"]
    finally:
        db.dispose()
    # The owner's view: exactly the one sending, of Rugby.
    assert [h.emails for h in papers.papers_history(trust.owner)] == [2]

    group = trust.signed_up("group", "--engagement-group")
    db = trust.app(group)
    try:
        assert [h.letters for h in papers.papers_history(db)] == [1]
        assert [s.name for s in staff.list_staff(db)] == ["Rhian Llewelyn"]
        with pytest.raises(CoordinatorError):
            papers.record_sending(
                db, ids["rugby_meeting"], PapersKind.MINUTES, emails=1, letters=0, not_sent=0,
                sent_at=NOW,
            )  # fmt: skip
    finally:
        db.dispose()
