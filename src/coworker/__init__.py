"""Dialsheet Coworker: an AI coworker for sales teams on the Dialsheet CRM."""

__version__ = "0.1.0"
