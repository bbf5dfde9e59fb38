"""Reads of the alignment app, one module per concept."""
