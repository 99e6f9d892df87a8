"""The sandbox answers as the contract and the public API docs say."""

from __future__ import annotations

import uuid

import httpx

from tests.sandbox.conftest import ALEX, JORDAN, SAM, auth

A = auth(ALEX)


async def test_docs_example_search_acme_new(crm: httpx.AsyncClient) -> None:
    response = await crm.get("/api/v1/leads", params={"search": "acme", "status": "new"}, headers=A)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"leads", "total"}
    assert body["total"] == len(body["leads"]) >= 3
    assert all(lead["status"] == "new" for lead in body["leads"])
    assert all("acme" in (lead["company"] + lead["email"]).lower() for lead in body["leads"])
    assert "Jane Smith" in {lead["name"] for lead in body["leads"]}


async def test_missing_or_unknown_key_is_401(crm: httpx.AsyncClient) -> None:
    for headers in ({}, {"Authorization": "Bearer ds_nope"}, {"Authorization": "Basic abc"}):
        response = await crm.get("/api/v1/leads", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized"}


async def test_search_is_case_insensitive_over_name_email_company_phone(
    crm: httpx.AsyncClient,
) -> None:
    for needle in ("JANE SMITH", "jane@ACME.com", "acme corp", "555-000-1234"):
        body = (await crm.get("/api/v1/leads", params={"search": needle}, headers=A)).json()
        assert "Jane Smith" in {lead["name"] for lead in body["leads"]}, needle


async def test_pagination_totals_and_limits(crm: httpx.AsyncClient) -> None:
    first = (await crm.get("/api/v1/leads", params={"limit": 100}, headers=A)).json()
    total = first["total"]
    assert total >= 150
    seen = {lead["id"] for lead in first["leads"]}
    page = 2
    while len(seen) < total:
        body = (
            await crm.get("/api/v1/leads", params={"limit": 100, "page": page}, headers=A)
        ).json()
        assert body["total"] == total
        assert body["leads"], "a page came back empty before all leads were seen"
        seen |= {lead["id"] for lead in body["leads"]}
        page += 1
    assert len(seen) == total
    too_big = await crm.get("/api/v1/leads", params={"limit": 101}, headers=A)
    assert too_big.status_code == 400
    assert "limit" in too_big.json()["error"]


async def test_other_organisations_lead_is_404(crm: httpx.AsyncClient) -> None:
    globex = (
        await crm.get("/api/v1/leads", params={"search": "jane smith"}, headers=auth(JORDAN))
    ).json()
    theirs = globex["leads"][0]["id"]
    response = await crm.get(f"/api/v1/leads/{theirs}", headers=A)
    assert response.status_code == 404
    assert response.json() == {"error": "Lead not found"}
    ours = (await crm.get("/api/v1/leads", params={"search": "jane smith"}, headers=A)).json()
    assert theirs not in {lead["id"] for lead in ours["leads"]}


async def test_lead_lifecycle_matches_docs_examples(crm: httpx.AsyncClient) -> None:
    created = await crm.post(
        "/api/v1/leads",
        headers=A,
        json={
            "name": "Jane Smith",
            "email": "jane@acme.com",
            "company": "Acme",
            "phone": "+1-555-000-1234",
        },
    )
    assert created.status_code == 201
    lead = created.json()["lead"]
    assert lead["status"] == "new" and lead["owner_id"] == ALEX.id
    updated = await crm.put(f"/api/v1/leads/{lead['id']}", headers=A, json={"status": "qualified"})
    assert updated.status_code == 200 and updated.json()["lead"]["status"] == "qualified"
    detail = (await crm.get(f"/api/v1/leads/{lead['id']}", headers=A)).json()["lead"]
    assert {"recent_notes", "open_tasks", "recent_calls", "opportunities"} <= set(detail)
    deleted = await crm.delete(f"/api/v1/leads/{lead['id']}", headers=A)
    assert deleted.json() == {"deleted": True, "id": lead["id"]}
    assert (await crm.get(f"/api/v1/leads/{lead['id']}", headers=A)).status_code == 404


async def test_validation_errors_are_400_with_the_error_wrapper(crm: httpx.AsyncClient) -> None:
    cases = [
        ("POST", "/api/v1/leads", {"email": "x@y.z"}),  # name missing
        ("POST", "/api/v1/leads", {"name": "A", "status": "hot"}),  # unknown status
        ("POST", "/api/v1/leads", {"name": "A", "favourite_colour": "red"}),  # unknown field
        ("PUT", f"/api/v1/leads/{uuid.uuid4()}", {}),  # nothing to change
        ("POST", "/api/v1/tasks", {"title": "x", "due_date": "tomorrow"}),
        ("GET", "/api/v1/leads/not-a-uuid", None),
    ]
    for method, path, body in cases:
        response = await crm.request(method, path, headers=A, json=body)
        assert response.status_code == 400, (method, path, response.text)
        assert isinstance(response.json()["error"], str) and response.json()["error"]
    garbage = await crm.post(
        "/api/v1/leads", headers=A | {"Content-Type": "application/json"}, content=b"{nope"
    )
    assert garbage.status_code == 400 and "JSON" in garbage.json()["error"]


async def test_email_goes_to_the_outbox_from_an_own_mailbox_only(crm: httpx.AsyncClient) -> None:
    mailboxes = (await crm.get("/api/v1/email-accounts", headers=A)).json()
    assert (
        mailboxes["total"] == 2 and sum(m["is_default"] for m in mailboxes["email_accounts"]) == 1
    )
    before = (await crm.get("/api/v1/emails", headers=A)).json()["total"]
    sent = await crm.post(
        "/api/v1/emails",
        headers=A,
        json={
            "email_account_id": mailboxes["email_accounts"][0]["id"],
            "to_email": "prospect@company.com",
            "subject": "Quick intro",
            "body_text": "Hi, just reaching out...",
        },
    )
    assert sent.status_code == 201
    email = sent.json()["email"]
    assert (
        email["status"] == "sent" and email["from_email"] == mailboxes["email_accounts"][0]["email"]
    )
    history = (await crm.get("/api/v1/emails", headers=A)).json()
    assert history["total"] == before + 1 and history["emails"][0]["id"] == email["id"]
    sams_mailbox = (await crm.get("/api/v1/email-accounts", headers=auth(SAM))).json()[
        "email_accounts"
    ][0]
    stolen = await crm.post(
        "/api/v1/emails",
        headers=A,
        json={
            "email_account_id": sams_mailbox["id"],
            "to_email": "a@b.co",
            "subject": "s",
            "body_text": "b",
        },
    )
    assert stolen.status_code == 404 and "Email account" in stolen.json()["error"]


async def test_sms_needs_a_phone_and_lands_in_history(crm: httpx.AsyncClient) -> None:
    leads = (await crm.get("/api/v1/leads", params={"limit": 100}, headers=A)).json()["leads"]
    phoneless = next(lead for lead in leads if not lead["phone"])
    refused = await crm.post(
        "/api/v1/sms", headers=A, json={"lead_id": phoneless["id"], "message": "hi"}
    )
    assert refused.status_code == 400 and "phone" in refused.json()["error"]
    jane = next(lead for lead in leads if lead["name"] == "Jane Smith")
    sent = await crm.post(
        "/api/v1/sms", headers=A, json={"lead_id": jane["id"], "message": "Running 5 min late"}
    )
    assert sent.status_code == 201 and sent.json()["sms"]["to_phone"] == jane["phone"]
    history = (await crm.get("/api/v1/sms", params={"lead_id": jane["id"]}, headers=A)).json()
    assert sent.json()["sms"]["id"] in {s["id"] for s in history["sms"]}


async def test_tasks_filters_and_completion(crm: httpx.AsyncClient) -> None:
    open_tasks = (
        await crm.get("/api/v1/tasks", params={"completed": "false", "limit": 100}, headers=A)
    ).json()
    assert open_tasks["total"] > 0 and not any(t["completed"] for t in open_tasks["tasks"])
    done = (
        await crm.get("/api/v1/tasks", params={"completed": "true", "limit": 100}, headers=A)
    ).json()
    assert done["total"] > 0 and all(t["completed"] and t["completed_at"] for t in done["tasks"])
    everything = (await crm.get("/api/v1/tasks", params={"limit": 1}, headers=A)).json()["total"]
    assert everything == open_tasks["total"] + done["total"]
    task = open_tasks["tasks"][0]
    completed = (
        await crm.put(f"/api/v1/tasks/{task['id']}", headers=A, json={"completed": True})
    ).json()
    assert completed["task"]["completed"] and completed["task"]["completed_at"]
    # Tasks are personal: Sam cannot see or change Alex's task.
    assert (
        await crm.put(f"/api/v1/tasks/{task['id']}", headers=auth(SAM), json={"completed": False})
    ).status_code == 404
    created = await crm.post(
        "/api/v1/tasks",
        headers=A,
        json={
            "title": "Follow up with Jane",
            "due_date": "2026-03-20T10:00:00Z",
            "priority": "high",
        },
    )
    assert (
        created.status_code == 201 and created.json()["task"]["due_date"] == "2026-03-20T10:00:00Z"
    )


async def test_notes_calls_deals_and_filters(crm: httpx.AsyncClient) -> None:
    jane = (await crm.get("/api/v1/leads", params={"search": "jane@acme.com"}, headers=A)).json()[
        "leads"
    ][0]
    note = await crm.post(
        "/api/v1/notes",
        headers=A,
        json={
            "lead_id": jane["id"],
            "content": "Spoke for 10 min, very interested",
            "outcome": "interested",
        },
    )
    assert note.status_code == 201 and note.json()["note"]["outcome"] == "interested"
    notes = (await crm.get("/api/v1/notes", params={"lead_id": jane["id"]}, headers=A)).json()
    assert all(n["lead_id"] == jane["id"] for n in notes["notes"]) and notes["total"] >= 1
    calls = (await crm.get("/api/v1/calls", params={"limit": 5}, headers=A)).json()
    assert len(calls["calls"]) == 5 and calls["total"] > 5
    assert (await crm.post("/api/v1/calls", headers=A, json={})).status_code == 405
    deal = await crm.post(
        "/api/v1/opportunities",
        headers=A,
        json={"lead_id": jane["id"], "value": 12000, "stage": "proposal"},
    )
    assert deal.status_code == 201 and deal.json()["opportunity"]["name"].endswith("deal")
    proposals = (
        await crm.get(
            "/api/v1/opportunities", params={"stage": "proposal", "limit": 100}, headers=A
        )
    ).json()
    assert deal.json()["opportunity"]["id"] in {d["id"] for d in proposals["opportunities"]}
    assert all(d["stage"] == "proposal" for d in proposals["opportunities"])
    moved = await crm.put(
        f"/api/v1/opportunities/{deal.json()['opportunity']['id']}",
        headers=A,
        json={"stage": "negotiation"},
    )
    assert moved.json()["opportunity"]["stage"] == "negotiation"


async def test_tags_and_sequences(crm: httpx.AsyncClient) -> None:
    tags = (await crm.get("/api/v1/tags", headers=A)).json()
    assert tags["total"] == len(tags["tags"]) > 0
    created = await crm.post(
        "/api/v1/tags", headers=A, json={"name": "q4-push", "color": "#ff8800"}
    )
    assert created.status_code == 201
    duplicate = await crm.post("/api/v1/tags", headers=A, json={"name": "Q4-PUSH"})
    assert duplicate.status_code == 409 and "already exists" in duplicate.json()["error"]
    # beyond ASCII too (found by Schemathesis: SQLite's lower() folds ASCII only)
    codes = [
        (await crm.post("/api/v1/tags", headers=A, json={"name": name})).status_code
        for name in ("\u00adÝ", "\u00adÝ", "\u00adý")
    ]
    assert codes == [201, 409, 409]
    sequences = (await crm.get("/api/v1/sequences", headers=A)).json()
    assert sequences["total"] == 3
    lead = (await crm.get("/api/v1/leads", params={"status": "new"}, headers=A)).json()["leads"][0]
    path = f"/api/v1/sequences/{sequences['sequences'][1]['id']}/enroll"
    first = await crm.post(path, headers=A, json={"lead_id": lead["id"]})
    assert first.status_code == 201 and first.json()["enrollment"]["status"] == "active"
    again = await crm.post(path, headers=A, json={"lead_id": lead["id"]})
    assert again.status_code == 409 and "already enrolled" in again.json()["error"]


async def test_unknown_route_and_contract_served(crm: httpx.AsyncClient) -> None:
    missing = await crm.get("/api/v1/nothing-here", headers=A)
    assert missing.status_code == 404 and missing.json() == {"error": "Not found"}
    contract = (await crm.get("/openapi.json")).json()
    assert contract["openapi"].startswith("3.1")
