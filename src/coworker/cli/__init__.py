"""The `coworker` command: serve, the sandbox CRM, chat, actions, people, summaries, evals.

Importing the command modules registers their commands on `app`, in the order `--help`
lists them; `main` is the console script's entry point (`coworker = "coworker.cli:main"`).
"""

from __future__ import annotations

from coworker.cli.app import app

# isort: split
from coworker.cli import serving

# isort: split
from coworker.cli import chat

# isort: split
from coworker.cli import actions, feedback, people, summary

# isort: split
from coworker.cli import maintenance

__all__ = [
    "actions",
    "app",
    "chat",
    "feedback",
    "main",
    "maintenance",
    "people",
    "serving",
    "summary",
]


def main() -> None:
    app()
