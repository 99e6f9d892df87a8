"""Models behind one ABC: Claude, the offline interpreter, and a scripted model for tests."""
