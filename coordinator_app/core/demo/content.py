"""The demo's made-up content: the fictional trust and its coordinator, and the texts of
``resources/demo/texts.json`` (localities, names, organisations, what is heard at forums, the
actions agreed, agenda topics, polls, projects, evidence) as tuples, with ``_fill`` putting a
locality's service, ward, name and coordinator into a text's placeholders.

Loaded once, at import. Nothing here draws a random number.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..resources import resource_path
from ..vocab import ActionLevel, ExperienceKind

if TYPE_CHECKING:
    from .state import _Place

TRUST_NAME = "Arden Valley Partnership NHS Foundation Trust"
COORDINATOR_NAME = "Siân O'Neill"
DEFAULT_PAYMENT_PENCE = 2000


def _load_texts() -> dict[str, Any]:
    """The made-up text of the demo (``resources/demo/texts.json``), lists made tuples and the
    fixed-list words made the app's own (an action level, an experience kind)."""

    def frozen(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(frozen(v) for v in value)
        if isinstance(value, dict):
            return {k: frozen(v) for k, v in value.items()}
        return value

    raw = json.loads(resource_path("demo", "texts.json").read_text(encoding="utf-8"))
    return {key: frozen(value) for key, value in raw.items()}


_TEXTS = _load_texts()
#: name, coordinator, venues, wards
_LOCALITIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = _TEXTS["localities"]
_SERVICES: tuple[str, ...] = _TEXTS["services"]
_FIRST_NAMES: tuple[str, ...] = _TEXTS["first_names"]
_SURNAMES: tuple[str, ...] = _TEXTS["surnames"]
_REP_ORGANISATIONS: tuple[str, ...] = _TEXTS["rep_organisations"]
_PARTNER_ORGANISATIONS: tuple[str, ...] = _TEXTS["partner_organisations"]
_STAFF_ROLES: tuple[str, ...] = _TEXTS["staff_roles"]
_OTHER_ROLES: tuple[str, ...] = _TEXTS["other_roles"]
#: who owns an action, by its level ({service}, {ward}, {locality}, {coordinator} filled in)
_OWNERS: dict[ActionLevel, tuple[str, ...]] = {
    ActionLevel(level): owners for level, owners in _TEXTS["owners"].items()
}
#: theme -> (kind, summary, response) heard at forums; {service}/{ward}/{locality} filled in.
_EXPERIENCE: dict[str, tuple[tuple[ExperienceKind, str, str], ...]] = {
    theme: tuple((ExperienceKind(kind), summary, response) for kind, summary, response in items)
    for theme, items in _TEXTS["experience"].items()
}
THEMES = tuple(_EXPERIENCE)
#: theme -> (title, detail, outcome) of actions agreed.
_ACTIONS: dict[str, tuple[tuple[str, str, str], ...]] = _TEXTS["actions"]
_ACTION_CHOICES = tuple((theme, template) for theme in THEMES for template in _ACTIONS[theme])
_CANCEL_REASONS: tuple[str, ...] = _TEXTS["cancel_reasons"]
_UPDATE_NOTES: tuple[str, ...] = _TEXTS["update_notes"]
#: forum kind -> agenda items (title, discussion, decisions)
_TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = _TEXTS["topics"]
_AOB: tuple[str, ...] = _TEXTS["aob"]
_POLLS: tuple[tuple[str, tuple[str, ...]], ...] = _TEXTS["polls"]
#: title, theme
_PROJECTS: tuple[tuple[str, str], ...] = _TEXTS["projects"]
_PROJECT_OUTCOMES: tuple[str, ...] = _TEXTS["project_outcomes"]
_EVIDENCE: tuple[str, ...] = _TEXTS["evidence"]
_GAP_NOTES: tuple[str, ...] = _TEXTS["gap_notes"]


def _fill(template: str, place: _Place, service: str, ward: str) -> str:
    return template.format(
        service=service, ward=ward, locality=place.name, coordinator=place.coordinator
    )


def _fill_all(templates: tuple[str, ...], place: _Place, service: str, ward: str) -> list[str]:
    return [_fill(template, place, service, ward) for template in templates]
