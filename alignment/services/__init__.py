"""Writes and rules of the alignment app, one module per concept."""
