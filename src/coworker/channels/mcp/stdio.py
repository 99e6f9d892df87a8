"""`coworker mcp`: the MCP server over stdin/stdout, for desktop clients.

The desktop client starts the process, so the person is the local user, as in the terminal
chat; pending actions are decided in the coworker (`coworker actions`, the web chat). The
results never say how: a client that also has the person's shell could run the command
itself, so give desktop agents the MCP server, not a shell.
"""

from __future__ import annotations

from mcp.server.stdio import stdio_server

from coworker.channels.mcp.identity import LocalIdentity
from coworker.channels.mcp.server import build_server
from coworker.runtime import Runtime


async def serve_stdio(runtime: Runtime) -> None:
    """Serve until the client closes stdin; stray output goes to stderr meanwhile."""
    server = build_server(runtime.coworker, LocalIdentity(runtime))
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
