"""`coworker actions ...`: list, approve, reject and reconcile the local user's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coworker.agent.statuses import STATUS_CHOICES, status_help
from coworker.cli.app import actions_app, fail, run_as_local_user

if TYPE_CHECKING:
    from coworker.agent.events import RunSummary
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord


def _status(value: str) -> str:
    """Refused before anything opens, in the words the API's 422 uses."""
    if value not in STATUS_CHOICES:
        raise typer.BadParameter(f"{value!r} is not one of: {status_help()}")
    return value


@actions_app.command("list")
def actions_list(
    status: str = typer.Option(
        "pending", callback=_status, help=f"{status_help()}.", show_default=True
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
            wanted = "" if status == "all" else status
            console.print(f"No {wanted} actions.".replace("  ", " "))
        for action in actions:
            if action.status == "pending":
                cli_chat.show_card(action, console)
            else:
                said = f"{action.id}  {action.label}  {action.outcome or action.status}"
                console.print(said, markup=False, highlight=False)
        if page.next_cursor is not None:
            console.print(
                f"More: coworker actions list --status {status} "
                f"--limit {limit} --cursor {page.next_cursor}",
                soft_wrap=True,
            )
        return 0

    run_as_local_user(work)


def _decide(
    action_id: str, *, approve: bool, sets: list[str], reason: str | None, as_json: bool
) -> None:
    from rich.console import Console

    from coworker.channels import cli_chat, cli_edit
    from coworker.errors import ActionNotPending

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        try:
            edits = cli_chat.parse_sets(sets)
            if edits:  # a typed "\n" in a body is a line break, as in `coworker chat`
                edits = cli_edit.typed_edits(await coworker.get_action(user, action_id), edits)
            events = (
                coworker.approve(user, action_id, edits or None)
                if approve
                else coworker.reject(user, action_id, reason)
            )
            result = await cli_chat.render(events, Console(), quiet=as_json)
        except ActionNotPending as error:
            fail(error.message, 2)
        return _outcome(result, as_json=as_json)

    run_as_local_user(work)


def _outcome(result: RunSummary, *, as_json: bool) -> int:
    """The exit status of a decision (1 when anything failed or ended unknown), after
    printing the result as JSON when asked."""
    from coworker.channels import cli_chat

    if as_json:
        typer.echo(cli_chat.dumps(result.as_dict()))
    failed = any(a.status in {"failed", "unknown", "stale"} for a in result.decided)
    return 1 if failed or result.errors else 0


def _decide_batch(batch_id: str, left_out: list[str], *, as_json: bool) -> None:
    """Every pending action of the batch approved but those named, which are left out."""
    from rich.console import Console

    from coworker.channels import cli_chat
    from coworker.errors import ActionNotFound, ActionNotPending

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        waiting = [
            a.id for a in await coworker.list_actions(user, status="pending", batch_id=batch_id)
        ]
        if not waiting:
            fail(f"no action of batch {batch_id} waits for a decision", 2)
        stray = [i for i in left_out if i not in waiting]
        if stray:
            fail(f"not a pending action of batch {batch_id}: {', '.join(stray)}", 2)
        approve = [i for i in waiting if i not in left_out]
        try:
            events = coworker.decide_batch(user, batch_id, approve=approve, reject=left_out)
            result = await cli_chat.render(events, Console(), quiet=as_json)
        except (ActionNotPending, ActionNotFound) as error:
            fail(error.message, 2)
        return _outcome(result, as_json=as_json)

    run_as_local_user(work)


@actions_app.command("approve")
def actions_approve(
    action_id: Annotated[str | None, typer.Argument(help="The action to approve.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Edit a field first: subject=..., body=..., message=..."),
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option("--batch", help="Approve every pending action of this batch at once."),
    ] = None,
    except_: Annotated[
        list[str] | None,
        typer.Option(
            "--except", help="With --batch: an action to leave out (cancelled); repeatable."
        ),
    ] = None,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Approve an action (optionally edited), or a whole batch but the ones left out;
    prints the coworker's resumed reply."""
    if batch is not None:
        if action_id is not None or set_:
            fail("--batch approves a whole batch: give no ACTION_ID and no --set", 2)
        _decide_batch(batch, list(dict.fromkeys(except_ or [])), as_json=as_json)
        return
    if action_id is None or except_:
        fail("give an ACTION_ID, or --batch BATCH_ID [--except ID ...]", 2)
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
