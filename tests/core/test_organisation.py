"""The organisation from the app (issue #22): localities and forums added, renamed, retired and
restored after the welcome; the welcome itself makes the first forums. Retiring keeps history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coordinator_app.core import meetings, organisation
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.models import AuditEntry, Forum, Locality
from coordinator_app.core.rows import list_localities
from coordinator_app.core.settings import complete_first_run, get_settings
from coordinator_app.core.vocab import ForumKind, MeetingFormat, MeetingStatus


def _welcome(db: Database, **extra) -> dict[str, object]:
    complete_first_run(
        db,
        trust_name="Coventry and Warwickshire Partnership Trust",
        coordinator_name="Siân Evans",
        localities=["Rugby", "Nuneaton and Bedworth"],
        **extra,
    )
    return {loc.name: loc.id for loc in list_localities(db)}


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Locality)) or 0,
            session.scalar(select(func.count()).select_from(Forum)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_the_welcome_makes_the_first_forums(db: Database) -> None:
    """Before, the welcome made localities only and no screen made a forum: Ctrl+N then had no
    forum to offer."""
    ids = _welcome(
        db,
        forums=[("Rugby", "Rugby Locality Forum"), ("nuneaton and bedworth", "N&B Carers' Forum")],
    )
    forums = {(f.locality_id, f.name, f.kind) for f in meetings.list_forums(db)}
    assert forums == {
        (ids["Rugby"], "Rugby Locality Forum", ForumKind.LOCALITY_FORUM),
        (ids["Nuneaton and Bedworth"], "N&B Carers' Forum", ForumKind.LOCALITY_FORUM),
    }


def test_a_welcome_forum_for_another_locality_is_refused_and_nothing_is_saved(
    db: Database,
) -> None:
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        _welcome(db, forums=[("Coventry", "Coventry Locality Forum")])
    assert "not one of your localities" in caught.value.problems["forums"]
    assert _counts(db) == before
    assert not get_settings(db).set_up


def test_localities_are_added_renamed_and_keep_their_code(db: Database) -> None:
    ids = _welcome(db)
    added = organisation.add_locality(db, "South Warwickshire")
    codes = {loc.name: loc.code for loc in list_localities(db)}
    organisation.rename_locality(db, ids["Rugby"], "Rugby and Dunchurch")
    renamed = {loc.id: (loc.name, loc.code) for loc in list_localities(db)}
    assert renamed[ids["Rugby"]] == ("Rugby and Dunchurch", codes["Rugby"])
    assert renamed[added][0] == "South Warwickshire" and renamed[added][1]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "Please give the locality's name."),
        ("   ", "Please give the locality's name."),
        ("rugby", "There is already a locality called 'rugby'."),
        ("x" * 300, "Locality can be at most 255 characters (this is 300)."),
    ],
)
def test_a_bad_locality_name_is_refused_and_nothing_changes(
    db: Database, name: str, problem: str
) -> None:
    ids = _welcome(db)
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        organisation.add_locality(db, name)
    assert caught.value.problems == {"name": problem}
    with pytest.raises(ValidationError):
        organisation.rename_locality(db, ids["Nuneaton and Bedworth"], name)
    assert _counts(db) == before


def test_retiring_keeps_history_and_hides_from_new_work(db: Database) -> None:
    ids = _welcome(db, forums=[("Rugby", "Rugby Locality Forum")])
    (forum,) = meetings.list_forums(db)
    held = meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=forum.id, meeting_date=date(2026, 11, 3), status=MeetingStatus.HELD
        ),
    )
    organisation.set_forum_active(db, forum.id, False)
    assert meetings.list_forums(db) == []
    assert [f.id for f in meetings.list_forums(db, include_inactive=True)] == [forum.id]
    assert meetings.get_meeting(db, held).forum_name == "Rugby Locality Forum"
    organisation.set_forum_active(db, forum.id, True)
    organisation.set_locality_active(db, ids["Rugby"], False)
    assert meetings.list_forums(db) == []  # a retired locality's forums are not offered
    assert not {loc.id: loc.active for loc in list_localities(db)}[ids["Rugby"]]
    organisation.set_locality_active(db, ids["Rugby"], True)
    assert [f.id for f in meetings.list_forums(db)] == [forum.id]


def test_a_forum_is_renamed_and_given_its_kind_venue_and_format(db: Database) -> None:
    ids = _welcome(db, forums=[("Rugby", "Rugby Forum"), ("Rugby", "Carers")])
    by_name = {f.name: f.id for f in meetings.list_forums(db)}
    organisation.update_forum(
        db,
        by_name["Carers"],
        name="Rugby Carers' Forum",
        kind=ForumKind.CARERS_FORUM,
        default_venue="Benn Hall, Newbold Road",
        default_format=MeetingFormat.HYBRID,
    )
    (carers,) = [f for f in meetings.list_forums(db) if f.id == by_name["Carers"]]
    assert (carers.name, carers.kind, carers.default_venue, carers.default_format) == (
        "Rugby Carers' Forum",
        ForumKind.CARERS_FORUM,
        "Benn Hall, Newbold Road",
        MeetingFormat.HYBRID,
    )
    assert carers.locality_id == ids["Rugby"]
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        organisation.update_forum(
            db, by_name["Carers"], name="rugby forum", kind=ForumKind.CARERS_FORUM
        )
    assert caught.value.problems == {
        "name": "This locality already has a forum called 'rugby forum'."
    }
    assert _counts(db) == before


def test_marking_a_locality_yours(db: Database) -> None:
    ids = _welcome(db)
    other = organisation.add_locality(db, "Coventry", coordinated=False)
    assert {loc.name: loc.coordinated for loc in list_localities(db)} == {
        "Coventry": False,
        "Nuneaton and Bedworth": True,
        "Rugby": True,
    }
    organisation.set_locality_coordinated(db, other, True)
    organisation.set_locality_coordinated(db, ids["Rugby"], False)
    assert {loc.name: loc.coordinated for loc in list_localities(db)}["Coventry"]
    assert not {loc.name: loc.coordinated for loc in list_localities(db)}["Rugby"]


def test_a_group_database_with_kept_returns_or_targets_needs_no_welcome(db: Database) -> None:
    """A database ``consolidate --keep`` started holds kept returns and no localities: it is the
    engagement group's, set up, and opened without the coordinator's welcome (issue #30)."""
    from coordinator_app.core import kept_returns
    from coordinator_app.core.board import Target
    from coordinator_app.core.settings import needs_first_run
    from tests.core.test_board import _returns

    assert needs_first_run(db)
    kept_returns.save_target(db, Target("Attendances", 10))
    assert not needs_first_run(db)
    kept_returns.remove_target(db, "Attendances", "locality")
    assert needs_first_run(db)
    kept_returns.keep(db, _returns())
    assert not needs_first_run(db) and list_localities(db) == []


def test_a_group_database_is_told_from_a_localitys(db: Database) -> None:
    """The group's database (kept returns or targets, no locality) opens on the Trust view; a
    new database, or a locality's (even one that kept returns), opens on Home (issue #30)."""
    from coordinator_app.core import kept_returns
    from coordinator_app.core.board import Target
    from coordinator_app.core.settings import is_group_database
    from tests.core.test_board import _returns

    assert not is_group_database(db)  # new: the welcome comes first
    kept_returns.save_target(db, Target("Attendances", 10))
    assert is_group_database(db)
    kept_returns.remove_target(db, "Attendances", "locality")
    kept_returns.keep(db, _returns())
    assert is_group_database(db)
    complete_first_run(db, trust_name="Test Trust", coordinator_name="Siân", localities=["Rugby"])
    assert not is_group_database(db)
