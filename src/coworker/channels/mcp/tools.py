"""The catalog as MCP tools: the same names, descriptions and schemas the model sees, with
the hints MCP clients use to decide what to ask their user about, derived from the risk."""

from __future__ import annotations

import mcp.types as types

from coworker.agent.direct import DirectCalls
from coworker.tools.catalog import Tool
from coworker.tools.policy import Risk

WAITS = (
    " Nothing happens when you call it: the call returns a pending action that the person "
    "approves (or cancels) in the coworker, and only then it runs."
)


def hints(tool: Tool) -> types.ToolAnnotations:
    """readOnly for reads; destructive for deletes; openWorld for what reaches a person
    outside the company (email, SMS, sequences); everything else stays inside the CRM."""
    return types.ToolAnnotations(
        title=tool.label,
        read_only_hint=tool.risk is Risk.READ,
        destructive_hint=tool.risk is Risk.DESTRUCTIVE,
        open_world_hint=tool.risk is Risk.OUTBOUND,
    )


def mcp_tool(tool: Tool, *, waits: bool) -> types.Tool:
    return types.Tool(
        name=tool.name,
        description=tool.description + (WAITS if waits else ""),
        input_schema=tool.input_schema,
        annotations=hints(tool),
    )


def mcp_tools(direct: DirectCalls) -> list[types.Tool]:
    return [mcp_tool(t, waits=direct.waits_for_approval(t)) for t in direct.tools()]
