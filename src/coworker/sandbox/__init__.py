"""A Dialsheet-compatible CRM that runs locally, so nothing needs a real Dialsheet account."""
