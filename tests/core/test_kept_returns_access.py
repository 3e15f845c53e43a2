"""On a trust server (PostgreSQL), the engagement group and a coordinator keep returns, set
targets and feature actions under their own logins (migration 0012's grants; the audit row goes
in with each). Skipped without a server, as tests/core/test_access.py is."""

from __future__ import annotations

from coordinator_app.core import kept_returns
from coordinator_app.core.board import Target
from tests.core.test_access import Trust, trust  # noqa: F401 - the fixture
from tests.core.test_board import _returns


def test_the_engagement_group_keeps_returns_sets_targets_and_features_actions(
    trust: Trust,  # noqa: F811
) -> None:
    group = trust.app(trust.signed_up("group", "--engagement-group"))
    try:
        assert kept_returns.keep(group, _returns()).kept == 12
        kept_returns.save_target(group, Target("Attendances", 10))
        kept_returns.feature(group, "Bath", "B-2", True)
        kept_returns.forget(group, "Avon", _returns()[0].month)
        picture = kept_returns.picture(group)
        assert [a.reference for a in picture.featured] == ["B-2"]
        assert len(picture.ratings) == 4
    finally:
        group.dispose()
    coordinator = trust.app(trust.signed_up("rugby", "--locality", "Rugby"))
    try:
        assert len(kept_returns.kept(coordinator)) == 11
        assert kept_returns.load_targets(coordinator) == [Target("Attendances", 10)]
    finally:
        coordinator.dispose()
