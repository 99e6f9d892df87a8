"""The agent: loop, events, confirmations, context, and the service channels call."""
