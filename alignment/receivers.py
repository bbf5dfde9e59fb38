"""Listens to the CRM: a customer mentioned a campaign the rep did not know about."""
