"""The web channel: the JSON + SSE chat API, identity, and the widget's static files."""
