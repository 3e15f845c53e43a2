"""The writes of the Trust view (issue #30): the returns kept between months, the group's
targets and its "You said, we did" highlights (``core/kept_returns.py``), one ``Op`` each. No
other page shows them, so none tells the other pages (``changed``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ...core import kept_returns
from ...core.board import Target
from ...core.return_format import ReturnData
from ...core.rules import Month
from ..context import AppContext
from . import Op


def keep(
    parent: QWidget | None, ctx: AppContext, returns: Sequence[ReturnData]
) -> Op[kept_returns.KeepResult]:
    chosen = list(returns)
    return Op(parent, lambda: kept_returns.keep(ctx.db, chosen), title="Returns not kept")


def forget(parent: QWidget | None, ctx: AppContext, locality: str, month: Month) -> Op[None]:
    return Op(
        parent, lambda: kept_returns.forget(ctx.db, locality, month), title="Return not forgotten"
    )


def save_target(parent: QWidget | None, ctx: AppContext, target: Target) -> Op[None]:
    return Op(parent, lambda: kept_returns.save_target(ctx.db, target), title="Target not saved")


def remove_target(parent: QWidget | None, ctx: AppContext, target: Target) -> Op[None]:
    return Op(
        parent,
        lambda: kept_returns.remove_target(ctx.db, target.measure, target.per),
        title="Target not removed",
    )


def adopt_targets(parent: QWidget | None, ctx: AppContext, targets: Sequence[Target]) -> Op[int]:
    found = list(targets)
    return Op(parent, lambda: kept_returns.adopt_targets(ctx.db, found), title="Targets not moved")


def feature(
    parent: QWidget | None, ctx: AppContext, locality: str, reference: str, featured: bool
) -> Op[None]:
    return Op(
        parent,
        lambda: kept_returns.feature(ctx.db, locality, reference, featured),
        title="Not saved",
    )
