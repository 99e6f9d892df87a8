"""Alembic migrations for the store, shipped inside the package (see `coworker.store.migrate`)."""
