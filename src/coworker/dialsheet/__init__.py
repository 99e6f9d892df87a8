"""The Dialsheet CRM API: its contract (openapi.yaml) and the async client."""
