"""The Slack channel: a bolt `AsyncApp` that turns DMs, mentions, buttons and App Home into
service calls, and the service's events into Slack messages."""
