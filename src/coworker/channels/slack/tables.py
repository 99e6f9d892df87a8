"""A pipeline or activity answer as a Block Kit table in the thread, under the reply.

Slack's `table` block (docs.slack.dev, Block Kit reference: `rows` of `raw_text` cells, at
most 100 rows of 20 cells; `column_settings` with `align` and `is_wrapped`, at most 20) is
posted in a message of its own, one table per message. A workspace that refuses the
block gets the same rows as plain lines. The rows are `tools/derived/figures.py`'s, shared
with the terminal.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import Event, ToolFinished
from coworker.channels.slack.render import escape
from coworker.channels.slack.stream import BLOCKS_REFUSED
from coworker.channels.slack.thread import Thread
from coworker.tools.derived.figures import Figure, figure_of, table_of

log = logging.getLogger("coworker.slack")

Block = dict[str, Any]
MAX_ROWS = 100  # Slack's limits for a table block, the header row included
MAX_CELLS = 20


def figure_from(event: Event) -> Figure | None:
    """The figure a finished tool call draws, if it is a report drawn as one."""
    if isinstance(event, ToolFinished) and not event.is_error:
        return figure_of(event.content)
    return None


def _cell(text: str) -> Block:
    return {"type": "raw_text", "text": text}


def table_blocks(figure: Figure) -> list[Block]:
    header, body = table_of(figure)
    rows = [header, *body][:MAX_ROWS]
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(figure.title)}*"}},
        {
            "type": "table",
            "column_settings": [{"is_wrapped": True}]
            + [{"align": "right"}] * (min(len(header), MAX_CELLS) - 1),
            "rows": [[_cell(text) for text in row[:MAX_CELLS]] for row in rows],
        },
    ]
    if figure.note:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(figure.note)}]}
        )
    return blocks


def plain_text(figure: Figure) -> str:
    """The table as lines: the notification's text, and the message where tables are refused."""
    header, body = table_of(figure)
    lines = [
        f"{row[0]}: "
        + ", ".join(f"{name} {cell}" for name, cell in zip(header[1:], row[1:], strict=True))
        for row in body
    ]
    return "\n".join([figure.title, *lines])


async def post_figures(client: AsyncWebClient, thread: Thread, figures: list[Figure]) -> None:
    """Each figure as a table message in the thread; a failure is logged, never raised (the
    reply has already said the numbers)."""
    for figure in figures:
        text = plain_text(figure)
        try:
            try:
                await client.chat_postMessage(
                    channel=thread.channel,
                    thread_ts=thread.thread_ts,
                    text=text,
                    blocks=table_blocks(figure),
                )
            except SlackApiError as error:
                if str(error.response.get("error")) not in BLOCKS_REFUSED:
                    raise
                await client.chat_postMessage(
                    channel=thread.channel,
                    thread_ts=thread.thread_ts,
                    text=text,
                    blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}],
                )
        except Exception:
            log.exception("slack: a report's table could not be posted")
