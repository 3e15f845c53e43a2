"""The Accreditation page: a locality's assessments and the checklist of one, its progress over
time, and the standards frameworks (made for the self-review: work through it with two
service-user reviewers, rate each standard, attach evidence, raise actions for the gaps, submit).

Keyboard: in the checklist, keys 1 to 4 rate the selected standard (1 met, 2 partly met, 3 not
met, 4 not applicable) and move to the next one, so a whole assessment can be rated without the
mouse. The tally and the result it would give follow every rating.

The modules, along the page's seams: ``page`` (the page with its lists: assessments, progress),
``panel`` (one assessment open for rating; its saving rules and conflicts are described there),
``checklist`` (the standards' list and the tally), ``detail`` (the selected standard),
``report`` (preview, print, PDF), ``frameworks`` (the Frameworks tab), ``common`` (small
builders) and ``questions`` (the file questions and the printing module, which tests patch
there).
"""

from .page import AccreditationPage
from .panel import AssessmentPanel

__all__ = ["AccreditationPage", "AssessmentPanel"]
