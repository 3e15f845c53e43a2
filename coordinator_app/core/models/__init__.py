"""The typed ORM for the whole glossary of docs/glossary.md."""

from __future__ import annotations

from .access import AccessLocality, AccessLogin
from .accreditation import Assessment, EvidenceFile, Standard, StandardCheck, StandardsFramework
from .audit import AuditEntry
from .base import Base, utcnow
from .board import BoardHighlight, BoardTarget, KeptReturnRow
from .drafts import Draft
from .meetings import (
    AgendaItem,
    Attendance,
    InvolvementPayment,
    Meeting,
    Poll,
    PollAnswer,
    UnnamedAttendance,
)
from .monitoring import (
    MonitoringAnswer,
    MonitoringCharacteristic,
    MonitoringGroup,
    MonitoringPresence,
    MonitoringRecord,
    PopulationShare,
)
from .organisation import Forum, Locality, StrategicPriority, TrustSettings
from .papers import ForumMember, PapersRecipient, PapersSent, StaffMember
from .payments import (
    ActivityParticipant,
    InvolvementActivity,
    PaymentExpense,
    PaymentRate,
    PaymentReceipt,
)
from .people import Erasure, Participant
from .work import (
    Action,
    ActionUpdate,
    ExperienceItem,
    ImprovementProject,
    ProjectLink,
    ProjectParticipant,
)

__all__ = [
    "AccessLocality",
    "AccessLogin",
    "Action",
    "ActionUpdate",
    "ActivityParticipant",
    "AgendaItem",
    "Assessment",
    "Attendance",
    "AuditEntry",
    "Base",
    "BoardHighlight",
    "BoardTarget",
    "Draft",
    "Erasure",
    "EvidenceFile",
    "ExperienceItem",
    "Forum",
    "ForumMember",
    "ImprovementProject",
    "InvolvementActivity",
    "InvolvementPayment",
    "KeptReturnRow",
    "Locality",
    "Meeting",
    "MonitoringAnswer",
    "MonitoringCharacteristic",
    "MonitoringGroup",
    "MonitoringPresence",
    "MonitoringRecord",
    "PapersRecipient",
    "PapersSent",
    "Participant",
    "PaymentExpense",
    "PaymentRate",
    "PaymentReceipt",
    "Poll",
    "PollAnswer",
    "PopulationShare",
    "ProjectLink",
    "ProjectParticipant",
    "StaffMember",
    "Standard",
    "StandardCheck",
    "StandardsFramework",
    "StrategicPriority",
    "TrustSettings",
    "UnnamedAttendance",
    "utcnow",
]
