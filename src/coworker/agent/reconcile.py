"""An approved call whose answer never came: look it up in the CRM's history, never resend.

Where to look is the tool's profile (`x-coworker.reconcile` in the contract): the history
operation, the key of its items, and the fields that must match what was sent. A tool
without one (an enrollment: the CRM keeps no history of them) stays `unknown`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from coworker.dialsheet.profiles import ToolProfile
from coworker.errors import DialsheetError
from coworker.store.records import ActionRecord
from coworker.tools.executor import CrmCaller

CLOCK_SKEW = timedelta(seconds=60)


async def find_in_history(
    record: ActionRecord, profile: ToolProfile, crm: CrmCaller
) -> dict[str, Any] | None:
    """The CRM's record of this action's send, as its result (`{"email": {...}}`), or None."""
    how = profile.reconcile
    if how is None:
        return None
    sent = {**record.input, **(record.edits or {})}
    since = record.decided_at or record.created_at
    filters = {"lead_id": sent["lead_id"]} if sent.get("lead_id") else {}
    try:
        history = await crm.call(how.history, {**filters, "limit": 50})
    except DialsheetError:
        return None
    for item in history.get(how.items, []):
        sent_at = datetime.fromisoformat(item["sent_at"].replace("Z", "+00:00"))
        if sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
        # Only a send after the approval (allowing for clock skew) can be this one.
        if sent_at >= since - CLOCK_SKEW and all(item.get(f) == sent.get(f) for f in how.match):
            return {how.result_key: item}
    return None
