// A batch card: the actions one reply proposed together ("email all new leads at Acme")
// shown as ONE card with one decision. Each item keeps what a single card has (its
// recipient in words, its editable lines, its own Approve and Cancel, how it ended), plus a
// tick: "Approve all (n)" approves the n ticked items and leaves the others out, through
// `POST /api/actions/batch/{batch_id}/decide`; the server decides each item on its own.
// Items live in `chat.cards` like any card, so the badge, busy state and refreshes see them.

import { ApiError, describeError } from "./api.js";
import { outcomeOf } from "./cards.js";
import { el, humanize } from "./dom.js";

const batchesOf = new WeakMap(); // chat -> Map(batch id -> batch)

function fieldsOf(action) {
  return Array.isArray(action.card) ? action.card : [];
}

function shown(action) {
  const fields = fieldsOf(action).filter((f) => !f.editable && !f.multiline);
  const recipient = fields.find((f) => f.key !== "from" && f.key !== "sender") || fields[0];
  return { recipient, others: fields.filter((f) => f !== recipient) };
}

/** Add or update one item of a batch card (the card is made by its first item). */
export function upsertBatchItem(chat, action, turn) {
  let batches = batchesOf.get(chat);
  if (!batches) batchesOf.set(chat, (batches = new Map()));
  let batch = batches.get(action.batch_id);
  if (!batch || !batch.node.isConnected) {
    batch = makeBatch(chat, action.batch_id);
    batches.set(action.batch_id, batch);
    place(chat, batch.node, action, turn);
  }
  let item = chat.cards.get(action.id);
  if (!item || !item.batch) {
    item = { action, batch, node: el("li", { class: "batch-item" }), deciding: false, ticked: true };
    chat.cards.set(action.id, item);
    batch.items.push(item);
    batch.list.append(item.node);
  } else {
    const unchanged = item.action.status === "pending" && action.status === "pending";
    item.action = action;
    if (unchanged) return; // keep what the person is typing
  }
  const line = chat.toolLines.get(action.tool_use_id);
  if (line) {
    line.status(action);
    line.hide(); // the card stands for its tool call
  }
  renderItem(chat, item);
  renderBatch(chat, batch);
  chat.updateLauncher();
}

function place(chat, node, action, turn) {
  if (!turn) return chat.append(node);
  const line = chat.toolLines.get(action.tool_use_id);
  const run = line && line.group ? line.group.node : null;
  if (run && run.parentNode === turn.node) {
    run.after(node);
    turn.group = null;
  } else {
    turn.add(node);
  }
}

function makeBatch(chat, batchId) {
  const titleId = `batch-${chat.uid}-${batchId}`;
  const node = el("article", { class: "card batch", "aria-labelledby": titleId });
  const title = el("span", { id: titleId });
  const risk = el("span", { class: "risk" });
  const list = el("ul", { class: "batch-items" });
  const approveAll = el("button", { type: "button", class: "btn primary decide approve approve-all" });
  const cancelAll = el("button", { type: "button", class: "btn decide cancel cancel-all", text: "Cancel all" });
  const message = el("div", { class: "outcome muted", role: "status", tabindex: "-1", hidden: true });
  const decision = el("div", { class: "decision" }, el("div", { class: "buttons" }, approveAll, cancelAll), message);
  node.append(el("div", { class: "card-head" }, title, risk), el("div", { class: "card-body" }, list, decision));
  const batch = { id: batchId, node, title, risk, list, approveAll, cancelAll, decision, message, items: [] };
  approveAll.addEventListener("click", () => decideAll(chat, batch, true));
  cancelAll.addEventListener("click", () => decideAll(chat, batch, false));
  return batch;
}

function pendingItems(batch) {
  return batch.items.filter((item) => item.action.status === "pending");
}

function renderBatch(chat, batch) {
  const waiting = pendingItems(batch);
  const first = batch.items[0].action;
  const labels = new Set(batch.items.map((i) => i.action.label || humanize(i.action.tool)));
  const count = batch.items.length;
  const label = labels.size > 1 ? `${count} actions` : count > 1 ? `${[...labels][0]} × ${count}` : [...labels][0];
  batch.title.textContent = waiting.length ? `${label}?` : label;
  batch.risk.textContent = waiting.length && first.risk ? first.risk : "";
  batch.node.dataset.status = waiting.length ? "pending" : "decided";
  if (waiting.length) batch.node.dataset.actionId = waiting[0].action.id;
  const ticked = waiting.filter((item) => item.ticked).length;
  batch.approveAll.textContent = `Approve all (${ticked})`;
  batch.approveAll.dataset.count = String(ticked);
  batch.decision.hidden = waiting.length === 0;
  // Not tied to the chat's busy flag (a click while a reply streams is ignored instead),
  // so the buttons are ready as soon as the reply that proposed them ends.
  const deciding = batch.deciding || batch.items.some((item) => item.deciding);
  batch.approveAll.disabled = deciding || ticked === 0;
  batch.cancelAll.disabled = deciding;
}

function renderItem(chat, item) {
  const action = item.action;
  const pending = action.status === "pending";
  const node = item.node;
  node.dataset.status = action.status;
  node.dataset.actionId = action.id;
  const { recipient, others } = shown(action);
  const who = recipient ? String(recipient.value ?? "") : action.label || humanize(action.tool);
  const tickId = `t-${chat.uid}-${action.id}`;
  const head = el("div", { class: "batch-row" });
  if (pending) {
    const tick = el("input", { id: tickId, type: "checkbox", class: "tick" });
    tick.checked = item.ticked;
    tick.addEventListener("change", () => {
      item.ticked = tick.checked;
      node.classList.toggle("left-out", !tick.checked);
      renderBatch(chat, item.batch);
    });
    head.append(tick, el("label", { for: tickId, class: "who", text: who }));
  } else {
    head.append(el("span", { class: "who", text: who }));
  }
  node.classList.toggle("left-out", pending && !item.ticked);
  const parts = [head];
  const list = others.length ? el("dl", { class: "fields" }) : null;
  for (const field of others) list.append(el("dt", { text: field.label }), el("dd", { text: String(field.value ?? "") }));
  if (list) parts.push(list);
  item.controls = new Map();
  for (const field of fieldsOf(action).filter((f) => f.editable || f.multiline)) {
    const value = String(field.value ?? "");
    if (!pending || !field.editable) {
      parts.push(el("dl", { class: "fields" }, el("dt", { text: field.label }), el("dd", { class: "final", text: value })));
      continue;
    }
    const id = `f-${chat.uid}-${action.id}-${field.key}`;
    const control = field.multiline || value.includes("\n")
      ? el("textarea", { id, name: field.key, rows: 3 })
      : el("input", { id, name: field.key, type: "text" });
    control.value = value;
    control.dataset.original = value;
    item.controls.set(field.key, control);
    parts.push(el("div", { class: "field" }, el("label", { for: id, text: field.label }), control));
  }
  const outcome = outcomeOf(action);
  item.statusNode = el("div", { class: `outcome ${outcome.tone}`, role: "status", tabindex: "-1", text: outcome.text });
  if (pending) {
    const approve = el("button", { type: "button", class: "btn decide approve-one", text: "Approve", "aria-label": `Approve: ${who}` });
    const cancel = el("button", { type: "button", class: "btn decide cancel-one", text: "Cancel", "aria-label": `Cancel: ${who}` });
    approve.addEventListener("click", () => decideOne(chat, item, "approve"));
    cancel.addEventListener("click", () => decideOne(chat, item, "reject"));
    parts.push(el("div", { class: "buttons" }, approve, cancel));
  } else {
    parts.push(item.statusNode);
  }
  node.replaceChildren(...parts);
}

function editsOf(item) {
  const edits = {};
  for (const [key, control] of item.controls || []) {
    if (control.value !== control.dataset.original) edits[key] = control.value;
  }
  return edits;
}

/** Only the items being decided (and the batch's buttons) wait; the others keep what the
 * person is typing. */
function lock(batch, items) {
  for (const item of items) {
    item.deciding = true;
    for (const control of item.node.querySelectorAll("input, textarea, button")) control.disabled = true;
  }
  batch.approveAll.disabled = true;
  batch.cancelAll.disabled = true;
}

async function decideOne(chat, item, verb) {
  const batch = item.batch;
  if (chat.busy || item.deciding || batch.deciding) return;
  lock(batch, [item]);
  const edits = verb === "approve" ? editsOf(item) : {};
  const body = verb === "approve" ? (Object.keys(edits).length ? { edits } : {}) : { reason: "Cancelled on its own" };
  await send(chat, batch, `/api/actions/${encodeURIComponent(item.action.id)}/${verb}`, body, [item]);
}

async function decideAll(chat, batch, approving) {
  if (chat.busy || batch.deciding) return;
  const waiting = pendingItems(batch).filter((item) => !item.deciding);
  if (!waiting.length) return;
  const body = { approve: [], reject: [], edits: {} };
  for (const item of waiting) {
    if (approving && item.ticked) {
      body.approve.push(item.action.id);
      const edits = editsOf(item);
      if (Object.keys(edits).length) body.edits[item.action.id] = edits;
    } else {
      body.reject.push(item.action.id);
    }
  }
  batch.deciding = true;
  lock(batch, waiting);
  batch.message.hidden = false;
  batch.message.className = "outcome muted";
  batch.message.textContent = approving ? `Approving ${body.approve.length}…` : "Cancelling…";
  batch.message.focus({ preventScroll: true });
  await send(chat, batch, `/api/actions/batch/${encodeURIComponent(batch.id)}/decide`, body, waiting);
}

async function send(chat, batch, path, body, items) {
  await chat.run(path, body, {
    onRefused: (error) => {
      const gone = error instanceof ApiError && (error.status === 409 || error.status === 404);
      batch.message.hidden = false;
      batch.message.className = gone ? "outcome muted" : "outcome bad";
      batch.message.textContent = gone
        ? "Some of these were already decided elsewhere, so nothing was done here. The card shows where each stands."
        : describeError(error);
    },
  });
  batch.deciding = false;
  for (const item of items) item.deciding = false;
  const changed = await refreshBatch(chat, batch);
  for (const item of batch.items) if (items.includes(item) || changed.has(item)) renderItem(chat, item);
  renderBatch(chat, batch);
  if (!pendingItems(batch).length) chat.scrollToEnd(true);
  chat.setBusy(chat.busy);
}

/** Where each item stands now, asked of the server (a refusal, or a stream cut short);
 * returns the items whose status changed. */
async function refreshBatch(chat, batch) {
  const changed = new Set();
  try {
    const query = `conversation_id=${encodeURIComponent(batch.items[0].action.conversation_id)}`;
    const data = await chat.getJson(`/api/actions?${query}`);
    for (const fresh of data.actions || []) {
      const item = chat.cards.get(fresh.id);
      if (!item || item.batch !== batch) continue;
      if (item.action.status !== fresh.status) changed.add(item);
      item.action = fresh;
    }
  } catch {
    /* leave the items as they are */
  }
  return changed;
}
