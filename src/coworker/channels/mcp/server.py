"""The MCP server both transports run: list the catalog, call a tool for the caller.

Thin glue: who the caller is comes from a `CallerIdentity`, what a call does from
`DirectCalls` (the same executor and confirmation gate as the agent), and how a pending
action is decided from the transport's `ApprovalHelp`.
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
from coworker.channels.mcp.results import ApprovalHelp, result_of
from coworker.channels.mcp.tools import mcp_tools

NAME = "dialsheet-coworker"
CHANNEL = "mcp"  # the channel of the conversations that hold MCP callers' pending actions
INSTRUCTIONS = (
    "Tools for the Dialsheet CRM, acting as the signed-in person with their own Dialsheet "
    "key. Reads and writes run at once and return compact JSON. Tools that say they wait "
    "for approval (send_email, send_sms, enroll_in_sequence and the deletes, at least) never "
    "run directly: they return a pending action that the person approves or cancels in the "
    "coworker; tell them so. Look ids up with search_leads or a list tool; never guess them."
)


def build_server(coworker: Coworker, identity: CallerIdentity, decide: ApprovalHelp) -> Server[Any]:
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
        arguments = params.arguments if params.arguments is not None else {}
        return result_of(await direct.call(user, params.name, arguments), decide)

    return Server(
        NAME,
        version=__version__,
        title="Dialsheet Coworker",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
