"""Metrics on feedback rounds and actions (filled in as feedback lands)."""
