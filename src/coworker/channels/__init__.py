"""Channels: each turns its input into service calls and renders the service events."""
