"""Derived read tools: answers computed from several CRM reads (see `registry.py`)."""
