"""Which summary channels this install has: the web always, Slack DMs once Slack is set up.

Composed by whoever runs summaries (the server's scheduler, `coworker summary`), not by the
runtime: the runtime is what channels are built on, so it must not know any of them (it
importing Slack made runtime and the Slack channel an import cycle).
"""

from __future__ import annotations

from coworker.agent.service import Coworker
from coworker.config import Settings
from coworker.summary.deliver import SummaryChannel, WebChannel


def summary_channels(settings: Settings, coworker: Coworker) -> dict[str, SummaryChannel]:
    channels: dict[str, SummaryChannel] = {"web": WebChannel(coworker)}
    if settings.slack_enabled:
        from coworker.channels.slack.summary import SlackSummaryChannel

        channels["slack"] = SlackSummaryChannel.from_settings(settings, coworker)
    return channels
