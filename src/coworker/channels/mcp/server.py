"""The MCP server both transports run: list the catalog, call a tool for the caller.

Thin glue: who the caller is comes from a `CallerIdentity`, how often they may call from a
`CallLimit`, and what a call does from `DirectCalls` (the same executor and confirmation
gate as the agent). A call that must wait comes back as a pending action that names no way
to approve it: the person decides in the coworker, never the client's model.
"""

from __future__ import annotations

from typing import Any

import mcp.types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext

from coworker import __version__
from coworker.agent.direct import DirectCalls
from coworker.agent.service import Coworker
from coworker.channels.mcp.identity import CallerIdentity
from coworker.channels.mcp.limits import CallLimit, limit_key, no_limiter
from coworker.channels.mcp.results import rate_limited_result, result_of
from coworker.channels.mcp.tools import mcp_tools
from coworker.channels.web.limits import RateLimited

NAME = "dialsheet-coworker"
CHANNEL = "mcp"  # the channel of the conversations that hold MCP callers' pending actions
INSTRUCTIONS = (
    "Tools for the Dialsheet CRM, acting as the signed-in person with their own Dialsheet "
    "key. Reads and writes run at once and return compact JSON. Tools that say they wait "
    "for approval (send_email, send_sms, enroll_in_sequence and the deletes, at least) never "
    "run directly: they return a pending action that only the person can approve or cancel, "
    "in the coworker itself; tell them so. Look ids up with search_leads or a list tool; "
    "never guess them."
)


def build_server(
    coworker: Coworker, identity: CallerIdentity, limit: CallLimit = no_limiter
) -> Server[Any]:
    direct = DirectCalls(coworker, channel=CHANNEL)
    tools = mcp_tools(direct)

    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        user = await identity(ctx.request)
        limiter = limit(ctx.request)
        if limiter is not None:
            try:
                await limiter.check(limit_key(user))
            except RateLimited as error:
                return rate_limited_result(limiter.per_minute, error.retry_after)
        arguments = params.arguments if params.arguments is not None else {}
        return result_of(await direct.call(user, params.name, arguments))

    return Server(
        NAME,
        version=__version__,
        title="Dialsheet Coworker",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
