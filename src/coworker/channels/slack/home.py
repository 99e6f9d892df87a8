"""App Home: the person's Dialsheet key, timezone and daily summary, each in a modal; and
the Messages tab's greeting (`prompts.py`), which arrives as the same event."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack.events import slack_user, team_of
from coworker.channels.slack.prompts import greet
from coworker.errors import DialsheetError, DialsheetKeyRejected
from coworker.runtime import Runtime
from coworker.store.records import UserRecord
from coworker.summary import preferences

log = logging.getLogger("coworker.slack")

KEY_MODAL = "coworker_key_modal"
SUMMARY_MODAL = "coworker_summary_modal"
CHANNEL_LABELS = {"slack": "here in Slack", "web": "in the web chat", "both": "Slack and web"}
DAY_LABELS = dict(
    zip(preferences.WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)
)


def _days_label(weekdays: str) -> str:
    days = weekdays.split(",")
    if days == list(preferences.WEEKDAYS[:5]):
        return "weekdays"
    if days == list(preferences.WEEKDAYS):
        return "every day"
    return " ".join(DAY_LABELS.get(day, day) for day in days)


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def home_view(user: UserRecord) -> dict[str, Any]:
    connected = bool(user.dialsheet_key_encrypted)
    key_text = (
        ":white_check_mark: *Dialsheet key:* connected (stored encrypted; never shown again)"
        if connected
        else ":key: *Dialsheet key:* not connected. Create one in Dialsheet under "
        "Settings → API Keys, then connect it here."
    )
    summary = (
        f"on at {user.summary_time}, {_days_label(user.summary_weekdays)}, "
        f"{CHANNEL_LABELS.get(user.summary_channel, user.summary_channel)}"
        if user.summary_enabled
        else "off"
    )
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Dialsheet Coworker"}},
            {
                "type": "section",
                "block_id": "key",
                "text": {"type": "mrkdwn", "text": key_text},
                "accessory": _button("Replace key" if connected else "Connect key", "key"),
            },
            {
                "type": "section",
                "block_id": "summary",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*Timezone:* {user.timezone}\n*Daily summary:* {summary}",
                },
                "accessory": _button("Change", "summary"),
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Message me here or @mention me in a channel. Nothing is sent, "
                        "enrolled or deleted until you approve it.",
                    }
                ],
            },
        ],
    }


def key_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": KEY_MODAL,
        "title": {"type": "plain_text", "text": "Connect Dialsheet"},
        "submit": {"type": "plain_text", "text": "Connect"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "key",
                "label": {"type": "plain_text", "text": "Your Dialsheet API key (ds_…)"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


def summary_modal(user: UserRecord) -> dict[str, Any]:
    on = {"text": {"type": "plain_text", "text": "Send me a daily summary"}, "value": "on"}
    checkbox: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": [on]}
    if user.summary_enabled:
        checkbox["initial_options"] = [on]
    days = [_option(DAY_LABELS[day], day) for day in preferences.WEEKDAYS]
    chosen_days = set(user.summary_weekdays.split(","))
    places = [_option(label.capitalize(), value) for value, label in CHANNEL_LABELS.items()]
    return {
        "type": "modal",
        "callback_id": SUMMARY_MODAL,
        "title": {"type": "plain_text", "text": "Daily summary"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "timezone",
                "label": {"type": "plain_text", "text": "Timezone (IANA, e.g. Europe/Paris)"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": user.timezone,
                },
            },
            {
                "type": "input",
                "block_id": "enabled",
                "optional": True,
                "label": {"type": "plain_text", "text": "Summary"},
                "element": checkbox,
            },
            {
                "type": "input",
                "block_id": "time",
                "label": {"type": "plain_text", "text": "Time"},
                "element": {
                    "type": "timepicker",
                    "action_id": "value",
                    "initial_time": user.summary_time,
                },
            },
            {
                "type": "input",
                "block_id": "weekdays",
                "label": {"type": "plain_text", "text": "On"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": days,
                    "initial_options": [d for d in days if d["value"] in chosen_days],
                },
            },
            {
                "type": "input",
                "block_id": "channel",
                "label": {"type": "plain_text", "text": "Where"},
                "element": {
                    "type": "radio_buttons",
                    "action_id": "value",
                    "options": places,
                    "initial_option": next(
                        (p for p in places if p["value"] == user.summary_channel), places[0]
                    ),
                },
            },
        ],
    }


def _button(text: str, what: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": f"coworker_home_{what}",
    }


async def _timezone_from_profile(
    runtime: Runtime, client: AsyncWebClient, user: UserRecord, slack_user_id: str
) -> UserRecord:
    """Slack's profile timezone, the first time someone who still has the default opens Home."""
    if user.timezone != "UTC":
        return user
    try:
        info = await client.users_info(user=slack_user_id)
    except SlackApiError:
        return user
    tz = str((info.get("user") or {}).get("tz") or "")
    try:
        checked = preferences.check_timezone(tz)
    except preferences.InvalidSetting:
        return user
    if checked == user.timezone:
        return user
    return await runtime.store.update_user(user.id, timezone=checked)


async def publish(runtime: Runtime, client: AsyncWebClient, team: str, slack_user_id: str) -> None:
    user = await slack_user(runtime, team, slack_user_id)
    user = await _timezone_from_profile(runtime, client, user, slack_user_id)
    await client.views_publish(user_id=slack_user_id, view=home_view(user))


def _state(body: dict[str, Any]) -> dict[str, Any]:
    """The submitted inputs by block; an input missing from a forged body reads as empty."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    if not isinstance(values, dict):
        return {}
    return {
        block: (elements.get("value") or {}) if isinstance(elements, dict) else {}
        for block, elements in values.items()
    }


def register(app: AsyncApp, runtime_of: Any) -> None:
    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        tab = event.get("tab", "home")
        if not isinstance(event.get("user"), str):
            return  # Slack always says whose Home it is; without it there is no one to show
        if tab == "home":
            await publish(runtime_of(), client, team_of(body), str(event["user"]))
        elif tab == "messages" and event.get("channel"):
            # The agent experience's Messages tab: a greeting with prompts from their day.
            await greet(runtime_of(), client, team_of(body), str(event["user"]), event["channel"])

    @app.action("coworker_home_key")
    async def on_key(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        if body.get("trigger_id"):  # a press always carries one; a forged body may not
            await client.views_open(trigger_id=str(body["trigger_id"]), view=key_modal())

    @app.action("coworker_home_summary")
    async def on_summary(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        runtime = runtime_of()
        user = await slack_user(runtime, team_of(body), str(body["user"]["id"]))
        await client.views_open(trigger_id=body["trigger_id"], view=summary_modal(user))

    @app.view(KEY_MODAL)
    async def on_key_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        runtime = runtime_of()
        slack_user_id = str(body["user"]["id"])
        key = str(_state(body).get("key", {}).get("value") or "").strip()
        user = await slack_user(runtime, team_of(body), slack_user_id)
        try:
            await runtime.connect_key(user, key)
        except DialsheetKeyRejected as error:
            await ack(response_action="errors", errors={"key": error.message})
            return
        except DialsheetError:
            log.warning("slack: could not check a Dialsheet key (CRM unreachable)")
            await ack(
                response_action="errors",
                errors={"key": "Could not reach Dialsheet to check this key; try again."},
            )
            return
        await ack()
        await publish(runtime, client, team_of(body), slack_user_id)

    @app.view(SUMMARY_MODAL)
    async def on_summary_submit(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        runtime = runtime_of()
        state = _state(body)
        errors: dict[str, str] = {}
        fields: dict[str, Any] = {
            "summary_enabled": bool(state.get("enabled", {}).get("selected_options"))
        }
        days = [o["value"] for o in state.get("weekdays", {}).get("selected_options") or []]
        place = (state.get("channel", {}).get("selected_option") or {}).get("value")
        for block, field, check, raw in (
            (
                "timezone",
                "timezone",
                preferences.check_timezone,
                state.get("timezone", {}).get("value"),
            ),
            (
                "time",
                "summary_time",
                preferences.check_time,
                state.get("time", {}).get("selected_time"),
            ),
            ("weekdays", "summary_weekdays", preferences.check_weekdays, ",".join(days)),
            ("channel", "summary_channel", preferences.check_channel, place or "slack"),
        ):
            try:
                fields[field] = check(str(raw or ""))
            except preferences.InvalidSetting as error:
                errors[block] = error.message
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        slack_user_id = str(body["user"]["id"])
        user = await slack_user(runtime, team_of(body), slack_user_id)
        await runtime.store.update_user(user.id, **fields)
        await publish(runtime, client, team_of(body), slack_user_id)
