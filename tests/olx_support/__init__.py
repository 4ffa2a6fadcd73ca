"""Helpers for the OLX and XBlock tests: archive reading, structural checks, the LMS grade computation."""
