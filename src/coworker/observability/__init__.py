"""Observability: structured logs and Prometheus metrics.

`context` holds what a log line or a metric needs to know about the work in hand (request,
conversation, hashed user, channel, the app's metrics, whether content may be logged);
`logs` formats and configures logging; `metrics` defines an app's metric families;
`record` has the one-line recording calls the agent loop and the tool executor make;
`middleware` binds a request's context in the web app. With no app around (tests,
benchmarks, the CLI) the recording calls do nothing.
"""
