"""The MCP channel: the generated tool catalog for any MCP client.

Streamable HTTP at /mcp (per-user bearer tokens, the web API's scheme) and stdio
(`coworker mcp`, for desktop clients, as the local user). The client's own model chooses
the tools; sends, enrollments and deletes still only ever come back as pending actions
that the person approves in the web chat or the terminal. Only this package
imports the `mcp` SDK.
"""
