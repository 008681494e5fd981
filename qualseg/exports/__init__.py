"""Deliverables built from a project's current state: reports, messaging starters, quote bank,
REFI-QDA exchange and JSON. ``FORMATS`` is the one table of what can be exported."""
