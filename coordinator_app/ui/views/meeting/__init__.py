"""The meeting editor, one module per tab over a small shell (``editor.MeetingEditor``: the
header, the tabs, the save state, the meeting's version, conflicts and drafts); ``base`` says
what a tab may use of the shell.

Saving model (one, everywhere in this editor):
- What you type into the editor's own fields is saved when you leave the field (Tab, Enter,
  a click elsewhere) or choose from a list; each save is one write, validated first. A problem
  is shown at the field (red border and a sentence under it) and nothing of that save is
  written; the text stays as typed until put right. ``commit_pending()`` saves whatever is still
  being typed; the page calls it before leaving a meeting and when hidden (the window closing).
- The register saves each mark at once (Enter on a name, a status key, a button).
- Records added to a meeting (a new person, an experience item, an action, a payment) are made
  in a small dialog, saved by its Save button.
- A quick poll is typed as a question and lines "answer = count" and saved by its own button
  (or Ctrl+Return, or ``commit_pending``); a problem shows at the field and nothing is saved.
- "Start improvement project…" beside an experience item or an action opens the project dialog
  pre-filled; the project is saved linked to the item (one transaction).
- Deleting anything asks first (``widgets.confirm``, patched in tests).

Every write is one operation (``ui/operations/meetings.py``, drafts ``ui/operations/drafts.py``)
run on the one background thread: the tab asks and handles the endings it shows its own way (a
broken rule at the field, a conflict asked, a sentence) in the operation's callbacks. Most
writes ``wait()`` (the window repaints, the user's keys are held back and delivered after, in
order): what comes next needs the new version or the new id. Removing a payment or an
experience item only ``run()``s: nothing waits for it. The operation announces the change once
(``meetingsChanged``); the page reloads the editor's lists from core on it (never the fields
being typed in).

Nothing typed is lost: when the typing pauses (``IDLE_MS``, one single-shot timer restarted by
every keystroke, ``save_typing``), the details, the agenda item, the new item's title and the
quick poll being typed are saved exactly as leaving the field would save them, through the same
save functions: the record itself is the draft. What cannot be saved yet is kept in the drafts
table instead (``drafts.DraftBook``) and dropped once saved or thrown away on purpose. Pitfalls:
the idle save never asks anything and never shows a problem at the field mid-typing (the status
line says it is kept as a draft); leaving the field then shows the problem, or asks about the
conflict. It never rewrites a field being typed in. It may fire inside a save's wait: it then
tries again after another pause (``operations.waiting()``), as a save made then would carry the
version the one under way is about to change.

Two instances on one database: the editor keeps the meeting's version as loaded (``load``) and
as returned by its own saves, never from ``reload_parts`` (whose lists may show someone else's
change while the fields still hold what was loaded before it). Details, agenda and register
saves pass it; when someone else changed the meeting first, the core refuses
(``ConflictError``) and the editor asks (``widgets.ask_conflict``): Reload shows the saved
meeting (what was typed here is dropped), Keep editing leaves the typing on screen, unsaved.
"""
