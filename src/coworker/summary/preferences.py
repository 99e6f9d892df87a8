"""A person's summary settings, validated in one place for the web API and the CLI.

Stored on the user row as plain strings ("08:30", "mon,tue,wed,thu,fri"); validated here
so that the scheduler can trust what it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coworker.errors import CoworkerError
from coworker.store.facade import Store
from coworker.store.records import UserRecord

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = ("web", "slack", "both")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class InvalidSetting(CoworkerError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidSetting("timezone", f"{value!r} is not an IANA timezone") from error
    return value


def check_time(value: str) -> str:
    if not _TIME.match(value):
        raise InvalidSetting("time", f"{value!r} is not a 24-hour HH:MM time")
    return value


def check_weekdays(values: list[str] | str) -> str:
    """Weekdays as the stored comma list in week order; at least one day."""
    items = values.split(",") if isinstance(values, str) else values
    days = {item.strip().lower()[:3] for item in items if item.strip()}
    unknown = sorted(days - set(WEEKDAYS))
    if unknown or not days:
        raise InvalidSetting(
            "weekdays", f"use one or more of {', '.join(WEEKDAYS)} (got {', '.join(unknown)})"
        )
    return ",".join(day for day in WEEKDAYS if day in days)


def check_channel(value: str) -> str:
    if value not in CHANNELS:
        raise InvalidSetting("channel", f"use one of {', '.join(CHANNELS)}")
    return value


@dataclass(frozen=True, slots=True)
class SummarySettings:
    enabled: bool
    time: str
    weekdays: tuple[str, ...]
    timezone: str
    channel: str

    @classmethod
    def of(cls, user: UserRecord) -> SummarySettings:
        return cls(
            enabled=user.summary_enabled,
            time=user.summary_time,
            weekdays=tuple(d for d in user.summary_weekdays.split(",") if d),
            timezone=user.timezone,
            channel=user.summary_channel,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "time": self.time,
            "weekdays": list(self.weekdays),
            "timezone": self.timezone,
            "channel": self.channel,
        }


async def update_settings(
    store: Store,
    user: UserRecord,
    *,
    enabled: bool | None = None,
    time: str | None = None,
    weekdays: list[str] | str | None = None,
    timezone: str | None = None,
    channel: str | None = None,
) -> UserRecord:
    """Validate what was given (all of it, before changing anything) and store it."""
    fields: dict[str, Any] = {}
    if enabled is not None:
        fields["summary_enabled"] = enabled
    if time is not None:
        fields["summary_time"] = check_time(time)
    if weekdays is not None:
        fields["summary_weekdays"] = check_weekdays(weekdays)
    if timezone is not None:
        fields["timezone"] = check_timezone(timezone)
    if channel is not None:
        fields["summary_channel"] = check_channel(channel)
    if not fields:
        return user
    return await store.update_user(user.id, **fields)
