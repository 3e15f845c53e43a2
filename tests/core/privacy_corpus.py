"""The privacy corpus: ways people really write a service user's name and contact details
(issue "Private by construction": the 19 forms found, and more), and the check that none of it
is left in what leaves the app (``leaks``).

The people: Bob Smith, a service user known as "Bobby", bob.smith@example.net, 07700 900456;
Zoë O'Neill, a carer. Every text below names one of them (or gives a phone number that is on
no one's record); what leaves must hold none of ``FORBIDDEN`` in any case, accent or spacing.
"""

from __future__ import annotations

import re
import unicodedata

BOB = "Bob Smith"
BOB_AKA = "Bobby"
BOB_EMAIL = "bob.smith@example.net"
BOB_PHONE = "07700 900456"
ZOE = "Zoë O'Neill"

#: (form, text): each text is one piece of free text a coordinator typed.
CORPUS: tuple[tuple[str, str], ...] = (
    ("full name", "Bob Smith said the crisis line never answered."),
    ("lower case", "bob smith rang twice."),
    ("upper case", "BOB SMITH wants a call back."),
    ("possessive", "Bob Smith's care plan was lost."),
    ("possessive, curly apostrophe", "Bob Smith’s key worker left."),
    ("possessive without apostrophe", "Bob Smiths care plan was late."),
    ("split over a line", "Thanks to Bob\nSmith for the poster."),
    ("missing accents", "Zoe O'Neill asked about parking."),
    ("curly apostrophe", "Zoë O’Neill chaired the break-out."),
    ("first name alone", "Bob said the crisis line never answered."),
    ("surname alone", "Smith was upset about the wait."),
    ("title and surname", "Mr Smith felt unheard."),
    ("title with a full stop", "Dr. Smith came along."),
    ("initial and surname", "B. Smith raised the leaflet."),
    ("surname, first name", "Smith, Bob: transport."),
    ("also known as", "Bobby Smith brought biscuits."),
    ("hashtag", "Shared as #BobSmith on the group."),
    ("hyphen", "Call-back for Bob-Smith."),
    ("underscore", "Signed in as bob_smith."),
    ("invisible character inside", "Bo\u200bb Smith left early."),
    ("soft hyphen inside", "Sm\u00adith left early."),
    ("e-mail address", "Write to bob.smith@example.net about it."),
    ("e-mail address in capitals", "Write to BOB.SMITH@EXAMPLE.NET."),
    ("phone number", "Call him on 07700 900456 after 5."),
    ("phone number, +44", "Or +44 7700 900456 at the weekend."),
    ("phone number, no spaces", "Mobile 07700900456."),
    ("phone number on no one's record", "His sister is on 0121 496 0999."),
    ("initial after the name", "Bob S. asked again."),
    ("surname, initial", "SMITH, B. noted."),
    ("run together in capitals", "See BOBSMITH on the list."),
)

#: What must never be left, as folded fragments (lower case, no accents).
FORBIDDEN = (
    "bob",
    "smith",
    "zoe",
    "o'neill",
    "oneill",
    "example.net",
    "07700",
    "7700 900456",
    "900456",
    "0121 496",
)

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")


def folded(text: str) -> str:
    """``text`` as the leak check reads it: invisible characters gone, accents gone, lower
    case, curly apostrophes straight, every run of spaces one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").casefold()
    return " ".join(text.split())


def leaks(text: str) -> list[str]:
    """The forbidden fragments found in ``text`` (none: nothing leaked)."""
    plain = folded(text)
    return [f for f in FORBIDDEN if f in plain]


def corpus_text() -> str:
    """Every text of the corpus, one paragraph each."""
    return "\n\n".join(text for _form, text in CORPUS)
