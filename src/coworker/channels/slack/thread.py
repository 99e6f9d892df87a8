"""Where a conversation lives in Slack, and what the channel remembers between events.

`SlackFeatures` is process memory shared by every listener: which workspaces refused an
AI-app method for good (so an old workspace pays for one refused call, not one per
message), the turns running now by thread (so a Stop in Slack reaches the right one), and
the threads a person titled themselves (so the coworker never renames them). Losing it is
an optimisation lost, never correctness: a new process just asks again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError

# Errors that mean the method will never work for this app in this workspace (others, like
# a channel where it is not allowed, fall back for that reply only).
UNSUPPORTED = frozenset(
    {
        "unknown_method",
        "missing_scope",
        "not_allowed_token_type",
        "feature_not_enabled",
        "method_deprecated",
    }
)

ThreadKey = tuple[str, str]  # (channel, thread_ts): one agent session
Person = tuple[str, str]  # (team, user): who asked for a turn, the only one who may stop it


@dataclass
class Sessions:
    """The turns running now, one per thread, whose they are, and the threads their person
    renamed."""

    running: dict[ThreadKey, set[asyncio.Task[Any]]] = field(default_factory=dict)
    owners: dict[asyncio.Task[Any], Person] = field(default_factory=dict)
    stopped: set[asyncio.Task[Any]] = field(default_factory=set)
    titled_by_person: set[ThreadKey] = field(default_factory=set)

    def add(self, key: ThreadKey, task: asyncio.Task[Any], owner: Person) -> None:
        self.running.setdefault(key, set()).add(task)
        self.owners[task] = owner

    def discard(self, key: ThreadKey, task: asyncio.Task[Any]) -> bool:
        """Forget a turn that ended; True if it ended because it was stopped."""
        tasks = self.running.get(key, set())
        tasks.discard(task)
        self.owners.pop(task, None)
        if not tasks:
            self.running.pop(key, None)
        if task in self.stopped:
            self.stopped.discard(task)
            return True
        return False

    def stop(self, key: ThreadKey, by: Person) -> bool:
        """Cancel the turns `by` asked for in this thread (one, or one waiting for it): the
        service's own cancellation settles the transcript and frees the conversation.
        Another person's Stop (a shared channel, another workspace) cancels nothing.
        False when nothing of theirs runs there."""
        tasks = [
            t for t in self.running.get(key, set()) if not t.done() and self.owners.get(t) == by
        ]
        for task in tasks:
            self.stopped.add(task)
            task.cancel()
        return bool(tasks)

    def busy(self, key: ThreadKey) -> bool:
        """Whether any turn runs in this thread (anyone's)."""
        return any(not t.done() for t in self.running.get(key, set()))


@dataclass
class SlackFeatures:
    """Shared by every listener of one channel (see the module's docstring)."""

    no_status: set[str] = field(default_factory=set)
    no_stream: set[str] = field(default_factory=set)
    no_sessions: set[str] = field(default_factory=set)  # apps still on assistant_view
    sessions: Sessions = field(default_factory=Sessions)

    def refused(self, error: SlackApiError, teams: set[str], team: str) -> None:
        if str(error.response.get("error", "")) in UNSUPPORTED:
            teams.add(team)


@dataclass
class Thread:
    """Where a conversation lives in Slack, and who asked (the only one who may decide).

    `agent` is set once `agents.sessions.setStatus` worked for this thread: the app is on
    Slack's agent messaging experience, so the turn shows its tool steps as task cards and
    moves the session's status; otherwise the legacy surfaces and the tool line are used.
    """

    channel: str
    thread_ts: str
    requester: str
    team: str = ""
    features: SlackFeatures = field(default_factory=SlackFeatures)
    tools: list[str] = field(default_factory=list)
    agent: bool = False

    @property
    def key(self) -> ThreadKey:
        return (self.channel, self.thread_ts)
