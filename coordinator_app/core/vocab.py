"""The fixed vocabularies of the glossary (docs/glossary.md).

Each value is what the database stores and what the import workbook accepts (case-insensitively,
spaces or hyphens for underscores); ``label`` is what screens and printouts show.
"""

from __future__ import annotations

import enum


class Vocabulary(enum.StrEnum):
    """A fixed list of words with a human label and a forgiving parser."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Vocabulary:
        """Return the member named by ``text`` (any case, spaces, hyphens or slashes for ``_``).

        Raises ``ValueError`` naming the allowed words when nothing matches.
        """
        key = " ".join(str(text).strip().lower().replace("-", " ").replace("_", " ").split())
        for member in cls:
            if key in {member.value.replace("_", " "), member.label.lower()}:
                return member
        allowed = ", ".join(m.label.lower() for m in cls)
        raise ValueError(f"'{text}' is not one of: {allowed}")


class Category(Vocabulary):
    SERVICE_USER = "service_user"
    CARER = "carer"
    REPRESENTATIVE = "representative"
    STAFF = "staff"
    PARTNER = "partner"
    OTHER = "other"


class ForumKind(Vocabulary):
    LOCALITY_FORUM = "locality_forum"
    CARERS_FORUM = "carers_forum"
    SERVICE_USER_GROUP = "service_user_group"
    CO_PRODUCTION_GROUP = "co_production_group"
    EVENT = "event"
    OTHER = "other"


class MeetingFormat(Vocabulary):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class MeetingStatus(Vocabulary):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceStatus(Vocabulary):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class PaymentStatus(Vocabulary):
    OFFERED = "offered"
    DECLINED = "declined"
    PAID = "paid"


class ActivityKind(Vocabulary):
    """What an involvement activity is (docs/glossary.md). ``MEETING`` names a meeting's
    payments (their rate); an activity recorded as such is one of the others."""

    MEETING = "meeting"
    PROJECT_WORK = "project_work"
    INTERVIEW_PANEL = "interview_panel"
    TRAINING = "training"
    CONSULTATION = "consultation"
    REVIEW_OR_VISIT = "review_or_visit"
    OTHER = "other"


class RateUnit(Vocabulary):
    """What a payment rate is per, and what an activity's length is counted in."""

    HOUR = "hour"
    HALF_DAY = "half_day"
    DAY = "day"
    SESSION = "session"


class PaymentMethod(Vocabulary):
    MONEY = "money"
    VOUCHERS = "vouchers"


class ExpenseKind(Vocabulary):
    TRAVEL = "travel"
    CARE_COVER = "care_cover"
    SUBSISTENCE = "subsistence"
    OTHER = "other"


class ThresholdPeriod(Vocabulary):
    """The period the trust's payment threshold is over (a benefit's earnings limit)."""

    WEEK = "week"
    MONTH = "month"
    TAX_YEAR = "tax_year"


class AccessibleFormat(Vocabulary):
    STANDARD = "standard"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"


class PapersKind(Vocabulary):
    """What a sending of papers to a forum's members was (``core/papers.py``)."""

    AGENDA = "agenda"
    MINUTES = "minutes"
    YOU_SAID_WE_DID = "you_said_we_did"
    #: The calendar invitation again, after the meeting moved (``core/invitation_updates.py``).
    INVITATION_UPDATE = "invitation_update"
    #: The cancellation of a meeting whose invitation went out.
    CANCELLATION = "cancellation"


class ExperienceKind(Vocabulary):
    COMPLIMENT = "compliment"
    CONCERN = "concern"
    SUGGESTION = "suggestion"
    QUESTION = "question"
    IDEA = "idea"


class ActionLevel(Vocabulary):
    INDIVIDUAL = "individual"
    TEAM_WARD = "team_ward"
    LOCALITY = "locality"
    STRATEGIC = "strategic"


class ActionStatus(Vocabulary):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES


CLOSED_STATUSES = frozenset({ActionStatus.COMPLETED, ActionStatus.CANCELLED})


class AssessmentKind(Vocabulary):
    SELF_REVIEW = "self_review"
    PEER_REVIEW = "peer_review"


class AssessmentStatus(Vocabulary):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Rating(Vocabulary):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_YET_RATED = "not_yet_rated"


class ProjectStatus(Vocabulary):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"


class ProjectRole(Vocabulary):
    CO_PRODUCER = "co_producer"
    ADVISER = "adviser"
    REVIEWER = "reviewer"


class AccessRole(Vocabulary):
    """What a login may do on a trust server (``core/access.py``)."""

    COORDINATOR = "coordinator"
    ENGAGEMENT_GROUP = "engagement_group"
    ADMINISTRATOR = "administrator"


class AuditOperation(Vocabulary):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SUBMIT = "submit"
    REOPEN = "reopen"
    IMPORT = "import"
    RESTORE = "restore"
    ANONYMISE = "anonymise"


_LABELS: dict[Vocabulary, str] = {
    PapersKind.YOU_SAID_WE_DID: "You said, we did",
    Category.SERVICE_USER: "Service user",
    Category.CARER: "Carer",
    Category.REPRESENTATIVE: "Representative",
    Category.STAFF: "Staff",
    Category.PARTNER: "Partner organisation",
    Category.OTHER: "Other",
    ForumKind.LOCALITY_FORUM: "Locality forum",
    ForumKind.CARERS_FORUM: "Carers forum",
    ForumKind.SERVICE_USER_GROUP: "Service-user group",
    ForumKind.CO_PRODUCTION_GROUP: "Co-production group",
    ForumKind.EVENT: "Event",
    MeetingFormat.IN_PERSON: "In person",
    ActionLevel.TEAM_WARD: "Team/ward",
    AssessmentKind.SELF_REVIEW: "Self-review",
    AssessmentKind.PEER_REVIEW: "Peer review",
    AccessibleFormat.LARGE_PRINT: "Large print",
    ActivityKind.PROJECT_WORK: "Improvement project work",
    ActivityKind.REVIEW_OR_VISIT: "Review or visit",
    ThresholdPeriod.TAX_YEAR: "Tax year",
    AccessibleFormat.EASY_READ: "Easy read",
    ProjectRole.CO_PRODUCER: "Co-producer",
}

#: Category words used in the return's Summary rows and in brackets in place of a hidden name.
CATEGORY_PLURALS: dict[Category, str] = {
    Category.SERVICE_USER: "service users",
    Category.CARER: "carers",
    Category.REPRESENTATIVE: "representatives",
    Category.STAFF: "staff",
    Category.PARTNER: "partner organisations",
    Category.OTHER: "other",
}

#: Categories whose names never leave the app in a return and appear in minutes only with consent.
PROTECTED_CATEGORIES = frozenset({Category.SERVICE_USER, Category.CARER})

#: The most one payment, expense or payment rate may be, in pence (£100,000.00). Anything larger
#: is a typing slip, and SQLite's whole numbers end at 2**63 (a crash, not a sentence, beyond).
MAX_PENCE = 100_000_00
MAX_POUNDS_TEXT = "£100,000.00"
