"""`coworker actions ...`: list, approve, reject and reconcile the local user's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coworker.cli.app import actions_app, fail, run_as_local_user

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord


@actions_app.command("list")
def actions_list(
    status: str | None = typer.Option(
        "pending", help="pending, succeeded, rejected, ... or 'all'."
    ),
    limit: int = typer.Option(
        50, "--limit", min=1, max=200, help="Actions per page, newest first (at most 200)."
    ),
    cursor: str | None = typer.Option(
        None, "--cursor", help="Where the previous page ended (its next cursor)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List your actions (pending ones by default), a page at a time."""
    from rich.console import Console

    from coworker.agent.listing import page_actions
    from coworker.channels import cli_chat

    async def work(runtime: Runtime, user: UserRecord) -> int:
        page = await page_actions(runtime.coworker, user, status=status, limit=limit, cursor=cursor)
        actions = page.items
        if as_json:
            typer.echo(
                cli_chat.dumps(
                    {"actions": [a.as_dict() for a in actions], "next_cursor": page.next_cursor}
                )
            )
            return 0
        console = Console()
        if not actions:
            wanted = "" if status in (None, "all") else status
            console.print(f"No {wanted} actions.".replace("  ", " "))
        for action in actions:
            console.print(
                cli_chat.action_card(action)
                if action.status == "pending"
                else f"{action.id}  {action.label}  {action.outcome or action.status}"
            )
        if page.next_cursor is not None:
            console.print(
                f"More: coworker actions list --status {status or 'all'} "
                f"--limit {limit} --cursor {page.next_cursor}",
                soft_wrap=True,
            )
        return 0

    run_as_local_user(work)


def _decide(
    action_id: str, *, approve: bool, sets: list[str], reason: str | None, as_json: bool
) -> None:
    from rich.console import Console

    from coworker.channels import cli_chat
    from coworker.errors import ActionNotPending

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        try:
            events = (
                coworker.approve(user, action_id, cli_chat.parse_sets(sets) or None)
                if approve
                else coworker.reject(user, action_id, reason)
            )
            result = await cli_chat.render(events, Console(), quiet=as_json)
        except ActionNotPending as error:
            fail(error.message, 2)
        if as_json:
            typer.echo(cli_chat.dumps(result.as_dict()))
        failed = any(a.status in {"failed", "unknown", "stale"} for a in result.decided)
        return 1 if failed or result.errors else 0

    run_as_local_user(work)


@actions_app.command("approve")
def actions_approve(
    action_id: str,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Edit a field first: subject=..., body=..., message=..."),
    ] = None,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Approve an action (optionally edited); prints the coworker's resumed reply."""
    _decide(action_id, approve=True, sets=set_ or [], reason=None, as_json=as_json)


@actions_app.command("reject")
def actions_reject(
    action_id: str,
    reason: str | None = typer.Option(None, "--reason", help="Why; the coworker reads it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Reject (cancel) an action; nothing is executed."""
    _decide(action_id, approve=False, sets=[], reason=reason, as_json=as_json)


@actions_app.command("reconcile")
def actions_reconcile(action_id: str) -> None:
    """Check the CRM's history for a send whose outcome is unknown (never sends again).

    An action left `executing` by a process that died is first recovered to `unknown`, once
    its lease (COWORKER_EXECUTING_LEASE_SECONDS) is over."""

    async def work(runtime: Runtime, user: UserRecord) -> int:
        from coworker.agent.recovery import ActionRecovery

        recovery = ActionRecovery.from_runtime(runtime)
        action = await recovery.reconcile(user.id, (user.external_id,), action_id)
        typer.echo(f"{action.id}: {action.status}")
        return 0 if action.status == "succeeded" else 1

    run_as_local_user(work)
