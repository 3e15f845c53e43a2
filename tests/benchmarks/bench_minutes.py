"""Minutes of a 40-attendee, 30-action meeting rendered to PDF, once the app is running.

    /work/venv/bin/python tests/benchmarks/bench_minutes.py

Builds the meeting in a temporary database, warms up once (typst's fonts and template loaded), then
prints the median of several runs of ``minutes_document`` + ``write_pdf``. Target: under 0.3 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from coordinator_app.core import actions, meetings, minutes, people
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import open_database
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)

RUNS = 7


def build(folder: Path):
    db = open_database(folder / "bench.db")
    complete_first_run(db, trust_name="Bench Trust", coordinator_name="Siân", localities=["Rugby"])
    loc = meetings.list_localities(db)[0].id
    forum = meetings.create_forum(
        db, locality_id=loc, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    m = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum,
            meeting_date=date(2025, 3, 20),
            start_time=clock(18, 30),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
        ),
    )
    categories = list(Category)
    for i in range(40):
        pid = people.create_participant(
            db,
            people.ParticipantInput(
                name=f"Participant Zoë {i:02d}",
                category=categories[i % len(categories)],
                name_in_minutes=i % 3 == 0,
            ),
        )
        status = AttendanceStatus.PRESENT if i < 34 else AttendanceStatus.APOLOGIES
        meetings.set_attendance(db, m, pid, status)
    for n in range(8):
        meetings.add_agenda_item(
            db, m, f"Item {n + 1}", "Discussion of the item by Participant Zoë 01. " * 20, "Agreed."
        )
    for n in range(6):
        meetings.add_experience(
            db, m, ExperienceInput(kind=ExperienceKind.CONCERN, summary=f"Concern {n}", response="")
        )
    for n in range(30):
        actions.raise_action(
            db,
            locality_id=loc,
            meeting_id=m,
            data=ActionInput(
                title=f"Action {n + 1}: follow up with the ward",
                owner="Siân Evans",
                raised_on=date(2025, 3, 20),
                due_on=date(2025, 5, 1),
            ),
        )
    return db, m


def measure(runs: int = RUNS) -> dict[str, float]:
    """Medians in seconds: ``build`` (minutes_document) and ``total`` (+ write_pdf, typst)."""
    from coordinator_app.core.typeset import write_pdf

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, meeting_id = build(folder)
        target = folder / "minutes.pdf"
        write_pdf(minutes.minutes_document(db, meeting_id), target)  # warm-up
        build_times, total_times = [], []
        for _ in range(runs):
            started = time.perf_counter()
            document = minutes.minutes_document(db, meeting_id)
            built = time.perf_counter()
            write_pdf(document, target)
            done = time.perf_counter()
            build_times.append(built - started)
            total_times.append(done - started)
        db.dispose()
    return {"build": statistics.median(build_times), "total": statistics.median(total_times)}


def main() -> None:
    result = measure()
    print(f"minutes_document            median {result['build'] * 1000:6.1f} ms")
    print(
        f"minutes_document + write_pdf median {result['total'] * 1000:6.1f} ms"
        f"  (target < 300 ms; 40 attendees, 30 actions, {RUNS} runs)"
    )


if __name__ == "__main__":
    main()
