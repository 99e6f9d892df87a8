"""Limits that must hold: the pending cap, paging, status filters, rate limits, long histories."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.attacks.conftest import Server, auth, config_aliases, mcp_calls, new_user

DEFAULT_CAP = 50


def _cap() -> int:
    return DEFAULT_CAP


def _pending(server: Server, user: str) -> list[dict[str, Any]]:
    return server.actions(user, status="pending")


def test_pending_cap_holds_under_a_concurrent_web_and_mcp_burst(server: Server) -> None:
    """60 MCP proposals and 20 web chats at once for one person: pending never exceeds the cap."""
    user = new_user("cap")
    lead = server.new_lead()
    burst = [("send_sms", {"lead_id": lead["id"], "message": f"burst {i}"}) for i in range(60)]

    def web(i: int) -> int:
        answer = httpx.post(
            server.url + "/api/chat",
            headers=auth(user),
            timeout=120,
            json={"message": f"text {lead['name']}: web burst {i}"},
        )
        return answer.status_code

    with ThreadPoolExecutor(8) as pool:
        webs = pool.map(web, range(20))
        mcp_calls(server.url, user, burst)
        codes = list(webs)
    assert all(code < 500 for code in codes), codes
    count = len(_pending(server, user))
    assert count <= _cap(), f"{count} pending actions for one person (cap {_cap()})"


def _seed_actions(server: Server, user: str, n: int) -> list[str]:
    """One real card, then n-1 copies of its row (decided, so no cap applies)."""
    lead = server.new_lead()
    card = server.propose(user, f"text {lead['name']}: seed")
    with server.store_db() as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(pending_actions)")]
        picks = []
        for column in columns:
            if column == "id":
                picks.append(
                    "lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-'||"
                    "hex(randomblob(2))||'-'||hex(randomblob(2))||'-'||hex(randomblob(6)))"
                )
            elif column == "tool_use_id":
                picks.append("'toolu_seed_'||lower(hex(randomblob(8)))")
            elif column == "status":
                picks.append("'rejected'")
            else:
                picks.append(column)
        select = ", ".join(picks)
        db.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < {n - 1}) "
            f"INSERT INTO pending_actions ({', '.join(columns)}) "
            f"SELECT {select} FROM pending_actions, n WHERE pending_actions.id = ?",
            (card["id"],),
        )
    return [card["id"]]


@pytest.fixture(scope="module")
def many(server: Server) -> str:
    user = new_user("many")
    _seed_actions(server, user, 600)
    return user


def test_list_actions_default_page_is_bounded(server: Server, many: str) -> None:
    """600 actions: GET /api/actions answers one bounded page, not everything."""
    answer = httpx.get(server.url + "/api/actions", headers=auth(many), timeout=60)
    assert answer.status_code == 200
    assert len(answer.json()["actions"]) < 600


@pytest.mark.parametrize(
    "limit", ["-1", "0", "1000000000000", "abc", "1.5", "1e3", "%00", "9" * 400]
)
def test_list_actions_bad_limits(server: Server, many: str, limit: str) -> None:
    """Negative, zero, huge, garbage limits: 4xx, or a page no bigger than the maximum."""
    answer = httpx.get(
        f"{server.url}/api/actions?status=rejected&limit={limit}", headers=auth(many), timeout=60
    )
    assert answer.status_code < 500, answer.text[:200]
    if answer.status_code == 200:
        assert len(answer.json()["actions"]) < 600


@pytest.mark.parametrize(
    "cursor", ["zzz", "' OR 1=1 --", "eyJpZCI6ICIxIn0", "A" * 5000, "%ff", "null", "-1"]
)
def test_list_actions_garbage_cursors(server: Server, many: str, cursor: str) -> None:
    """Garbage, SQL-ish, base64-JSON and huge cursors: 4xx (or empty page), never 500."""
    answer = httpx.get(
        f"{server.url}/api/actions", params={"cursor": cursor}, headers=auth(many), timeout=60
    )
    assert answer.status_code < 500, answer.text[:200]
    if answer.status_code >= 400:
        assert "error" in answer.json()


def test_walking_every_page_lists_each_action_exactly_once(server: Server, many: str) -> None:
    """Following the cursor lists all 600 actions, each once, and never another person's."""
    seen = server.actions(many, status=None)
    ids = [a["id"] for a in seen]
    assert len(ids) == len(set(ids)) == 600, (len(ids), len(set(ids)))


def test_another_persons_cursor_shows_none_of_their_actions(server: Server, many: str) -> None:
    """A cursor taken from A's listing, replayed by B: B sees none of A's actions."""
    first = httpx.get(server.url + "/api/actions", headers=auth(many), timeout=60).json()
    cursor = next((v for k, v in first.items() if "cursor" in k and v), None)
    if cursor is None:
        pytest.fail("no cursor offered for 600 actions: GET /api/actions has no paging")
    other = new_user("thief")
    answer = httpx.get(
        server.url + "/api/actions", params={"cursor": cursor}, headers=auth(other), timeout=60
    )
    assert answer.status_code < 500
    if answer.status_code == 200:
        assert answer.json()["actions"] == []


@pytest.mark.parametrize("status", ["all", "ALL", "bogus", "pending' OR '1'='1", "", "pending,all"])
def test_status_filter_values(server: Server, status: str) -> None:
    """status=all lists every status (as the CLI does); unknown statuses are 422, never 500."""
    user = new_user("status")
    lead = server.new_lead()
    first = server.propose(user, f"text {lead['name']}: one")
    httpx.post(
        f"{server.url}/api/actions/{first['id']}/reject", json={}, headers=auth(user), timeout=60
    )
    server.propose(user, f"text {lead['name']}: two")
    answer = httpx.get(
        server.url + "/api/actions", params={"status": status}, headers=auth(user), timeout=60
    )
    assert answer.status_code < 500, answer.text[:200]
    if status == "" and answer.status_code == 422:
        return
    if status in ("all", ""):
        assert answer.status_code == 200
        assert {a["status"] for a in answer.json()["actions"]} == {"pending", "rejected"}
    elif status != "ALL":
        assert answer.status_code == 422, f"{status!r}: {answer.status_code} {answer.text[:200]}"
        assert "error" in answer.json()


def test_list_conversations_is_paged(server: Server) -> None:
    """300 conversations: GET /api/conversations answers a bounded page."""
    user = new_user("convs")
    reply = server.chat(user, "hi")
    with server.store_db() as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(conversations)")]
        picks = [
            (
                "lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-'||hex(randomblob(2))||'-'||"
                "hex(randomblob(2))||'-'||hex(randomblob(6)))"
            )
            if c == "id"
            else ("'seed-'||lower(hex(randomblob(8)))" if c == "external_key" else c)
            for c in columns
        ]
        db.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 299) "
            f"INSERT INTO conversations ({', '.join(columns)}) SELECT {', '.join(picks)} "
            f"FROM conversations, n WHERE conversations.id = ?",
            (reply["conversation_id"],),
        )
    answer = httpx.get(server.url + "/api/conversations", headers=auth(user), timeout=60)
    assert answer.status_code == 200
    assert len(answer.json()["conversations"]) < 300


def test_a_20k_message_conversation_first_page_is_bounded(server: Server) -> None:
    """20,000 messages: the conversation's first page is bounded and a new turn still works."""
    user = new_user("long")
    reply = server.chat(user, "hello")
    conversation = reply["conversation_id"]
    with server.store_db() as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(messages)")]
        top = db.execute(
            "SELECT max(seq) FROM messages WHERE conversation_id=?", (conversation,)
        ).fetchone()[0]
        picks = []
        for column in columns:
            picks.append(
                {"id": "NULL", "seq": f"{top}+n.i*2+(m.seq % 2)"}.get(column, f"m.{column}")
            )
        db.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 10000) "
            f"INSERT INTO messages ({', '.join(columns)}) SELECT {', '.join(picks)} "
            f"FROM messages m, n WHERE m.conversation_id = ? AND m.seq IN "
            f"(SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT 2)",
            (conversation, conversation),
        )
        total = db.execute(
            "SELECT count(*) FROM messages WHERE conversation_id=?", (conversation,)
        ).fetchone()[0]
    assert total >= 20_000
    page = httpx.get(
        f"{server.url}/api/conversations/{conversation}", headers=auth(user), timeout=60
    )
    assert page.status_code == 200
    assert len(page.json()["messages"]) <= 1000, len(page.json()["messages"])
    assert len(page.content) < 2_000_000
    assert server.chat(user, "hi again", conversation)["reply"]


def test_chat_rate_limit_is_shared_by_two_replicas(pg_replicas: list[Server]) -> None:
    """40 messages from one person alternating between two PostgreSQL replicas: at most 30 pass."""
    user = new_user("rate")
    pg_replicas[0].connect_key(user)
    codes = []
    for i in range(40):
        replica = pg_replicas[i % 2]
        answer = httpx.post(
            replica.url + "/api/chat", json={"message": "hi"}, headers=auth(user), timeout=60
        )
        codes.append(answer.status_code)
        if answer.status_code == 429:
            assert int(answer.headers["Retry-After"]) >= 1
            assert "error" in answer.json()
    assert codes.count(200) <= 30, f"{codes.count(200)} messages in a minute over two replicas"
    assert set(codes) <= {200, 429}


def test_rate_limit_of_one_person_does_not_starve_another(pg_replicas: list[Server]) -> None:
    """A second person on the other replica is unaffected by the first one's limit."""
    other = new_user("rate2")
    pg_replicas[1].connect_key(other)
    answer = httpx.post(
        pg_replicas[1].url + "/api/chat", json={"message": "hi"}, headers=auth(other), timeout=60
    )
    assert answer.status_code == 200


def test_known_settings_are_documented() -> None:
    """Every setting the service reads is in the README's configuration table."""
    readme = (__import__("pathlib").Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [
        name
        for name in config_aliases()
        if name not in readme and not name.startswith("COWORKER_SANDBOX_")
    ]
    assert not missing, missing
    assert json.dumps(re.findall("x", "x"))
