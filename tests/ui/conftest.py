"""Fixtures for the UI tests: an ``AppContext`` over the fresh test database, a locality with
two forums (one an engagement-events forum) and typing helpers.

No Qt object is made at import time (Spyder's warning); widgets come from ``qtbot``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import pytest

from coordinator_app.core import meetings, people
from coordinator_app.core.db import Database
from coordinator_app.core.settings import complete_first_run, save_settings
from coordinator_app.core.vocab import Category, ForumKind, MeetingFormat, MeetingStatus

TODAY = date(2025, 3, 20)


@dataclass(frozen=True)
class Place:
    locality_id: uuid.UUID
    other_locality_id: uuid.UUID
    forum_id: uuid.UUID
    events_forum_id: uuid.UUID
    other_forum_id: uuid.UUID


@pytest.fixture
def own_settings(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """QSettings in a folder of this test's own (``tmp_path``), under an application name of its
    module's: remembered state (window sizes, splitters, last choices) never leaks between tests
    nor into the user's own. A module asks for it with ``pytest.mark.usefixtures``."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("Involvement Coordinator Tests")
    QCoreApplication.setApplicationName(request.module.__name__.rpartition(".")[2])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def ctx(db: Database):
    from coordinator_app.ui.context import AppContext

    return AppContext(db=db, today_override=TODAY)


@pytest.fixture
def place(db: Database) -> Place:
    """Rugby (a locality forum meeting at the Benn Hall, an events forum) and Coventry."""
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    save_settings(db, default_payment_pence=2500)
    by_name = {loc.name: loc.id for loc in meetings.list_localities(db)}
    rugby, coventry = by_name["Rugby"], by_name["Coventry"]
    forum = meetings.create_forum(
        db,
        locality_id=rugby,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        default_venue="Benn Hall",
        default_format=MeetingFormat.HYBRID,
    )
    events = meetings.create_forum(db, locality_id=rugby, name="Rugby Events", kind=ForumKind.EVENT)
    other = meetings.create_forum(
        db, locality_id=coventry, name="Coventry Carers Forum", kind=ForumKind.CARERS_FORUM
    )
    return Place(rugby, coventry, forum, events, other)


def _meeting_at(
    db: Database, forum_id: uuid.UUID, day: date, status: MeetingStatus = MeetingStatus.HELD
) -> uuid.UUID:
    return meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=forum_id,
            meeting_date=day,
            start_time=time(10, 30),
            end_time=time(12, 0),
            venue="Benn Hall",
            format=MeetingFormat.IN_PERSON,
            status=status,
        ),
    )


def _add_person(
    db: Database,
    name: str,
    category: Category = Category.SERVICE_USER,
    locality_id: uuid.UUID | None = None,
    **extra: object,
) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(name=name, category=category, locality_id=locality_id, **extra),  # type: ignore[arg-type]
    )


def _type_text(widget, text: str) -> None:
    """Type any text, non-ASCII included (``qtbot.keyClicks`` aborts on "ë")."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def add_meeting_at(db: Database):
    """``add_meeting_at(forum_id, day=18 March 2025, status=HELD) -> id``: a meeting, 10:30 to
    12:00 at the Benn Hall."""
    return lambda forum_id, day=date(2025, 3, 18), status=MeetingStatus.HELD: _meeting_at(
        db, forum_id, day, status
    )


@pytest.fixture
def show_meetings(qtbot, ctx):
    """``show_meetings(meeting_id=None, item_id=None)``: the Meetings page made, sized 1100x800
    and shown, with that meeting open (and that agenda item chosen) when given."""
    from coordinator_app.ui.views.meetings import MeetingsPage

    def show(meeting_id: uuid.UUID | None = None, item_id: uuid.UUID | None = None):
        page = MeetingsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1100, 800)
        page.show()
        qtbot.waitExposed(page)
        if meeting_id is not None:
            page.open_meeting(meeting_id)
        if item_id is not None:
            page.editor._select_agenda(item_id)
        return page

    return show


@pytest.fixture
def add_person(db: Database):
    """``add_person(name, category=SERVICE_USER, locality_id=None, **fields) -> id``."""
    return lambda name, *args, **kwargs: _add_person(db, name, *args, **kwargs)


@pytest.fixture
def answered_sex(db: Database, place: Place, add_person):
    """``answered_sex(people, female)``: ``people`` service users of Rugby present at one held
    meeting (4 February 2025), the first ``female`` of them answering Sex "Female" on the
    equality monitoring form, the rest "Male" (for the Reach tab)."""
    from coordinator_app.core import monitoring
    from coordinator_app.core.vocab import AttendanceStatus

    def make(total: int, female: int) -> None:
        held = meetings.create_meeting(
            db,
            meetings.MeetingInput(
                forum_id=place.forum_id, meeting_date=date(2025, 2, 4), status=MeetingStatus.HELD
            ),
        )
        for i in range(total):
            pid = add_person(f"Person {i}", Category.SERVICE_USER, place.locality_id)
            meetings.set_attendance(db, held, pid, AttendanceStatus.PRESENT)
            monitoring.record_answers(
                db,
                pid,
                consent_date=date(2025, 2, 4),
                consent_how="Form",
                answers={"Sex": "Female" if i < female else "Male"},
                today=date(2025, 3, 20),
            )

    return make


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: types any text, accents included."""
    return _type_text


@dataclass
class Questions:
    """What the UI asked (``widgets.confirm``) or told (``widgets.inform``) during a test."""

    asked: list[str]
    told: list[str]
    answer: bool = True
    #: ``widgets.ask_conflict``: the sentences shown, and the answer (True: Reload).
    conflicts: list[str] = field(default_factory=list)
    reload: bool = True
    #: ``files.offer_to_open``: (path, what, detail) of every file offered to open (never opened).
    offered: list[tuple[Path, str, str]] = field(default_factory=list)
    #: ``widgets.ask_choice``: the questions asked, and the index answered (None: the default).
    choices: list[str] = field(default_factory=list)
    choice: int | None = None


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """Never open a real message box in a test (it would block or crash offscreen): questions
    are answered with ``questions.answer`` (yes by default) and recorded. Tests may patch
    ``widgets.confirm`` themselves."""
    from coordinator_app.ui import widgets

    record = Questions([], [])

    def confirm(parent, title, text, *, yes="Delete"):
        record.asked.append(text)
        return record.answer

    monkeypatch.setattr(widgets, "confirm", confirm)
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text: record.told.append(text))

    def ask_conflict(parent, text):
        record.conflicts.append(text)
        return record.reload

    monkeypatch.setattr(widgets, "ask_conflict", ask_conflict)

    def ask_choice(parent, title, text, choices, *, default=-1):
        record.choices.append(text)
        return record.choice if record.choice is not None else default % len(choices)

    monkeypatch.setattr(widgets, "ask_choice", ask_choice)
    from coordinator_app.ui import files

    def offer(parent, path, what, detail=""):
        record.offered.append((Path(path), what, detail))
        return False

    monkeypatch.setattr(files, "offer_to_open", offer)
    return record


def _unnamed_controls(root) -> list[str]:
    """Focusable controls under ``root`` with neither an accessible name nor their own text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QWidget,
    )

    def inside_combo_or_spin(w) -> bool:
        parent = w.parent()
        while parent is not None:
            if isinstance(parent, (QComboBox, QAbstractSpinBox)):
                return True
            parent = parent.parent()
        return False

    kinds = (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QAbstractSpinBox,
        QPlainTextEdit,
    )
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, kinds) or isinstance(w, (QTabBar, QHeaderView)):
            continue
        if inside_combo_or_spin(w):  # their inner line edits and popup lists
            continue
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(w, QAbstractItemView):
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        if not w.accessibleName():
            missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


@pytest.fixture
def unnamed_controls():
    """``unnamed_controls(widget) -> list``: controls a screen reader could not name."""
    return _unnamed_controls


# --- what a screen reader is given (issue #24) ---------------------------------------------------


def _said_text(label) -> str:
    """What a label shows, as plain text (rich text flattened, a mnemonic's & dropped)."""
    from PySide6.QtGui import Qt, QTextDocument  # QtGui's Qt has mightBeRichText

    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if rich:
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def _label_in_name(text: str) -> str:
    """What a control's text says aloud: no shortcut &, no arrow before the words, no closing
    "…", spaces as one."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&").lstrip("←→↑↓ ")
    return " ".join(text.split()).removesuffix("…").removesuffix("...").strip()


def _unheard(root, where: str = "") -> list[str]:
    """What a screen reader would miss in ``root``'s window, as it stands (visible widgets only).

    - A label whose accessible name differs from the text it shows: Qt gives assistive technology
      the name *instead of* the text, so "Meetings held" on a label showing 5 is read without
      the 5. A label with a name but no text yet (a result filled in later) counts too: it
      will hide what it shows. A picture's label may have a name.
    - A control that takes the focus (enabled, visible, focus policy other than NoFocus, no
      focus proxy) and that Qt can give no name: no accessible name, no text of its own (a
      button's, a tab's), no label pointing at it (a buddy: Qt's "labelled by" relation).
    - A button or check box whose accessible name does not start with the text it shows
      (WCAG 2.5.3, label in name: someone using speech input says what they see, and a
      screen reader user hears what a sighted colleague reads out, a count included).
      The & of a shortcut and a closing "…" are not part of what is seen and said.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    top = root.window()
    prefix = f"{where}: " if where else ""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.window() is not top:
            continue
        name = widget.accessibleName()
        kind = type(widget).__name__
        picture = isinstance(widget, QLabel) and (
            not widget.pixmap().isNull() or widget.movie() is not None
        )
        if isinstance(widget, QLabel) and name and not picture:
            shown = _said_text(widget)
            if not shown:
                found.append(f"{prefix}{kind} named {name!r} will hide the text it shows")
                continue
            if " ".join(name.split()) != shown:
                found.append(f"{prefix}{kind} named {name!r} hides {shown[:60]!r}")
                continue
        if isinstance(widget, QAbstractButton) and name:
            shown = _label_in_name(widget.text())
            if shown and not _label_in_name(name).casefold().startswith(shown.casefold()):
                found.append(f"{prefix}{kind} showing {shown!r} is named {name!r}")
        if (
            widget.focusPolicy() == Qt.FocusPolicy.NoFocus
            or not widget.isEnabled()
            or widget.focusProxy() is not None
        ):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None:
            found.append(f"{prefix}{kind} {widget.objectName()!r}: no accessible interface")
            continue
        if face.text(QAccessible.Text.Name).strip():
            continue
        if face.relations(QAccessible.RelationFlag.Label):
            continue
        holder = type(widget.parentWidget()).__name__
        found.append(f"{prefix}{kind} {widget.objectName()!r} in {holder} takes the focus unnamed")
    return found


@pytest.fixture
def unheard():
    """``unheard(widget, where="") -> list``: values a screen reader would not read and focus
    stops it could not name, in ``widget``'s window."""
    return _unheard


def _every_dialog(
    ctx,
    *,
    locality_id: uuid.UUID,
    meeting_id: uuid.UUID,
    participant: tuple[uuid.UUID, str],
    folder: Path,
) -> list:
    """One of every dialog the app opens (not shown), over ``ctx``'s data: a self-review and
    an improvement project are added for the dialogs that need one."""
    from coordinator_app.core import accreditation, minutes, projects, standards
    from coordinator_app.core.projects import ProjectInput
    from coordinator_app.core.vocab import AssessmentKind
    from coordinator_app.ui import preview
    from coordinator_app.ui.dialogs import (
        action_editor,
        assessment_dialogs,
        audit_viewer,
        backup_dialogs,
        database_settings,
        email_owners,
        import_wizard,
        meeting_dialogs,
        organisation_dialog,
        participant_dialog,
        print_dialog,
        priorities_dialog,
        privacy_dialogs,
        project_dialog,
        welcome,
    )

    with ctx.db.transaction() as session:
        framework_id = standards.load_default_framework(session)
    assessment_id = accreditation.start_assessment(
        ctx.db,
        locality_id=locality_id,
        framework_id=framework_id,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=date(2025, 3, 18),
        assessors=["Zoë Smith"],
    )
    with ctx.db.session() as session:
        check_id = accreditation.assessment_checks(session, assessment_id)[0].id
    project_id = projects.create_project(
        ctx.db, ProjectInput(locality_id=locality_id, title="Waiting well")
    )
    person_id, person_name = participant
    from coordinator_app.core.models import Meeting
    from coordinator_app.ui.dialogs import papers_dialog

    with ctx.db.session() as session:
        forum_id = session.get(Meeting, meeting_id).forum_id
    return [
        participant_dialog.ParticipantDialog(ctx),
        participant_dialog.ParticipantDialog(ctx, participant_id=person_id),
        meeting_dialogs.NewMeetingDialog(ctx),
        meeting_dialogs.ExperienceDialog(ctx, meeting_id),
        meeting_dialogs.ActionDialog(ctx, locality_id=locality_id, meeting_id=meeting_id),
        meeting_dialogs.PaymentDialog(ctx, meeting_id, [(person_id, person_name)]),
        action_editor.ActionEditor(ctx, locality_id=locality_id),
        assessment_dialogs.NewAssessmentDialog(ctx),
        assessment_dialogs.AssessmentActionDialog(ctx, check_id),
        project_dialog.ProjectDialog(ctx),
        project_dialog.ProjectDialog(ctx, project_id=project_id),
        organisation_dialog.OrganisationDialog(ctx),
        priorities_dialog.PrioritiesDialog(ctx),
        backup_dialogs.BackupsFolderDialog(ctx),
        backup_dialogs.RestoreDialog(ctx.db),
        database_settings.DatabaseSettingsDialog(folder=folder),
        welcome.WelcomeDialog(ctx),
        print_dialog.PrintChooser(ctx, meeting_id),
        import_wizard.ImportWizard(ctx),
        email_owners.EmailOwnersDialog(ctx),
        privacy_dialogs.BulkAnonymiseDialog(ctx),
        audit_viewer.AuditViewer(ctx.db),
        preview.PreviewDialog(minutes.minutes_document(ctx.db, meeting_id), "Minutes"),
        papers_dialog.SendPapersDialog(ctx, meeting_id),
        papers_dialog.ForumMembersDialog(ctx, forum_id),
    ]


@pytest.fixture
def every_dialog():
    """``every_dialog(ctx, locality_id=, meeting_id=, participant=(id, name), folder=)``: one
    of every dialog the app opens, built but not shown (``tests/ui/test_mnemonics.py``)."""
    return _every_dialog


# --- the small demo data, and the app's look ----------------------------------------------------


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo data (seed 1, ending on ``TODAY``), generated once per run."""
    from coordinator_app.core.db import open_database
    from coordinator_app.core.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    try:
        generate_demo(database, size="small", seed=1, today=TODAY)
    finally:
        database.dispose()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, _demo_template: Path):
    """A copy of the small demo data for the test (SQLite)."""
    from coordinator_app.core.db import copy_sqlite_file, open_database

    database = open_database(copy_sqlite_file(_demo_template, tmp_path / "demo.db"))
    yield database
    database.dispose()


@pytest.fixture
def demo_ctx(demo_db: Database):
    from coordinator_app.ui.context import AppContext

    return AppContext(db=demo_db, today_override=TODAY)


@pytest.fixture
def app_look(qapp):
    """The app's own style, as at start-up; the test run's own look after."""
    from PySide6.QtGui import QPalette

    from coordinator_app.ui.app import apply_look

    style, palette = qapp.style().name(), QPalette(qapp.palette())
    apply_look(qapp)
    try:
        yield
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)


@pytest.fixture
def dark_colours() -> dict:
    """The colours a laptop in dark mode gives the app, by palette role."""
    from PySide6.QtGui import QPalette

    role = QPalette.ColorRole
    return {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.Text: "#e6e6e6",
        role.Button: "#353535",
        role.ButtonText: "#e6e6e6",
        role.Highlight: "#2a82da",
        role.HighlightedText: "#ffffff",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#9a9a9a",
        role.Light: "#505050",
        role.Midlight: "#404040",
        role.Mid: "#505050",
        role.Dark: "#202020",
        role.Shadow: "#000000",
        role.Link: "#6ab0ff",
    }
