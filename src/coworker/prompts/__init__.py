"""Prompts shipped with the package (the top-level prompts/ folder links here)."""
