"""Nothing typed is lost when the app is killed (SIGKILL: the nearest thing to a flat battery a
test can do). A real child process builds the real main window on the test database, types a
decision into a meeting's agenda item and a note into an open action editor, waits until the
pause in the typing has written them (it polls the database itself), says "ready" and is
killed. The database, opened again, holds the decision in the record and the note as a draft,
which the next start offers back.

No sleeps: the parent kills as soon as the child says "ready"; the child waits on Qt's event
loop (the idle timer wakes it), never on a clock.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from coordinator_app.core import actions, drafts, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import open_database
from coordinator_app.core.vocab import ActionLevel, MeetingStatus

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

DECISION = "Zoë to ask the pharmacy; Siân to book the Benn Hall again."
NOTE = "Seán rang: they open till 8 from May."
#: Far longer than the child needs (about 5 s): only a child that never gets there hits it.
READY_TIMEOUT_S = 120

CHILD = textwrap.dedent(
    """
    import sys, uuid
    from PySide6.QtCore import QEvent, QEventLoop, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from coordinator_app.core import drafts, meetings
    from coordinator_app.core.db import open_database, prepare_orm
    from coordinator_app.ui.app import ensure_application
    from coordinator_app.ui.context import AppContext
    from coordinator_app.ui.dialogs.action_editor import ActionEditor
    from coordinator_app.ui.main_window import MainWindow
    from coordinator_app.ui.views.meeting.editor import TAB_AGENDA

    target, meeting_id, action_id = sys.argv[1], uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3])
    decision, note = sys.argv[4], sys.argv[5]
    app = ensure_application()
    ctx = AppContext(db=open_database(target))
    prepare_orm()
    window = MainWindow(ctx)
    window.show()

    def type_text(widget, text):
        # One key event per character: QTest's key clicks abort on "ë".
        for ch in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                key = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(widget, key)

    def wait_until(done):
        # Qt's event loop until ``done()``: the idle timer's event wakes it (no sleeping).
        while not done():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    window.open_meeting(meeting_id)
    editor = window.meetings.editor
    editor.tabs.setCurrentIndex(TAB_AGENDA)
    editor.agenda_table.select_row(0)
    type_text(editor.item_decisions_edit, decision)
    wait_until(lambda: meetings.get_meeting(ctx.db, meeting_id).agenda[0].decisions == decision)

    dialog = ActionEditor(ctx, action_id, window)
    dialog.show()  # open, as on screen (never exec: this script must go on)
    type_text(dialog.detail_edit, note)
    wait_until(
        lambda: any(
            f.value == note for d in drafts.list_drafts(ctx.db) for f in d.fields
        )
    )
    print("ready", flush=True)
    app.exec()  # typing on, until killed
    """
)


def _read_line(child: subprocess.Popen[str], timeout: float) -> str:
    """The child's next line, or "" if it ends or says nothing in ``timeout`` seconds."""
    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return child.stdout.readline().strip()


def test_a_kill_after_a_pause_in_the_typing_loses_nothing(
    db_target, db, place, tmp_path: Path
) -> None:
    meeting_id = meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=place.forum_id, meeting_date=date(2025, 10, 6), status=MeetingStatus.HELD
        ),
    )
    meetings.add_agenda_item(db, meeting_id, "Pharmacy opening hours")
    action_id = actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title="Ask the pharmacy about opening hours", level=ActionLevel.LOCALITY),
        meeting_id=meeting_id,
        today=date(2025, 10, 6),
    )
    db.dispose()  # the child has the database to itself, as the app would
    script = tmp_path / "typing_child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [
            sys.executable,
            str(script),
            db_target,
            str(meeting_id),
            str(action_id),
            DECISION,
            NOTE,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = _read_line(child, READY_TIMEOUT_S)
        if line != "ready":
            child.kill()
            _out, err = child.communicate()
            pytest.fail(f"the child did not get ready: {line!r}\n{err[-3000:]}")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        child.stderr.close()

    again = open_database(db_target)
    try:
        (item,) = meetings.get_meeting(again, meeting_id).agenda
        assert item.decisions == DECISION  # the record itself was the draft
        (draft,) = drafts.list_drafts(again)
        assert draft.form == "ActionEditor"
        assert (draft.record_table, draft.record_id) == ("actions", action_id)
        assert draft.label.endswith("“Ask the pharmacy about opening hours”")
        assert {f.name: f.value for f in draft.fields if f.changed} == {"detail_edit": NOTE}
        assert actions.get_action(again, action_id).detail == ""  # Save was never pressed
    finally:
        again.dispose()
