"""Metrics on conversations and opportunities (filled in as crm lands)."""
