"""The widget and the demo page, served by the app (no build step)."""
