"""A participant's postal address kept with the rest of their record (issue #29): one save, one
rule with ``members.set_postal_address``, consent to contact governing it."""

from __future__ import annotations

import pytest

from coordinator_app.core import members, people
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.vocab import Category


def test_the_postal_address_is_saved_with_the_record_and_goes_with_consent(db: Database) -> None:
    data = ParticipantInput(
        name="Dev Dale",
        category=Category.SERVICE_USER,
        consent_to_contact=True,
        postal_address=" 1 High  Street \n\nRugby ",
    )
    dev = people.create_participant(db, data)
    row = people.get_participant(db, dev)
    assert row.postal_address == "1 High Street\nRugby"
    # A save that does not give the address leaves it (other doors: the import, older forms).
    people.update_participant(
        db,
        dev,
        ParticipantInput(name="Dev Dale", category=Category.SERVICE_USER, consent_to_contact=True),
    )
    assert people.get_participant(db, dev).postal_address == "1 High Street\nRugby"
    # Consent withdrawn: the address goes with it.
    people.update_participant(db, dev, ParticipantInput(name="Dev Dale", category=Category.CARER))
    assert people.get_participant(db, dev).postal_address == ""


def test_an_address_without_consent_or_too_long_is_refused_changing_nothing(db: Database) -> None:
    dev = people.create_participant(
        db, ParticipantInput(name="Dev Dale", category=Category.SERVICE_USER)
    )
    version = people.get_participant(db, dev).version
    for consent, address, words in (
        (False, "1 High Street", "consented to be contacted"),
        (True, "x" * (members.POSTAL_ADDRESS_MAX + 1), "at most"),
    ):
        with pytest.raises(ValidationError) as caught:
            people.update_participant(
                db,
                dev,
                ParticipantInput(
                    name="Dev Dale",
                    category=Category.SERVICE_USER,
                    consent_to_contact=consent,
                    postal_address=address,
                ),
            )
        assert words in caught.value.problems["postal_address"]
    row = people.get_participant(db, dev)
    assert (row.version, row.postal_address, row.consent_to_contact) == (version, "", False)
