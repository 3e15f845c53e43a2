"""Realistic generated demo data: a fictional trust, its localities, forums, people and years of
meetings, experience, actions, payments, polls, improvement projects and accreditation.

``generate_demo`` fills an EMPTY database (or, with ``force=True``, first deletes everything in
it) inside ONE transaction, so the database ends up either untouched or holding the whole demo:
demo rows are never mixed with real records.

Determinism: every choice comes from one ``random.Random(seed)``, so a given (size, seed, today)
gives the same names, dates, counts and texts on every run; only the UUIDs and the created/updated
timestamps differ. The pitfall when changing this package: never iterate over a ``set`` (string
hashing is randomised per process), never let UUIDs decide an order, and never reorder calls
between the modules below without meaning to change the whole demo.

Speed: rows are built as plain dicts and written with a bulk INSERT of each model's table
(``session.execute(insert(Model.__table__), rows)``, one executemany per table) a year at a time;
``id``, ``created_at``, ``updated_at`` and ``row_version`` are supplied here, not left to per-row
defaults. Meeting references (``CODE-YYMM``, ``CODE-YYMM-2`` ... per locality and month, in date
order) and action references (``CODE-A<n>``, in order raised) follow ``references.py`` but are
numbered in memory; ``Locality.action_counter`` ends equal to the highest action number used.

Modules: ``generate`` (the entry point and the order of phases), ``state`` (the generator's
state, ``add`` and ``write``), ``content`` (the made-up texts of ``resources/demo/texts.json``),
``places`` (settings, localities, forums, the standards framework), ``people``, ``meetings`` (a
month of a locality: meetings, attendance, payments, polls, agendas), ``actions`` (experience
items and actions), ``accreditation`` (assessments) and ``projects`` (improvement projects).
"""

from __future__ import annotations

# The benchmarks' redactor borrows the demo's first names (re-exported, not in __all__).
from .content import _FIRST_NAMES as _FIRST_NAMES
from .generate import NOT_EMPTY_MESSAGE, SIZES, DemoSummary, generate_demo

__all__ = ["NOT_EMPTY_MESSAGE", "SIZES", "DemoSummary", "generate_demo"]
