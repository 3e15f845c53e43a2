"""The engagement group's returns kept between months, its targets and its "You said, we did"
highlights, in the group's own database (docs/monthly-return.md#kept-between-months).

A consolidation keeps what it read (``keep``), so the Trust view and the Board report show the
picture month after month with no old file read again (``picture``). No Qt.

Contracts and pitfalls:
- **One per locality (any case) and month**, by the rule consolidation uses
  (``consolidate.generated_at``): a return generated later replaces the kept one; an older one
  is set aside with a sentence; the same return read again (the same Generated at and content)
  changes nothing. When Generated at cannot tell them apart (missing, or the same with other
  content) the kept one stays and a sentence says so: forget it first to keep the other.
- **Nothing personal is kept.** Returns hold none (consolidation refuses them), and what is kept
  is checked again with consolidation's own text checks (``consolidate.text_problems``); any
  problem refuses the whole keep, nothing changed. Prepared by (a staff name, used by nothing
  here) is left out.
- The content is the return's ``ReturnData`` as JSON (dates tagged), so ``board.trust_picture``
  rebuilds exactly the picture the files would give.
- **Targets** were kept in the app's settings (QSettings) before 0012; ``adopt_targets`` takes
  those in once (the Trust view then removes the key).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from . import audit, schema
from .board import MEDIAN_DAYS, Target, TrustPicture, trust_picture
from .consolidate import generated_at, text_problems
from .db import Database
from .errors import NotFoundError, ValidationError, WorkbookError
from .figures import SUMMARY_MEASURES
from .return_format import ReturnData
from .rules import Month
from .vocab import AuditOperation

#: The version of the JSON a kept return is stored as.
CONTENT_VERSION = 1
#: Fields of the Return sheet left out of what is kept.
LEFT_OUT = frozenset({"Prepared by"})
#: The measures a target can be set for.
TARGET_MEASURES: tuple[str, ...] = (
    *(m for m in SUMMARY_MEASURES if m != "Accreditation result"),
    MEDIAN_DAYS,
)


@dataclass(frozen=True)
class KeptReturn:
    """A kept return: its content and where and when it came from."""

    data: ReturnData
    source_file: str
    #: As the return has it: its computer's clock time, with no zone.
    generated_at: datetime | None
    format_version: int
    kept_at: datetime

    @property
    def locality(self) -> str:
        return self.data.locality

    @property
    def month(self) -> Month:
        return self.data.month


@dataclass(frozen=True)
class KeepResult:
    """What ``keep`` did: returns kept anew, kept ones replaced by a newer one, returns already
    kept as they are, and one sentence per return set aside."""

    kept: int
    replaced: int
    unchanged: int
    set_aside: tuple[str, ...] = ()

    def sentence(self) -> str:
        """ "Kept 4 returns; 1 replaced; 1 set aside." """
        text = f"Kept {self.kept} return{'' if self.kept == 1 else 's'}"
        if self.replaced:
            text += f"; {self.replaced} replaced by one generated later"
        if self.unchanged:
            text += f"; {self.unchanged} already kept"
        if self.set_aside:
            text += f"; {len(self.set_aside)} set aside"
        return text + "."


# --- the content as JSON -------------------------------------------------------------------


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
        if "time" in value:
            return time.fromisoformat(value["time"])
    return value


def _kept_fields(data: ReturnData) -> dict[str, Any]:
    return {k: v for k, v in data.fields.items() if k not in LEFT_OUT}


def encode(data: ReturnData) -> str:
    """A return's content as the JSON kept (Prepared by left out)."""
    return json.dumps(
        {
            "version": CONTENT_VERSION,
            "locality": data.locality,
            "month": str(data.month),
            "fields": {k: _encode_value(v) for k, v in _kept_fields(data).items()},
            "summary": [[m, _encode_value(v)] for m, v in data.summary],
            "tables": {
                sheet: [[_encode_value(v) for v in row] for row in rows]
                for sheet, rows in data.tables.items()
            },
        },
        allow_nan=False,
        ensure_ascii=False,
    )


def decode(text: str, source_file: str = "") -> ReturnData:
    """The ``ReturnData`` of the JSON ``encode`` wrote."""
    raw = json.loads(text)
    return ReturnData(
        path=Path(source_file),
        fields={k: _decode_value(v) for k, v in raw["fields"].items()},
        locality=raw["locality"],
        month=Month.parse(raw["month"]),
        summary=tuple((m, _decode_value(v)) for m, v in raw["summary"]),
        tables={
            sheet: [tuple(_decode_value(v) for v in row) for row in rows]
            for sheet, rows in raw["tables"].items()
        },
    )


def _key(locality: str) -> str:
    return " ".join(locality.split()).casefold()


def _format_version(data: ReturnData) -> int:
    try:
        return int(float(str(data.fields.get("Format version") or 1)))
    except ValueError:
        return 1


def _stamp(data: ReturnData) -> datetime | None:
    """Generated at as stored: the return's own clock time, marked UTC (it carries no zone)."""
    stamp = generated_at(data)
    if stamp is None:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _when(stamp: datetime | None) -> str:
    return f"{stamp:%Y-%m-%d %H:%M}" if stamp is not None else "no Generated at"


# --- keeping, listing, forgetting ----------------------------------------------------------


def keep(db: Database, returns: Sequence[ReturnData], *, now: datetime | None = None) -> KeepResult:
    """Keep ``returns`` (those a consolidation read and used), in one transaction. A kept
    return of the same locality and month is replaced by one generated later; an older one is
    set aside with a sentence (module docstring). Refused with nothing kept: a return holding
    what a return cannot (``consolidate.text_problems``), or two of one locality and month."""
    problems = [
        f"{data.path.name}: {problem}" for data in returns for problem in text_problems(data)
    ]
    if problems:
        raise WorkbookError("The returns hold what a return cannot, so none was kept.", problems)
    seen: dict[tuple[str, str], str] = {}
    for data in returns:
        twice = (_key(data.locality), str(data.month))
        if twice in seen:
            raise ValidationError(
                {
                    "returns": f"{data.locality} {data.month} is read twice ({seen[twice]} and "
                    f"{data.path.name}), so none was kept."
                }
            )
        seen[twice] = data.path.name
    moment = now or datetime.now(UTC)
    t = schema.kept_returns
    kept = replaced = unchanged = 0
    set_aside: list[str] = []
    with db.transaction() as session:
        for data in returns:
            content = encode(data)
            stamp = generated_at(data)
            key, month = _key(data.locality), str(data.month)
            old = session.execute(
                select(t.c.id, t.c.content, t.c.source_file).where(
                    t.c.locality_key == key, t.c.month == month
                )
            ).first()
            values = {
                "locality": " ".join(data.locality.split()),
                "locality_key": key,
                "month": month,
                "content": content,
                "source_file": data.path.name,
                "generated_at": _stamp(data),
                "format_version": _format_version(data),
                "kept_at": moment,
            }
            if old is None:
                kept_id = uuid.uuid4()
                session.execute(t.insert().values(id=kept_id, **values))
                audit.record(
                    session, AuditOperation.CREATE, "kept_returns", kept_id,
                    f"Kept the return of {data.locality} for {month}",
                )  # fmt: skip
                kept += 1
                continue
            if old.content == content:
                unchanged += 1
                continue
            before = generated_at(decode(old.content))
            if stamp is not None and before is not None and stamp > before:
                session.execute(
                    t.update()
                    .where(t.c.id == old.id)
                    .values(**values, row_version=t.c.row_version + 1)
                )
                audit.record(
                    session, AuditOperation.UPDATE, "kept_returns", old.id,
                    f"Kept a later return of {data.locality} for {month}",
                )  # fmt: skip
                replaced += 1
                continue
            if stamp is not None and before is not None and stamp < before:
                reason = (
                    f"{data.locality} {month} was generated again later: the kept one "
                    f"({old.source_file}, generated {_when(before)}) stays and this one "
                    f"(generated {_when(stamp)}) is set aside."
                )
            else:
                reason = (
                    f"{data.locality} {month} is already kept ({old.source_file}), and their "
                    "Generated at cannot tell which is newer: the kept one stays (forget it "
                    "on the Trust view to keep this one)."
                )
            set_aside.append(f"{data.path.name}: {reason}")
    return KeepResult(kept, replaced, unchanged, tuple(set_aside))


def kept(db: Database) -> list[KeptReturn]:
    """Every kept return, by locality then month."""
    t = schema.kept_returns
    with db.reading() as conn:
        rows = conn.execute(
            select(
                t.c.content, t.c.source_file, t.c.generated_at, t.c.format_version, t.c.kept_at
            ).order_by(t.c.locality_key, t.c.month)
        ).all()
    found = []
    for r in rows:
        data = decode(r.content, r.source_file)
        # Generated at as the return has it (its own clock, no zone), not the stored copy.
        found.append(
            KeptReturn(data, r.source_file, generated_at(data), r.format_version, r.kept_at)
        )
    return found


def holds_nothing(db: Database) -> bool:
    """True when no return is kept and no target set: a group's database just started, or one
    a first ``consolidate --keep`` left empty when it failed after starting it."""
    with db.reading() as conn:
        return not any(
            conn.execute(select(table.c.id).limit(1)).first()
            for table in (schema.kept_returns, schema.board_targets)
        )


def forget(db: Database, locality: str, month: Month) -> None:
    """Forget the kept return of ``locality`` (any case) for ``month``, in one transaction."""
    t = schema.kept_returns
    with db.transaction() as session:
        found = session.execute(
            select(t.c.id).where(t.c.locality_key == _key(locality), t.c.month == str(month))
        ).first()
        if found is None:
            raise NotFoundError(f"No return of {locality} for {month} is kept.")
        session.execute(delete(t).where(t.c.id == found.id))
        audit.record(
            session, AuditOperation.DELETE, "kept_returns", found.id,
            f"Forgot the kept return of {locality} for {month}",
        )  # fmt: skip


def combined(kept_returns: Iterable[ReturnData], new: Iterable[ReturnData]) -> list[ReturnData]:
    """The kept returns with those newly read: one per locality (any case) and month, a new
    one generated later (or with no kept one) in place of the kept one."""
    found: dict[tuple[str, Month], ReturnData] = {
        (_key(r.locality), r.month): r for r in kept_returns
    }
    for data in new:
        key = (_key(data.locality), data.month)
        old = found.get(key)
        if old is None:
            found[key] = data
            continue
        stamp, before = generated_at(data), generated_at(old)
        if stamp is not None and before is not None and stamp > before:
            found[key] = data
    return list(found.values())


def picture(
    db: Database,
    new: Sequence[ReturnData] = (),
    *,
    targets: Sequence[Target] | None = None,
) -> TrustPicture:
    """The Trust view of the kept returns with ``new`` (``combined``), rated against the
    group's targets (``targets``, by default those kept) and with its highlights."""
    returns = combined((k.data for k in kept(db)), new)
    return trust_picture(
        returns,
        load_targets(db) if targets is None else targets,
        featured=highlights(db),
    )


# --- targets -------------------------------------------------------------------------------


def load_targets(db: Database) -> list[Target]:
    """The group's targets, in its order."""
    t = schema.board_targets
    with db.reading() as conn:
        rows = conn.execute(select(t).order_by(t.c.position, t.c.measure)).all()
    return [
        Target(r.measure, r.value, bool(r.higher_is_better), r.per, r.amber_within) for r in rows
    ]


def _check_target(target: Target) -> None:
    if target.measure not in TARGET_MEASURES:
        raise ValidationError(
            {"measure": f"There is no measure called {target.measure!r} to set a target for."}
        )
    if target.per not in ("locality", "trust"):
        raise ValidationError({"per": "A target is for each locality or for the trust total."})
    if not 0 <= target.value <= 1_000_000_000:
        raise ValidationError({"value": "A target is a number from 0 to 1,000,000,000."})


def save_target(db: Database, target: Target) -> None:
    """Set a target: one for the same measure and the same locality or trust is replaced."""
    _check_target(target)
    t = schema.board_targets
    values = {
        "value": target.value,
        "higher_is_better": target.higher_is_better,
        "amber_within": target.amber_within,
    }
    with db.transaction() as session:
        old = session.execute(
            select(t.c.id).where(t.c.measure == target.measure, t.c.per == target.per)
        ).first()
        if old is not None:
            session.execute(
                t.update().where(t.c.id == old.id).values(**values, row_version=t.c.row_version + 1)
            )
            return
        position = session.scalar(select(func.coalesce(func.max(t.c.position), 0))) or 0
        session.execute(
            t.insert().values(
                id=uuid.uuid4(),
                measure=target.measure,
                per=target.per,
                position=position + 1,
                **values,
            )
        )


def remove_target(db: Database, measure: str, per: str) -> None:
    """Remove the target for ``measure`` rated ``per`` locality or for the trust."""
    t = schema.board_targets
    with db.transaction() as session:
        done = session.execute(delete(t).where(t.c.measure == measure, t.c.per == per))
        if done.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError("That target was already removed.")


def adopt_targets(db: Database, targets: Sequence[Target]) -> int:
    """Take in the targets kept in the app's settings before 0012, once, in one transaction:
    those the database has no target for (the same measure and locality or trust) are added
    after its own. How many were added. A target that cannot be one is left out."""
    t = schema.board_targets
    added = 0
    with db.transaction() as session:
        have = {(r.measure, r.per) for r in session.execute(select(t.c.measure, t.c.per))}
        position = session.scalar(select(func.coalesce(func.max(t.c.position), 0))) or 0
        for target in targets:
            try:
                _check_target(target)
            except ValidationError:
                continue
            if (target.measure, target.per) in have:
                continue
            have.add((target.measure, target.per))
            position += 1
            added += 1
            session.execute(
                t.insert().values(
                    id=uuid.uuid4(),
                    measure=target.measure,
                    per=target.per,
                    value=target.value,
                    higher_is_better=target.higher_is_better,
                    amber_within=target.amber_within,
                    position=position,
                )
            )
    return added


# --- "You said, we did" highlights ----------------------------------------------------------


def highlights(db: Database) -> list[tuple[str, str]]:
    """The completed actions the group features: (locality, reference), in the order chosen."""
    t = schema.board_highlights
    with db.reading() as conn:
        rows = conn.execute(select(t.c.locality, t.c.reference).order_by(t.c.created_at)).all()
    return [(r.locality, r.reference) for r in rows]


def feature(db: Database, locality: str, reference: str, featured: bool) -> None:
    """Feature (or stop featuring) the action ``reference`` of ``locality`` in the Board
    report's "You said, we did"; featuring one already featured changes nothing."""
    t = schema.board_highlights
    key, reference = _key(locality), reference.strip()
    if not key or not reference:
        raise ValidationError({"reference": "Choose a completed action to feature."})
    with db.transaction() as session:
        where = (t.c.locality_key == key, t.c.reference == reference)
        old = session.execute(select(t.c.id).where(*where)).first()
        if featured and old is None:
            session.execute(
                t.insert().values(
                    id=uuid.uuid4(),
                    locality=" ".join(locality.split()),
                    locality_key=key,
                    reference=reference,
                )
            )
        elif not featured and old is not None:
            session.execute(delete(t).where(t.c.id == old.id))
