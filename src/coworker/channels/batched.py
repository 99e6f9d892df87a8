"""A run's cards as a person decides them: one alone, or a batch's together.

Every channel that shows cards after a turn (Slack, the terminal) groups them the same way,
so a batch (`ActionView.batch_id`, the gated calls one model response proposed) is shown
and decided as one, where its first card came.
"""

from __future__ import annotations

from collections.abc import Sequence

from coworker.agent.events import ActionView


def groups(actions: Sequence[ActionView]) -> list[list[ActionView]]:
    """Cards in the order proposed, each alone or with the rest of its batch."""
    out: list[list[ActionView]] = []
    by_batch: dict[str, list[ActionView]] = {}
    for action in actions:
        if action.batch_id is None:
            out.append([action])
        elif action.batch_id in by_batch:
            by_batch[action.batch_id].append(action)
        else:
            by_batch[action.batch_id] = [action]
            out.append(by_batch[action.batch_id])
    return out
