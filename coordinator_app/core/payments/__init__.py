"""Involvement payments beyond meetings (issue #28): activities, the trust's rates, a claim's
life, running totals against the trust's threshold, and the finance list. A meeting's own
payments are set in ``core.meetings.payments``; both live in ``involvement_payments``."""
