"""The Polls tab of the meeting editor: typing a poll as "answer = count" lines, the bar chart,
bad input shown at the field with nothing saved, and the trend across meetings."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt

from coordinator_app.core import meetings, polls
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingStatus
from coordinator_app.ui.views.meeting.editor import TAB_POLLS, MeetingEditor
from coordinator_app.ui.widgets_poll_chart import PollChart, PollsModel, PollTrendModel

QUESTION = "How confident are you that the trust will deliver this?"


def _meeting(db, forum_id, on: date) -> uuid.UUID:
    return meetings.create_meeting(
        db, MeetingInput(forum_id=forum_id, meeting_date=on, status=MeetingStatus.HELD)
    )


def make_editor(qtbot, ctx, meeting_id) -> MeetingEditor:
    editor = MeetingEditor(ctx)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.load(meeting_id)
    editor.tabs.setCurrentIndex(TAB_POLLS)
    return editor


def test_recording_a_poll_saves_it_and_draws_labelled_bars(
    qtbot, ctx, db, place, type_text
) -> None:
    m = _meeting(db, place.events_forum_id, date(2025, 3, 12))
    editor = make_editor(qtbot, ctx, m)
    editor.poll_question_edit.setFocus()
    type_text(editor.poll_question_edit, QUESTION)
    for number, line in enumerate(("Confident = 24", "Not sure = 45", "Not confident = 31")):
        if number:
            qtbot.keyClick(editor.poll_answers_edit, Qt.Key.Key_Return)
        type_text(editor.poll_answers_edit, line)
    with qtbot.waitSignal(ctx.events.meetingsChanged):
        qtbot.mouseClick(editor.poll_save_button, Qt.MouseButton.LeftButton)
    saved = meetings.get_meeting(db, m).polls
    assert [(p.question, p.answers) for p in saved] == [
        (QUESTION, [("Confident", 24), ("Not sure", 45), ("Not confident", 31)])
    ]
    assert editor.polls_model.rowCount() == 1
    assert editor.tabs.tabText(TAB_POLLS) == "Pol&ls (1)"
    assert editor.poll_chart.bar_labels() == [
        "Confident: 24 (24%)",
        "Not sure: 45 (45%)",
        "Not confident: 31 (31%)",
    ]
    assert "Not sure 45 (45%)" in editor.poll_chart.accessibleDescription()
    assert not editor.poll_dirty()
    # The chart paints without error (QPainter on a real, offscreen widget).
    assert not editor.poll_chart.grab().isNull()


def test_ctrl_return_saves_and_editing_replaces_the_answers(qtbot, ctx, db, place) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    polls.add_poll(db, m, "Was it useful?", [("Yes", 3), ("No", 1)])
    editor = make_editor(qtbot, ctx, m)
    editor.polls_table.select_row(0)
    qtbot.waitUntil(lambda: editor.poll_question_edit.text() == "Was it useful?")
    assert editor.poll_answers_edit.toPlainText() == "Yes = 3\nNo = 1"
    editor.poll_answers_edit.setPlainText("Yes = 4\nNo = 0\nMaybe = 2")
    qtbot.keyClick(editor.poll_answers_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert meetings.get_meeting(db, m).polls[0].answers == [("Yes", 4), ("No", 0), ("Maybe", 2)]
    assert editor.poll_chart.bar_labels()[1] == "No: 0 (0%)"


def test_bad_polls_show_a_sentence_at_the_field_and_save_nothing(qtbot, ctx, db, place) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    editor = make_editor(qtbot, ctx, m)
    cases = [
        ("", "Yes = 3", "question", "Write the question"),
        ("Q?", "Yes = -2", "answers", "whole number"),
        ("Q?", "Yes = lots", "answers", "whole number"),
        ("Q?", "Yes = 1\nyes = 2", "answers", "given twice"),
        ("Q?", "", "answers", "at least one answer"),
    ]
    for question, answers, field, words in cases:
        editor.poll_question_edit.setText(question)
        editor.poll_answers_edit.setPlainText(answers)
        assert editor.save_poll() is False
        assert words in editor.poll_errors.message(field)
    assert meetings.get_meeting(db, m).polls == []
    assert editor.commit_pending() is False  # still refused, still nothing saved
    assert meetings.get_meeting(db, m).polls == []


def test_a_poll_with_one_answer_and_a_zero_count_is_drawn(qtbot, ctx, db, place) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    editor = make_editor(qtbot, ctx, m)
    editor.poll_question_edit.setText("Anyone for tea?")
    editor.poll_answers_edit.setPlainText("Yes = 0")
    assert editor.save_poll()
    assert editor.poll_chart.bar_labels() == ["Yes: 0 (-)"]
    assert not editor.poll_chart.grab().isNull()


def test_compare_with_earlier_meetings_shows_the_trend(qtbot, ctx, db, place) -> None:
    first = _meeting(db, place.forum_id, date(2024, 6, 5))
    second = _meeting(db, place.events_forum_id, date(2024, 11, 5))
    elsewhere = _meeting(db, place.other_forum_id, date(2024, 12, 5))
    now = _meeting(db, place.forum_id, date(2025, 3, 12))
    polls.add_poll(db, first, QUESTION, [("Confident", 10), ("Not sure", 50)])
    polls.add_poll(db, second, QUESTION.upper(), [("Confident", 20), ("Not sure", 40)])
    polls.add_poll(db, elsewhere, QUESTION, [("Confident", 99)])
    polls.add_poll(db, now, f"  {QUESTION}  ", [("Confident", 30), ("Not sure", 30)])
    editor = make_editor(qtbot, ctx, now)
    editor.polls_table.select_row(0)
    qtbot.waitUntil(lambda: bool(editor.poll_question_edit.text()))
    qtbot.mouseClick(editor.poll_compare_button, Qt.MouseButton.LeftButton)
    assert editor.poll_trend_box.isVisible()
    model = editor.poll_trend_model
    assert [r.meeting_date for r in model.rows()] == [
        date(2024, 6, 5),
        date(2024, 11, 5),
        date(2025, 3, 12),
    ]
    assert "Asked at 3 meetings in Rugby" in editor.poll_trend_note.text()


def test_deleting_a_poll_asks_first(qtbot, ctx, db, place, questions) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    polls.add_poll(db, m, "Q?", [("Yes", 1)])
    editor = make_editor(qtbot, ctx, m)
    editor.polls_table.select_row(0)
    questions.answer = False
    editor.delete_poll()
    assert len(meetings.get_meeting(db, m).polls) == 1
    questions.answer = True
    editor.delete_poll()
    assert meetings.get_meeting(db, m).polls == []
    assert editor.polls_model.rowCount() == 0


def test_poll_models_pass_the_model_tester(qtmodeltester, db, place) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    polls.add_poll(db, m, "Q?", [("Yes", 1), ("No", 0)])
    model = PollsModel()
    model.set_rows(meetings.get_meeting(db, m).polls)
    qtmodeltester.check(model)
    trend = PollTrendModel()
    trend.set_rows(polls.poll_trend(db, "q"))
    qtmodeltester.check(trend)


def test_the_polls_tab_names_every_control(qtbot, ctx, db, place, unnamed_controls) -> None:
    m = _meeting(db, place.forum_id, date(2025, 3, 12))
    editor = make_editor(qtbot, ctx, m)
    assert unnamed_controls(editor) == []
    chart = PollChart()
    qtbot.addWidget(chart)
    assert chart.accessibleName() == "Poll chart"
