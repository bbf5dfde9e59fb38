"""CRM writes and rules, one module per concept."""
