"""The coworker's own store: users, conversations, messages, pending actions, audit events,
processed Slack events and daily-summary runs (SQLAlchemy 2, Alembic migrations): asyncpg
on PostgreSQL, the stdlib `sqlite3` driver in the store's worker threads on SQLite.

`engine` builds the engine from the settings, `tables` declares the schema, `migrate` applies
the shipped migrations, and `queries.Store` is the only way the rest of the service reads and
writes it: plain records in and out, uniqueness constraints and conditional updates (never
read-then-write) wherever something must happen once.
"""
