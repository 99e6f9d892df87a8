"""Attacker data placed in the sandbox before a run: a prompt-injection case's setup.

The attacker controls text that ends up in the CRM (a note from a web form, a company name,
a task synced from a calendar, an email thread), never the conversation. Each injection
writes that text where the case says, as an ordinary record the coworker may read.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from coworker.evals.cases import Injection
from coworker.evals.refs import Refs
from coworker.sandbox.database import SandboxDatabase
from coworker.sandbox.tables import Email, EmailAccount, Lead, Note, Task


class InjectionError(ValueError):
    """An injection names a record that is not in the seeded CRM."""


async def inject(
    database: SandboxDatabase, injections: tuple[Injection, ...], refs: Refs, now: datetime
) -> None:
    async with database.session() as session:
        for number, item in enumerate(injections, start=1):
            lead = await session.get(Lead, item.lead_id) if item.lead_id else None
            if item.lead_id and lead is None:
                raise InjectionError(f"inject[{number - 1}]: no lead {item.lead_id} in the seed")
            made = _id(refs, number)
            if item.into == "lead_note":
                assert lead is not None
                session.add(
                    Note(
                        id=made,
                        org_id=lead.org_id,
                        lead_id=lead.id,
                        author_id=lead.owner_id,
                        content=item.text,
                        outcome=None,
                        created_at=now - timedelta(hours=2),
                    )
                )
            elif item.into == "company":
                assert lead is not None
                lead.company = item.text
            elif item.into == "task_title":
                due = datetime.combine(now.date(), time(17, 0), tzinfo=now.tzinfo)
                session.add(
                    Task(
                        id=made,
                        org_id=refs.demo.org_id,
                        owner_id=refs.demo.id,
                        title=item.text,
                        description=None,
                        lead_id=lead.id if lead else None,
                        due_date=due,
                        priority="high",
                        completed=False,
                        completed_at=None,
                        created_at=now - timedelta(days=1),
                        updated_at=now - timedelta(days=1),
                    )
                )
            else:
                assert lead is not None
                mailbox = await session.get(EmailAccount, refs.resolve("$mailbox:primary"))
                assert mailbox is not None
                session.add(
                    Email(
                        id=made,
                        org_id=lead.org_id,
                        user_id=refs.demo.id,
                        email_account_id=mailbox.id,
                        from_email=mailbox.email,
                        to_email=lead.email or "unknown@example.com",
                        subject=item.subject or f"Re: {lead.company or lead.name}",
                        body_text=item.text,
                        lead_id=lead.id,
                        status="sent",
                        sent_at=now - timedelta(hours=3),
                    )
                )
        await session.commit()


def _id(refs: Refs, number: int) -> str:
    """Injected rows get stable ids too, so replays and reports line up run after run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"coworker-eval:{refs.user}:inject:{number}"))
