"""The one redactor (``core/privacy.py``): every form of a name people write, every e-mail
address and phone number pattern, nothing else; and what the privacy review flags."""

from __future__ import annotations

import pytest
from privacy_corpus import BOB, BOB_AKA, BOB_EMAIL, BOB_PHONE, CORPUS, ZOE, leaks

from coordinator_app.core import people
from coordinator_app.core.db import Database
from coordinator_app.core.privacy import (
    CONTACT_PLACEHOLDER,
    Piece,
    Redactor,
    fold,
    looks_like_names,
    looks_like_phone,
    name_words,
    person_matcher,
    protected_people,
    redactor_for,
)
from coordinator_app.core.vocab import Category

SU, CARER = "[service user]", "[carer]"


def _redactor() -> Redactor:
    return Redactor([(BOB, BOB_AKA, SU), (ZOE, "", CARER)])


@pytest.mark.parametrize(("form", "text"), CORPUS, ids=[form for form, _ in CORPUS])
def test_every_form_of_the_corpus_is_hidden(form: str, text: str) -> None:
    out = _redactor()(text)
    assert leaks(out) == [], f"{form}: {out!r}"
    assert out != text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bob Smith said so.", f"{SU} said so."),
        ("Smith, Bob: transport", f"{SU}: transport"),
        ("Mr Smith and Mrs. Smith", f"{SU} and {SU}"),
        ("B. Smith and B Smith", f"{SU} and {SU}"),
        ("Bob Smith's idea", f"{SU}'s idea"),
        ("Bob Smith’s idea", f"{SU}’s idea"),
        ("#BobSmith", f"#{SU}"),
        ("bob_smith and Bob-Smith", f"{SU} and {SU}"),
        ("Zoë  O'Neill\nand Bob", f"{CARER}\nand {SU}"),
        ("zoe o’neill rang", f"{CARER} rang"),
        ("Zoe\u0308 O'Neill came", f"{CARER} came"),
        ("Siân came", "Siân came"),
        ("", ""),
    ],
)
def test_names_become_one_placeholder_with_the_text_around_kept(text: str, expected: str) -> None:
    assert _redactor()(text) == expected


def test_particles_titles_and_initials_go_with_the_name_only() -> None:
    hide = Redactor([("Ludwig van der Berg", "", CARER), ("Mary J. Smith", "", SU)])
    assert hide("Ludwig van der Berg's idea") == f"{CARER}'s idea"
    assert hide("Fix heating for Mary J. Smith") == f"Fix heating for {SU}"
    assert hide("the van will come; Dr Who said J. is fine") == (
        "the van will come; Dr Who said J. is fine"
    )
    # Titles, particles and initials are never names on their own.
    assert name_words("Dr Mary J. van der Berg") == ["mary", "berg"]


def test_a_first_name_that_is_an_ordinary_word_is_still_hidden_in_any_case() -> None:
    hide = Redactor([("Will Hope", "", SU)])
    assert hide("Will said it will get better; we hope so.") == (
        f"{SU} said it {SU} get better; we {SU} so."
    )


def test_careful_anonymising_keeps_ordinary_words_written_in_lower_case() -> None:
    scrub = person_matcher("Will Ward", careful=True)
    assert scrub("Will said the ward will reopen.") == f"{SU} said the ward will reopen."
    assert scrub("will ward came") == "will ward came"  # as ordinary as "the ward will"
    assert person_matcher("Will Patel", careful=True)("will patel came") == f"{SU} came"
    assert scrub("Ward was there") == f"{SU} was there"
    assert person_matcher("Bob Smith", careful=True)("bob said") == f"{SU} said"


def test_the_trusts_own_words_stay_where_a_person_shares_them() -> None:
    """A group of the trust's monitoring lists (``Piece.vocabulary``) keeps "White" and "Black"
    although service users are called Michael White and Joan Black; a word of a name that is
    not an ordinary word, or an ordinary one beside it, is hidden there as everywhere."""
    hide = Redactor([("Michael White", "", SU), ("Joan Black", "", SU)])
    group = Piece("monitoring_groups", "name", None, "Lists", "Group", vocabulary=True)
    text = "Mixed or Multiple ethnic groups: White and Black Caribbean"
    assert hide(text, group) == text
    assert hide.hidden(text, vocabulary=True) == []
    assert hide(text) == f"Mixed or Multiple ethnic groups: {SU} and {SU} Caribbean"
    assert hide("Friends of Michael White", group) == f"Friends of {SU}"
    assert hide("Michael's group", group) == f"{SU}'s group"


def test_hidden_names_the_span_and_kind_of_each() -> None:
    text = "Bob rang 07700 900456 from bob@x.org"
    found = _redactor().hidden(text)
    assert [(text[h.start : h.end], h.kind) for h in found] == [
        ("Bob", "name"),
        ("07700 900456", "phone"),
        ("bob@x.org", "email"),
    ]


def test_every_email_and_phone_pattern_is_hidden_whoever_it_is() -> None:
    hide = Redactor()
    text = (
        "Write to Mary.Smith@example.org, ring 07700 900123, +44 (0)7700 900123, "
        "(01632) 960000, 0121-496-0000, 0044 7700 900123, 01632.960.000 or 485 777 3456."
    )
    out = hide(text)
    assert out.count(CONTACT_PLACEHOLDER) == 8, out
    assert "@" not in out and not any(ch.isdigit() for ch in out)


@pytest.mark.parametrize(
    "text",
    [
        "At 14:00 on 12/03/2026 we met 40 people",
        "Meeting 14:00\u201316:00 on 2026-11-02",
        "Paid £25.50 and £1,250.00; ref RUG-2610, RUG-A12",
        "From 2019 2020 2021 to 12.03.2026",
        "Scores 3 4 5 and 10 20 30 40 50 60",
        "Room 101, 30 people, 7 actions",
    ],
)
def test_dates_times_amounts_years_and_references_stay(text: str) -> None:
    assert Redactor()(text) == text


def test_two_numbers_side_by_side_are_two_numbers() -> None:
    out = Redactor()("07700900456 07700900457")
    assert out == f"{CONTACT_PLACEHOLDER} {CONTACT_PLACEHOLDER}"
    assert looks_like_phone("+44 7700 900456", 3)
    assert not looks_like_phone("12.03.2026")


def test_a_person_matcher_finds_only_their_own_contacts() -> None:
    match = person_matcher(BOB, BOB_AKA, (BOB_EMAIL, BOB_PHONE))
    assert match("mail BOB.SMITH@example.NET or 07700900456") == (
        f"mail {CONTACT_PLACEHOLDER} or {CONTACT_PLACEHOLDER}"
    )
    assert match("mail ann@example.net or 07700 900999") == "mail ann@example.net or 07700 900999"


def test_protected_people_are_service_users_and_carers_not_anonymised(db: Database) -> None:
    def add(name: str, category: Category, **extra: object) -> None:
        people.create_participant(db, people.ParticipantInput(name, category, **extra))

    add("Zoë O'Neill", Category.SERVICE_USER, also_known_as="Zo Zo")
    add("Siân  Jones", Category.CARER, name_in_minutes=True)
    add("Priya Patel", Category.STAFF)
    add("Alex Rowe", Category.REPRESENTATIVE)
    with db.reading() as conn:
        found = sorted(protected_people(conn))
        in_minutes = sorted(protected_people(conn, for_minutes=True))
        hide = redactor_for(conn)
    assert found == [("Siân Jones", "", CARER), ("Zoë O'Neill", "Zo Zo", SU)]
    assert in_minutes == [("Zoë O'Neill", "Zo Zo", SU)]
    assert hide("Zo, Jones, Priya and Alex") == f"{SU}, {CARER}, Priya and Alex"


def test_a_service_users_placeholder_wins_over_a_carers() -> None:
    hide = Redactor([("Sam Lee", "", CARER), ("Sam Lee", "", SU)])
    assert hide("Sam Lee") == SU


def test_the_cost_of_a_text_does_not_depend_on_how_many_people() -> None:
    """Not a timing: the redactor holds one word each (a dictionary), however many people
    share it, so reading a text looks up each of its words once."""
    many = Redactor([(f"Person{i} Surname{i % 97}", "", SU) for i in range(5000)])
    assert len(many.words) == 5000 + 97
    text = "We heard from Person4999 Surname49 and zoe about the ward. " * 5
    assert many(text).count(SU) == 5


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mary  SMITH", "mary smith"),
        ("O`Neill", "o'neill"),
        ("A\x01nn\x7fe", "anne"),
        ("\tJo\nBloggs ", "jo bloggs"),
        ("Zoë Ó Briain", "zoe o briain"),
        ("Mary–Jane O’Brien", "mary-jane o'brien"),
        ("Anne\u00adMarie", "annemarie"),
        ("Bo\u200bb\u200e", "bob"),
    ],
)
def test_fold_reads_names_the_same_on_both_paths(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_looks_like_names_flags_what_the_redactor_cannot_know() -> None:
    text = "Mr Patel said Jenny would ring; she told Priya. St Anne's and Florence Ward are fine."
    flags = [(text[f.start : f.end], f.reason) for f in looks_like_names(text)]
    assert flags == [
        ("Patel", 'a capitalised word after "Mr"'),
        ("Jenny", 'a capitalised word after "said"'),
        ("Priya", 'a capitalised word after "told"'),
    ]
    assert looks_like_names("[service user] said the ward will reopen; I said We can.") == []
    assert [f.reason for f in looks_like_names("Sarah rang")] == ["a first name"]
