"""`$kind:name` placeholders: how a case names a demo record without writing its id.

The demo data's ids are stable uuid5s (`coworker.sandbox.seed.demo_id`), so a placeholder
resolves to the exact id on every run. Records belong to the case's user's organisation:
`$lead:jane-smith` is Alex's Jane Smith (Northwind) and Jordan's Jane Smith (Globex).

    $lead:jane-smith   a named lead (or `$lead:17`, the 17th random one)
    $task:1            the case user's task 1 ($task:sam:1 for another user's)
    $opportunity:1  $sequence:2  $tag:hot  $org
    $mailbox:primary   the case user's mailbox (primary | secondary; $mailbox:sam:primary)
    $user:alex  $me    a demo user's id
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coworker.sandbox.seed import DEMO_USERS, DemoUser, demo_id

USERS: dict[str, DemoUser] = {u.email.split("@")[0]: u for u in DEMO_USERS}
ORG_KEYS = {u.org_id: u.org_name.split()[0].lower() for u in DEMO_USERS}
KINDS = ("lead", "task", "opportunity", "sequence", "tag", "mailbox", "user", "me", "org")
_REF = re.compile(r"^\$[a-z_]+(:|$)")


class RefError(ValueError):
    """A placeholder that names no kind of record, or names it wrongly."""


@dataclass(frozen=True)
class Refs:
    """Resolves placeholders for one demo user (the case's `user`)."""

    user: str = "alex"

    @property
    def demo(self) -> DemoUser:
        return USERS[self.user]

    @property
    def org(self) -> str:
        return ORG_KEYS[self.demo.org_id]

    def resolve(self, text: str) -> str:
        """The id a placeholder names; any other text is returned as it is."""
        if not is_ref(text):
            return text
        kind, _, rest = text[1:].partition(":")
        if kind == "me":
            return self.demo.id
        if kind == "org":
            return self.demo.org_id
        if not rest:
            raise RefError(f"{text!r} needs a name after '{kind}:'")
        if kind in ("lead", "opportunity", "sequence", "tag"):
            return demo_id(kind, f"{self.org}:{rest}")
        if kind == "task":
            owner, _, number = rest.rpartition(":")
            return demo_id("task", f"{self._user(owner or self.user)}:{number}")
        if kind == "mailbox":
            owner, _, which = rest.rpartition(":")
            if which not in ("primary", "secondary"):
                raise RefError(f"{text!r}: a mailbox is primary or secondary")
            return demo_id("email_account", f"{self._user(owner or self.user)}:{which}")
        if kind == "user":
            return USERS[self._user(rest)].id
        raise RefError(f"unknown placeholder {text!r}; kinds: {', '.join(KINDS)}")

    def _user(self, name: str) -> str:
        if name not in USERS:
            raise RefError(f"unknown demo user {name!r}; users: {', '.join(USERS)}")
        return name

    def resolve_all(self, value: Any) -> Any:
        """`value` with every placeholder inside it (lists, mappings) resolved."""
        if isinstance(value, str):
            return self.resolve(value)
        if isinstance(value, list):
            return [self.resolve_all(v) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve_all(v) for k, v in value.items()}
        return value


def is_ref(text: str) -> bool:
    """`$word` or `$word:...`: a placeholder (or a mistyped one, which `resolve` refuses);
    "$5,000" and other text with a dollar sign are not."""
    return _REF.match(text) is not None
