"""The printable equality monitoring form (issue #27; docs/printouts.md), standard or large print.

A blank form, the same for everyone: no name is printed on it (it is handed out and filled in by
the person, then typed in on the quick entry screen). Consent comes first, as on the screen:
the person ticks that they agree, and signs and dates it. Then one section per characteristic
of the trust's lists, each group with a box to tick, "Prefer not to say" among them; "Not
asked" is the coordinator's, never printed. Built as the printouts' ``Document`` so the one
typesetter (``core/typeset.py``) prints it, previews it and saves it as a tagged PDF.
"""

from __future__ import annotations

from . import monitoring
from .db import Database
from .document import Block, Document, Group, Heading, ItemList, Paragraph, Signature, spans
from .minutes import BOX, masthead

TITLE = "Equality monitoring form"


def monitoring_form_document(db: Database, *, large_print: bool = False) -> Document:
    head = masthead(db)
    who = head.trust_name or "The trust"
    blocks: list[Block] = [
        Heading(1, TITLE),
        Paragraph(
            spans(
                f"{who} wants to know whether the people it hears from reflect the community it "
                "serves. Answering is your choice: you can leave any question blank or tick "
                "'Prefer not to say'. Your answers are kept apart from your other details, are "
                "never shown in minutes or lists, and are only ever counted together with "
                "other people's, with small numbers hidden. You can ask to see them or to have "
                "them removed at any time."
            )
        ),
        Group(
            (
                Heading(2, "Your consent"),
                ItemList(
                    (
                        spans(
                            f"{BOX} I agree that {who} may record my answers below for equality "
                            "monitoring."
                        ),
                    ),
                    numbered=False,
                ),
                Signature(("Name", "Signature", "Date")),
            )
        ),
    ]
    for characteristic in monitoring.read_characteristics(db):
        groups = [g for g in characteristic.groups if g.name != monitoring.NOT_ASKED]
        blocks.append(
            Group(
                (
                    Heading(2, characteristic.name),
                    ItemList(tuple(spans(f"{BOX} {g.name}") for g in groups), numbered=False),
                ),
            )
        )
    blocks.append(
        Paragraph(
            spans("Please hand this form back to the involvement coordinator. Thank you."),
            small=True,
        )
    )
    return Document(
        title=TITLE,
        blocks=tuple(blocks),
        trust_name=head.trust_name,
        logo_png=head.logo_png,
        large_print=large_print,
    )
