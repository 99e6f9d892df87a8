"""The Slack channel end to end: signed requests in, a mock Slack Web API out."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from coworker.channels.slack.context import InFlight
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS
from tests.channels.slack.conftest import JANE, SlackClient
from tests.channels.slack.mock_slack import TEAM, MockSlack

S = ScriptedModel
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}


def _texts(slack: MockSlack) -> list[str]:
    """Every reply text in the threads: streamed, edited in place, or posted."""
    posted = [
        str(c.get("text", "")) for m in ("chat.update", "chat.postMessage") for c in slack.of(m)
    ]
    return posted + list(slack.streams().values())


def _card(slack: MockSlack) -> tuple[str, dict[str, Any]]:
    """The approval card posted in the thread: its action id and where it is."""

    def find(s: MockSlack) -> Any:
        for call in s.of("chat.postMessage"):
            for block in call.get("blocks") or []:
                if block.get("type") == "actions":
                    return call, block
        return None

    call, block = slack.wait_for(find, what="an approval card")
    where = {"channel": call["channel"], "ts": "1700000000.999999", "thread_ts": call["thread_ts"]}
    return block["elements"][0]["value"], where


def _email_card(client: SlackClient) -> tuple[str, dict[str, Any]]:
    assert client.dm("email Jane about pricing").status_code == 200
    return _card(client.slack)


def test_dm_gets_a_status_then_a_streamed_reply_in_its_thread(serve: Any) -> None:
    client = serve(
        [S.tool_calls(("search_leads", {"search": "jane"})), S.text("**Jane** is at Acme.")]
    )
    answer = client.dm("who is jane?")
    assert answer.status_code == 200
    slack = client.slack
    (stop,) = slack.wait_for(lambda s: s.of("chat.stopStream"), what="the end of the stream")
    (status,) = slack.of("assistant.threads.setStatus")
    assert status["channel_id"] == "D1" and status["thread_ts"] == "1699999999.000100"
    (start,) = slack.of("chat.startStream")
    assert start["thread_ts"] == "1699999999.000100" and start["channel"] == "D1"
    assert start["recipient_user_id"] == "U1" and start["recipient_team_id"] == TEAM
    assert slack.streams() == {stop["ts"]: "**Jane** is at Acme."}  # Markdown, as streamed
    context, feedback = stop["blocks"][-2:]  # the tool line, then the feedback buttons
    assert context["type"] == "context" and "search_leads" in context["elements"][0]["text"]
    assert feedback["type"] == "context_actions"
    assert slack.of("chat.postMessage") == []  # no placeholder where the status works
    assert slack.of("auth.test")  # bolt's single-team authorization, against the mock


def test_without_ai_features_a_placeholder_is_edited_into_the_reply(serve: Any) -> None:
    client = serve(
        [
            S.tool_calls(("search_leads", {"search": "jane"})),
            S.text("**Jane** is at Acme."),
            S.text("Again."),
        ]
    )
    slack = client.slack
    slack.ai_features = False
    assert client.dm("who is jane?").status_code == 200
    slack.wait_for(lambda s: "*Jane* is at Acme." in _texts(s), what="the reply")
    (status,) = slack.of("chat.postMessage")
    assert status["thread_ts"] == "1699999999.000100" and status["channel"] == "D1"
    assert status["text"] == "_Working on it…_"
    *previews, update = slack.of("chat.update")  # the placeholder, edited in place
    assert update["text"] == "*Jane* is at Acme." and len(previews) <= 1
    assert len({u["ts"] for u in slack.of("chat.update")}) == 1
    context, feedback = update["blocks"][-2:]
    assert context["type"] == "context" and "search_leads" in context["elements"][0]["text"]
    assert feedback["type"] == "context_actions"
    refused = len(slack.of("assistant.threads.setStatus")) + len(slack.of("chat.startStream"))
    assert refused == 2 and len(slack.of("agents.sessions.setStatus")) == 1
    # the refusals are remembered: the next message does not ask again
    assert client.dm("again", ts="1699999999.000200").status_code == 200
    slack.wait_for(lambda s: "Again." in _texts(s), what="the second reply")
    again = len(slack.of("assistant.threads.setStatus")) + len(slack.of("chat.startStream"))
    assert again == refused


def test_a_stream_slack_ends_half_way_goes_on_in_a_new_message_losing_nothing(
    serve: Any,
) -> None:
    """Slack ends a stream after about five minutes (appends then fail with
    `message_not_in_streaming_state`): the reply continues in a new streamed message, and
    the messages together say the whole reply once."""
    long_reply = " ".join(f"Word{i}" for i in range(600))  # three pieces
    client = serve([S.text(long_reply)])
    client.slack.break_stream_after = 0  # each stream is over before its first append
    assert client.dm("tell me a lot").status_code == 200
    slack = client.slack
    slack.wait_for(lambda s: s.of("chat.stopStream"), what="the end of the reply")
    starts = slack.of("chat.startStream")
    assert len(starts) >= 2 and all(s["thread_ts"] == "1699999999.000100" for s in starts)
    streamed = slack.streams()
    said = "".join(streamed[start["_answered_ts"]] for start in starts)
    said += "".join(m["text"] for m in slack.of("chat.postMessage"))  # a tail after the last
    assert said.split() == long_reply.split()  # everything, once, in order


def test_mention_replies_in_its_thread_and_continues_it(serve: Any) -> None:
    client = serve([S.text("Hello there."), S.text("Still here.")])
    mention = {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "text": "<@UBOT> hi",
        "ts": "1700000001.000001",
    }
    assert client.event(mention).status_code == 200
    client.slack.wait_for(lambda s: "Hello there." in _texts(s), what="the reply")
    assert client.slack.of("chat.startStream")[0]["thread_ts"] == "1700000001.000001"
    follow_up = {**mention, "ts": "1700000002.000001", "thread_ts": "1700000001.000001"}
    assert client.event(follow_up).status_code == 200
    client.slack.wait_for(lambda s: "Still here." in _texts(s), what="the follow-up")
    # the model saw one conversation: the first exchange, then the follow-up
    assert len(client.model.requests[1].messages) == 3
    assert client.model.requests[1].messages[0]["content"][0]["text"] == "hi"


def test_the_same_event_three_times_and_its_twin_get_one_reply(serve: Any) -> None:
    client = serve([S.text("Once.")])
    for attempt in range(3):
        answer = client.dm("hello", event_id="EvSAME", **{})
        assert answer.status_code == 200, attempt
    # the app_mention twin of the same message (same channel and ts, another event id)
    twin = {"type": "app_mention", "channel": "D1", "user": "U1", "text": "<@UBOT> hello"}
    client.event({**twin, "ts": "1699999999.000100"})
    client.slack.wait_for(lambda s: "Once." in _texts(s), what="the reply")
    time.sleep(0.3)  # give any duplicate the chance to show itself
    assert len(client.slack.of("assistant.threads.setStatus")) == 1
    assert len(client.slack.of("chat.startStream")) == 1
    assert client.model.remaining == 0 and len(client.model.requests) == 1


def test_bad_or_stale_signature_is_refused_and_nothing_runs(serve: Any) -> None:
    client = serve([])
    assert client.dm("hi", secret="wrong-secret").status_code == 401
    assert client.dm("hi", timestamp=int(time.time()) - 3600).status_code == 401
    time.sleep(0.3)
    assert client.slack.of("chat.postMessage") == [] and client.model.requests == []


def test_approve_by_the_requester_sends_exactly_one_email(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    action_id, card = _email_card(client)
    blocks = client.slack.of("chat.postMessage")[-1]["blocks"]
    shown = blocks[0]["text"]["text"]
    assert "jane@acme.com" in shown and "Pricing" in shown and "here is our pricing" in shown
    styles = {e["action_id"]: e.get("style") for e in blocks[-1]["elements"]}
    assert styles == {
        "coworker_approve": "primary",
        "coworker_edit": None,
        "coworker_cancel": "danger",
    }
    assert client.outbox() == []
    assert client.click("approve", action_id, "U1", card).status_code == 200
    client.slack.wait_for(lambda s: "Sent it." in _texts(s), what="the reply after approval")
    (email,) = client.outbox()
    assert email["subject"] == "Pricing"
    outcome = next(u for u in client.slack.of("chat.update") if u["ts"] == card["ts"])
    assert all(b["type"] != "actions" for b in outcome["blocks"])
    assert "Sent." in outcome["blocks"][-1]["elements"][0]["text"]


def test_approve_by_someone_else_is_refused_and_sends_nothing(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL))])
    action_id, card = _email_card(client)
    client.click("approve", action_id, "U2", card)
    (ephemeral,) = client.slack.wait_for(lambda s: s.of("chat.postEphemeral"), what="ephemeral")
    assert ephemeral["user"] == "U2" and ephemeral["text"] == "Only <@U1> can decide this."
    time.sleep(0.3)
    assert client.outbox() == []
    assert not [u for u in client.slack.of("chat.update") if u["ts"] == card["ts"]]


def test_a_double_approve_sends_once(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    action_id, card = _email_card(client)
    client.click("approve", action_id, "U1", card)
    client.click("approve", action_id, "U1", card)
    client.slack.wait_for(lambda s: "Sent it." in _texts(s), what="the reply")
    client.slack.wait_for(
        lambda s: len([u for u in s.of("chat.update") if u["ts"] == card["ts"]]) >= 2,
        what="the second click's card update",
    )
    assert len(client.outbox()) == 1
    assert client.model.remaining == 0


def test_edit_modal_sends_the_edited_email(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent the edited one.")])
    action_id, card = _email_card(client)
    client.click("edit", action_id, "U1", card)
    (opened,) = client.slack.wait_for(lambda s: s.of("views.open"), what="the edit modal")
    view = opened["view"]
    initial = {b["block_id"]: b["element"]["initial_value"] for b in view["blocks"]}
    assert initial == {"subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
    values = {
        "subject": {"value": {"type": "plain_text_input", "value": "New pricing"}},
        "body_text": {"value": {"type": "plain_text_input", "value": "Edited body."}},
    }
    assert client.submit(view, "U1", values).status_code == 200
    client.slack.wait_for(lambda s: "Sent the edited one." in _texts(s), what="the reply")
    (email,) = client.outbox()
    assert email["subject"] == "New pricing" and email["body_text"] == "Edited body."


def test_cancel_sends_nothing_and_says_so(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("OK, I did not send it.")])
    action_id, card = _email_card(client)
    client.click("cancel", action_id, "U1", card)
    (opened,) = client.slack.wait_for(lambda s: s.of("views.open"), what="the cancel modal")
    values = {"reason": {"value": {"type": "plain_text_input", "value": "too pushy"}}}
    assert client.submit(opened["view"], "U1", values).status_code == 200
    client.slack.wait_for(lambda s: "OK, I did not send it." in _texts(s), what="the reply")
    outcome = next(u for u in client.slack.of("chat.update") if u["ts"] == card["ts"])
    said = outcome["blocks"][-1]["elements"][0]["text"]
    assert "Cancelled: too pushy" in said and "by <@U1>" in said
    assert client.outbox() == []


def _home_submit(client: SlackClient, key: str) -> Any:
    view = {"callback_id": "coworker_key_modal", "type": "modal", "private_metadata": ""}
    values = {"key": {"value": {"type": "plain_text_input", "value": key}}}
    return client.submit(view, "U1", values)


def test_app_home_connects_a_valid_key_and_rejects_an_invalid_one(serve: Any) -> None:
    client = serve([])
    client.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (home,) = client.slack.wait_for(lambda s: s.of("views.publish"), what="the home view")
    assert "not connected" in home["view"]["blocks"][1]["text"]["text"]
    assert "America/New_York" in home["view"]["blocks"][2]["text"]["text"]  # from users.info

    refused = _home_submit(client, "ds_not_a_real_key_0000000000")
    assert refused.status_code == 200
    assert refused.json()["response_action"] == "errors" and "key" in refused.json()["errors"]

    accepted = _home_submit(client, DEMO_USERS[1].key)
    assert accepted.status_code == 200 and accepted.text == ""
    published = client.slack.wait_for(
        lambda s: [p for p in s.of("views.publish") if "connected (" in str(p["view"])],
        what="the home view with the key connected",
    )
    assert DEMO_USERS[1].key not in str(published)


def test_url_verification_is_answered_with_the_challenge(serve: Any) -> None:
    client = serve([])
    body = '{"type": "url_verification", "token": "t", "challenge": "c-123"}'
    answer = client.signed(body, "application/json")
    assert answer.status_code == 200 and answer.json() == {"challenge": "c-123"}
    assert client.signed(body, "application/json", secret="wrong").status_code == 401


def test_app_home_sets_the_daily_summary_days_time_and_place(serve: Any) -> None:
    client = serve([])
    client.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (home,) = client.slack.wait_for(lambda s: s.of("views.publish"), what="the home view")
    # someone met in Slack gets summaries in Slack, on weekdays, by default
    assert "on at 08:30, weekdays, here in Slack" in str(home["view"])
    view = {"callback_id": "coworker_summary_modal", "type": "modal", "private_metadata": ""}

    def values(days: list[str], place: str, tz: str = "Europe/Paris") -> dict[str, Any]:
        return {
            "timezone": {"value": {"type": "plain_text_input", "value": tz}},
            "enabled": {"value": {"type": "checkboxes", "selected_options": [{"value": "on"}]}},
            "time": {"value": {"type": "timepicker", "selected_time": "07:45"}},
            "weekdays": {
                "value": {"type": "checkboxes", "selected_options": [{"value": d} for d in days]}
            },
            "channel": {"value": {"type": "radio_buttons", "selected_option": {"value": place}}},
        }

    refused = client.submit(view, "U1", values([], "both", tz="Mars/Olympus"))
    assert refused.json()["response_action"] == "errors"
    assert set(refused.json()["errors"]) == {"timezone", "weekdays"}
    assert client.submit(view, "U1", values(["sat", "mon"], "both")).status_code == 200
    published = client.slack.wait_for(
        lambda s: [p for p in s.of("views.publish") if "07:45" in str(p["view"])],
        what="the home view with the new settings",
    )
    assert "on at 07:45, Mon Sat, Slack and web" in str(published[-1]["view"])
    assert "Europe/Paris" in str(published[-1]["view"])


def test_a_timestamp_that_is_not_a_number_is_refused(serve: Any) -> None:
    client = serve([])
    body = '{"type": "event_callback", "event": {"type": "message"}}'
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": "not-a-number",
        "X-Slack-Signature": "v0=00",
    }
    answer = client.http.post("/slack/events", content=body, headers=headers)
    assert answer.status_code == 401


async def test_shutdown_lets_replies_in_progress_finish_and_cancels_stragglers() -> None:
    inflight = InFlight()
    finished: list[str] = []

    async def reply(name: str, seconds: float) -> None:
        async with inflight.track():
            await asyncio.sleep(seconds)
            finished.append(name)

    quick = asyncio.create_task(reply("quick", 0.2))
    slow = asyncio.create_task(reply("slow", 30))
    await asyncio.sleep(0.05)
    assert len(inflight.tasks) == 2
    await inflight.drain(grace_s=1.0)
    assert finished == ["quick"] and quick.done() and slow.cancelled()
    assert inflight.tasks == set()
