"""The writes of access on a trust server (``core/access.py``): one ``Op`` each."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ...core import access
from ...core.access import Access
from ...core.vocab import AccessRole
from ..context import AppContext
from . import Op


def change_own_password(parent: QWidget | None, ctx: AppContext, password: str) -> Op[None]:
    """The signed-in login's new password (the first sign-in after ``access add``, or later).
    The password only travels as a verifier (``core/access.py``)."""
    return Op(
        parent,
        lambda: access.change_own_password(ctx.db, password),
        title="Password not changed",
    )


def add_login(
    parent: QWidget | None,
    ctx: AppContext,
    login: str,
    role: AccessRole,
    password: str,
    localities: Sequence[str],
) -> Op[Access]:
    return Op(
        parent,
        lambda: access.add_login(ctx.db, login, role, password, localities=list(localities)),
        title="Login not added",
    )


def set_localities(
    parent: QWidget | None, ctx: AppContext, login: str, localities: Sequence[str]
) -> Op[Access]:
    return Op(
        parent,
        lambda: access.set_localities(ctx.db, login, list(localities)),
        title="Access not changed",
    )


def remove_login(parent: QWidget | None, ctx: AppContext, login: str) -> Op[bool]:
    return Op(parent, lambda: access.remove_login(ctx.db, login), title="Login not removed")
