"""Involvement Coordinator: forums, experience, actions and accreditation for NHS localities."""

__version__ = "0.1.0"
APP_NAME = "Involvement Coordinator"
ORG_NAME = "Involvement Coordinator"
