"""On a trust server, involvement activities and their payments (migration 0008, issue #28)
belong to the activity's locality as meetings' do to the forum's: Rugby's coordinator reads and
writes Rugby's only, and sees a Coventry person paid for a Rugby activity; the engagement group
reads the figures, not an activity's notes or title."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from coordinator_app.core.payments.activities import record_activity, set_activity_payment
from coordinator_app.core.vocab import PaymentStatus
from tests.core.test_access import Trust, _changed, _refused, trust  # noqa: F401 (fixture)


@pytest.fixture
def paid(trust: Trust) -> Trust:  # noqa: F811
    ids = trust.ids
    for place, person in (("rugby", "vic"), ("coventry", "cora")):
        activity = record_activity(
            trust.owner,
            locality_id=ids[place],
            kind="interview_panel",
            activity_date=date(2026, 3, 12),
            title=f"{place} panel",
            notes=f"{place} panel notes",
        )
        ids[f"{place}_activity"] = activity
        ids[f"{place}_payment"] = set_activity_payment(
            trust.owner, activity, ids[person], status=PaymentStatus.PAID, amount_pence=4000
        )
    return trust


def test_a_coordinator_sees_and_changes_their_localitys_activities_only(paid: Trust) -> None:
    ids = paid.ids
    rugby = paid.plain(paid.signed_up("rugby", "--locality", "Rugby"))
    try:
        with rugby.connect() as conn:
            seen = set(conn.execute(text("SELECT id FROM involvement_activities")).scalars())
            assert seen == {ids["rugby_activity"]}
            payments = set(
                conn.execute(
                    text("SELECT id FROM involvement_payments WHERE activity_id IS NOT NULL")
                ).scalars()
            )
            assert payments == {ids["rugby_payment"]}
            names = set(conn.execute(text("SELECT name FROM participants")).scalars())
            assert "Vic Visitor" in names and "Cora Quenby" not in names
        assert (
            _changed(
                rugby,
                "UPDATE involvement_payments SET amount_pence = 1 WHERE id = :p",
                p=ids["coventry_payment"],
            )
            == 0
        )
        assert (
            _changed(
                rugby,
                "UPDATE involvement_payments SET claimed_on = '2026-03-13' WHERE id = :p",
                p=ids["rugby_payment"],
            )
            == 1
        )
        _refused(
            rugby,
            "INSERT INTO involvement_activities (id, locality_id, kind, activity_date, title, "
            "unit, quantity, cost_code, notes, created_at, updated_at) VALUES (gen_random_uuid(),"
            " :loc, 'training', '2026-03-01', '', 'session', 1, '', '', now(), now())",
            loc=ids["coventry"],
        )
    finally:
        rugby.dispose()


def test_the_engagement_group_reads_figures_not_an_activitys_words(paid: Trust) -> None:
    group = paid.plain(paid.signed_up("group", "--engagement-group"))
    try:
        with group.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM involvement_activities")).scalar()
            assert count == 2
            assert conn.execute(text("SELECT count(*) FROM involvement_payments")).scalar() == 3
        _refused(group, "SELECT notes FROM involvement_activities")
        _refused(group, "SELECT title FROM involvement_activities")
    finally:
        group.dispose()


def test_receipts_are_the_coordinators_of_the_payment_and_nobody_elses(
    paid: Trust, tmp_path
) -> None:
    """Issue #28 (migration 0013): a receipt is read and attached by the coordinator of the
    payment's locality only; the engagement group reads none."""
    from coordinator_app.core.payments.receipts import add_receipt, receipts_of

    ids = paid.ids
    ticket = tmp_path / "ticket.pdf"
    ticket.write_bytes(b"%PDF-1.4 ticket")
    for place in ("rugby", "coventry"):
        add_receipt(paid.owner, ids[f"{place}_payment"], ticket)
    rugby_login = paid.signed_up("rugby", "--locality", "Rugby")
    rugby, group = (
        paid.plain(rugby_login),
        paid.plain(paid.signed_up("group", "--engagement-group")),
    )
    app = paid.app(rugby_login)
    try:
        with rugby.connect() as conn:
            seen = set(conn.execute(text("SELECT payment_id FROM payment_receipts")).scalars())
            assert seen == {ids["rugby_payment"]}
        assert len(receipts_of(app, ids["rugby_payment"])) == 1
        add_receipt(app, ids["rugby_payment"], ticket)  # through the app, as the dialog does
        _refused(
            rugby,
            "INSERT INTO payment_receipts (id, payment_id, filename, size_bytes, content, "
            "created_at, updated_at) VALUES (gen_random_uuid(), :p, 'x.pdf', 1, 'x', now(), now())",
            p=ids["coventry_payment"],
        )
        assert _changed(rugby, "DELETE FROM payment_receipts WHERE payment_id = :p",
                        p=ids["coventry_payment"]) == 0  # fmt: skip
        _refused(group, "SELECT filename FROM payment_receipts")
        with paid.owner.session() as s:
            count = s.execute(text("SELECT count(*) FROM payment_receipts")).scalar()
        assert count == 3
    finally:
        app.dispose()
        rugby.dispose()
        group.dispose()
