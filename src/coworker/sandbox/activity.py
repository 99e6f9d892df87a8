"""What the demo's people did, added to the rows `builder.py` makes: tasks (due today,
overdue, upcoming, undated, done), notes, dialer calls, and sent emails and texts.

Every draw comes from the same generator, after the builder's, in a fixed order; moving a
draw changes every record after it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from coworker.sandbox.builder import (
    DAY,
    HOUR,
    MINUTE,
    DemoBuilder,
    first_name,
    slug_of,
)
from coworker.sandbox.demo import (
    ADMIN_TASKS,
    ANSWERED,
    CALL_SUMMARIES,
    CALLS_YESTERDAY,
    EMAIL_TEMPLATES,
    EMAILS_PER_USER,
    NOTE_TEMPLATES,
    ORG_PLANS,
    OUTBOUND_OUTCOME_WEIGHTS,
    OUTBOUND_OUTCOMES,
    PRIORITIES,
    PRIORITY_WEIGHTS,
    PRODUCTS,
    SMS_PER_USER,
    SMS_TEMPLATES,
    SPECIAL_TASKS,
    TASK_DESCRIPTIONS,
    TASK_TEMPLATES,
    TASKS_COMPLETED,
    TASKS_DUE_TODAY,
    TASKS_OVERDUE,
    TASKS_UNDATED,
    TASKS_UPCOMING,
    UNANSWERED,
    DemoUser,
    OrgPlan,
    demo_id,
)
from coworker.sandbox.tables import Base, Call, Email, Lead, Note, Sms, Task


class ActivityBuilder(DemoBuilder):
    """The builder with the people's activity: the whole demo data set."""

    def tasks(self, user: DemoUser) -> list[Task]:
        """Due today, overdue, upcoming, undated and completed tasks for one user.

        Completed tasks include some that were due today, so a "due today" answer that
        forgets to filter on `completed` shows up in tests.
        """
        org = next(plan for plan in ORG_PLANS if plan.id == user.org_id)
        pool = self.owned(user)
        rows: list[Task] = []
        specials = [t for t in SPECIAL_TASKS if t.owner == user.email]
        for t in specials:
            lead = self.special[(org.key, t.lead_slug)]
            due = self.clock.on_day(0, t.hour, t.minute)
            rows.append(self._task(user, len(rows), t.title, lead, due, t.priority, t.description))
        due_dates = (
            [self.clock.business_hours(0) for _ in range(TASKS_DUE_TODAY - len(specials))]
            + [self.clock.business_hours(-self.rng.randint(1, 10)) for _ in range(TASKS_OVERDUE)]
            + [self.clock.business_hours(self.rng.randint(1, 14)) for _ in range(TASKS_UPCOMING)]
        )
        for due in due_dates:
            rows.append(self._random_task(user, len(rows), pool, due))
        for _ in range(TASKS_UNDATED):
            rows.append(
                self._task(user, len(rows), self.rng.choice(ADMIN_TASKS), None, None, "low", None)
            )
        for i in range(TASKS_COMPLETED):
            due = self.clock.business_hours(0 if i < 2 else -self.rng.randint(1, 10))
            done = min(due, self.now) - timedelta(minutes=self.rng.randint(5, 300))
            rows.append(self._random_task(user, len(rows), pool, due, completed_at=done))
        return rows

    def _random_task(
        self,
        user: DemoUser,
        n: int,
        pool: list[Lead],
        due: datetime,
        completed_at: datetime | None = None,
    ) -> Task:
        """Mostly a task about one of the user's leads; now and then an admin chore."""
        priority = self.rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        description = self.rng.choice(TASK_DESCRIPTIONS) if self.rng.random() < 0.4 else None
        if self.rng.random() < 0.1:
            return self._task(
                user, n, self.rng.choice(ADMIN_TASKS), None, due, priority, None, completed_at
            )
        lead = self.rng.choice(pool)
        title = self.rng.choice(TASK_TEMPLATES).format(**self._lead_words(lead))
        return self._task(user, n, title, lead, due, priority, description, completed_at)

    def _task(
        self,
        user: DemoUser,
        n: int,
        title: str,
        lead: Lead | None,
        due: datetime | None,
        priority: str,
        description: str | None,
        completed_at: datetime | None = None,
    ) -> Task:
        """The task row; it was created a few hours to two weeks before it fell due."""
        anchor = min(due or self.now, self.now, completed_at or self.now)
        created = anchor - timedelta(seconds=self.rng.randint(3600, 14 * 86400))
        if lead is not None:
            created = max(created, lead.created_at)
        return Task(
            id=demo_id("task", f"{slug_of(user)}:{n + 1}"),
            org_id=user.org_id,
            owner_id=user.id,
            title=title,
            description=description,
            lead_id=lead.id if lead else None,
            due_date=due,
            priority=priority,
            completed=completed_at is not None,
            completed_at=completed_at,
            created_at=created,
            updated_at=completed_at or created,
        )

    def _lead_words(self, lead: Lead) -> dict[str, str]:
        return {
            "first": first_name(lead.name),
            "name": lead.name,
            "company": lead.company or lead.name,
            "product": self.rng.choice(PRODUCTS),
        }

    # -- notes and calls

    def notes(self, org: OrgPlan) -> list[Base]:
        """One to three notes on about half the leads, over the past 60 days."""
        users = self.org_users(org)
        rows: list[Base] = []
        for lead in self.leads[org.id]:
            if lead.id in self.recent or self.rng.random() >= 0.5:
                continue
            for _ in range(self.rng.randint(1, 3)):
                if lead.status == "new":
                    outcome = self.rng.choice((None, None, "no_answer", "voicemail"))
                else:
                    outcome = self.rng.choice((None, None, *ANSWERED, *UNANSWERED))
                text = self.rng.choice(NOTE_TEMPLATES[outcome]).format(**self._lead_words(lead))
                rows.append(
                    Note(
                        id=demo_id("note", f"{org.key}:{len(rows) + 1}"),
                        org_id=org.id,
                        lead_id=lead.id,
                        author_id=self._rep_for(lead, users),
                        content=text,
                        outcome=outcome,
                        created_at=self._activity_time(lead, 60 * DAY),
                    )
                )
        return rows

    def calls(self, org: OrgPlan) -> list[Base]:
        """Dialer history over the past 30 days: calls every rep made yesterday, a recent
        call on every open deal that is not meant to be stale, then random history."""
        users = self.org_users(org)
        rows: list[Base] = []
        for user in users:
            pool = self.owned(user, quiet_ok=False)
            for _ in range(CALLS_YESTERDAY):
                rows.append(
                    self._call(
                        org, len(rows) + 1, self.rng.choice(pool), user.id, self.clock.yesterday()
                    )
                )
        for lead in self.live_deals[org.id]:
            start = max(lead.created_at + HOUR, self.now - 13 * DAY)
            rows.append(
                self._call(
                    org,
                    len(rows) + 1,
                    lead,
                    lead.owner_id,
                    self.clock.between(start, self.now - HOUR),
                )
            )
        pool = [lead for lead in self.leads[org.id] if lead.id not in self.recent]
        while len(rows) < org.calls:
            lead = self.rng.choice(pool)
            rows.append(
                self._call(
                    org,
                    len(rows) + 1,
                    lead,
                    self._rep_for(lead, users),
                    self._activity_time(lead, 30 * DAY),
                )
            )
        return rows

    def _call(self, org: OrgPlan, n: int, lead: Lead, user_id: str, started: datetime) -> Call:
        inbound = lead.status != "new" and self.rng.random() < 0.15
        if inbound:
            outcome = self.rng.choice(ANSWERED)
        elif lead.status == "new":
            outcome = self.rng.choice(UNANSWERED)
        else:
            outcome = self.rng.choices(OUTBOUND_OUTCOMES, OUTBOUND_OUTCOME_WEIGHTS)[0]
        answered = outcome in ANSWERED
        summary = CALL_SUMMARIES[outcome].format(**self._lead_words(lead)) if answered else None
        return Call(
            id=demo_id("call", f"{org.key}:{n}"),
            org_id=org.id,
            lead_id=lead.id,
            user_id=user_id,
            direction="inbound" if inbound else "outbound",
            duration_seconds=self.rng.randint(30, 1800) if answered else 0,
            outcome=outcome,
            started_at=started,
            summary=summary,
        )

    def _rep_for(self, lead: Lead, users: list[DemoUser]) -> str:
        """Mostly the owner; sometimes a teammate covering."""
        return self.rng.choice(users).id if self.rng.random() < 0.2 else lead.owner_id

    def _activity_time(self, lead: Lead, window: timedelta) -> datetime:
        """A moment in the last `window` after the lead existed; stale leads stay quiet for
        the last 14 days."""
        start = max(lead.created_at + HOUR, self.now - window)
        end = self.now - (15 * DAY if lead.id in self.stale else 10 * MINUTE)
        return self.clock.between(start, end)

    # -- outbox history

    def emails(self, user: DemoUser) -> list[Base]:
        slug = slug_of(user)
        pool = [lead for lead in self.owned(user, quiet_ok=False) if lead.email]
        boxes = self.mailboxes[user.id]
        rows: list[Base] = []
        for i in range(EMAILS_PER_USER):
            lead = self.rng.choice(pool)
            assert lead.email is not None
            box = boxes[0] if self.rng.random() < 0.75 else boxes[1]
            subject, body = self.rng.choice(EMAIL_TEMPLATES)
            words = {**self._lead_words(lead), **self._rep_words(user)}
            sent = self.clock.yesterday() if i < 2 else self.clock.ago(2 * DAY, 14 * DAY)
            rows.append(
                Email(
                    id=demo_id("email", f"{slug}:{i + 1}"),
                    org_id=user.org_id,
                    user_id=user.id,
                    email_account_id=box.id,
                    from_email=box.email,
                    to_email=lead.email,
                    subject=subject.format(**words),
                    body_text=body.format(**words),
                    lead_id=lead.id,
                    status="sent",
                    sent_at=sent,
                )
            )
        return rows

    def sms(self, user: DemoUser) -> list[Base]:
        slug = slug_of(user)
        pool = [lead for lead in self.owned(user, quiet_ok=False) if lead.phone]
        rows: list[Base] = []
        for i in range(SMS_PER_USER):
            lead = self.rng.choice(pool)
            assert lead.phone is not None
            words = {**self._lead_words(lead), **self._rep_words(user)}
            sent = self.clock.yesterday() if i < 1 else self.clock.ago(2 * DAY, 10 * DAY)
            rows.append(
                Sms(
                    id=demo_id("sms", f"{slug}:{i + 1}"),
                    org_id=user.org_id,
                    user_id=user.id,
                    lead_id=lead.id,
                    to_phone=lead.phone,
                    message=self.rng.choice(SMS_TEMPLATES).format(**words),
                    status="sent",
                    sent_at=sent,
                )
            )
        return rows

    def _rep_words(self, user: DemoUser) -> dict[str, str]:
        return {"me": user.name, "my_first": first_name(user.name), "org": user.org_name}
