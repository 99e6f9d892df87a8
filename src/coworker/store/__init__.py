"""The coworker's own store: users, conversations, messages, pending actions, audit events,
processed Slack events and daily-summary runs (SQLAlchemy 2, Alembic migrations): asyncpg
on PostgreSQL, the stdlib `sqlite3` driver in the store's worker thread on SQLite.

`engine` builds the engine from the settings, `tables` declares the schema, `migrate` applies
the shipped migrations, and `facade.Store` is the only way the rest of the service reads and
writes it: plain records (`records`) in and out, uniqueness constraints and conditional
updates (never read-then-write) wherever something must happen once. Its queries live in one
repository per record kind (`users`, `conversations`, `messages`, `actions`, `audit`,
`events`, `summary_runs`), all run by `transactions`, the one transaction strategy.
"""
