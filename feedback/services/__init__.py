"""Writes and rules for feedback: rounds, entries, actions (one module per concept)."""
