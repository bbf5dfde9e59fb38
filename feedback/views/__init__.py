"""Feedback pages: answering, managing rounds, actions and reports (thin views)."""
