// Approval cards, rendered purely from the server's action view (channels/web: `label`,
// `card` in display order with what is editable, `outcome` once decided): the server reads
// the tool's profile, so a tool the contract adds needs nothing here.

import { ApiError, describeError } from "./api.js";
import { upsertBatchItem } from "./batch.js";
import { clip, el, humanize } from "./dom.js";

const MARKS = { succeeded: "✓ ", failed: "✗ ", unknown: "? " };
const TONES = { succeeded: "ok", failed: "bad", unknown: "warn", stale: "warn" };

/** The card's heading: a question while it waits ("Send an email?"), then the label. */
export function actionTitle(action) {
  const label = action.label || humanize(action.tool);
  return action.status === "pending" ? `${label}?` : label;
}

function fields(action) {
  return Array.isArray(action.card) ? action.card : [];
}

/** One line for a waiting action shown outside its conversation: "Send an email: Jane Smith (Acme Corp) <jane@acme.com>, “Pricing”". */
export function actionSummary(action) {
  const details = fields(action)
    .filter((field) => field.value && !field.multiline && field.key !== "from" && field.key !== "sender")
    .map((field) => (field.editable ? `“${field.value}”` : field.value));
  const label = action.label || humanize(action.tool);
  return clip(details.length ? `${label}: ${details.join(", ")}` : label, 160);
}

export function outcomeOf(action) {
  if (action.status === "pending") return { text: "Waiting for your approval", tone: "muted" };
  const said = action.outcome || humanize(action.status || "unknown");
  return { text: (MARKS[action.status] || "") + said, tone: TONES[action.status] || "muted" };
}

export function upsertAction(chat, action, turn) {
  if (!action || !action.id) return;
  if (action.batch_id) return upsertBatchItem(chat, action, turn); // one card for the batch
  let card = chat.cards.get(action.id);
  if (!card) {
    card = { action, node: el("article", { class: "card", "aria-label": actionTitle(action) }), deciding: false };
    chat.cards.set(action.id, card);
    if (turn) {
      const line = chat.toolLines.get(action.tool_use_id);
      const run = line && line.group ? line.group.node : null;
      if (run && run.parentNode === turn.node) {
        run.after(card.node); // right below the activity it came from
        turn.group = null;
      } else {
        turn.add(card.node);
      }
    } else {
      chat.append(card.node);
    }
  } else {
    const unchanged = card.action.status === "pending" && action.status === "pending";
    card.action = action;
    if (unchanged) return; // keep what the person is typing into the card
  }
  const line = chat.toolLines.get(action.tool_use_id);
  if (line) {
    line.status(action);
    line.hide(); // the card stands for its tool call
  }
  renderCard(chat, card);
  chat.updateLauncher();
}

function renderCard(chat, card) {
  const action = card.action;
  const pending = action.status === "pending";
  const node = card.node;
  node.dataset.status = action.status;
  node.dataset.actionId = action.id;
  const titleId = `card-${chat.uid}-${action.id}`;
  node.setAttribute("aria-labelledby", titleId);
  node.removeAttribute("aria-label");

  const head = el(
    "div",
    { class: "card-head" },
    el("span", { id: titleId, text: actionTitle(action) }),
    action.risk && pending ? el("span", { class: "risk", text: action.risk }) : null,
  );
  const bodyNode = el("div", { class: "card-body" });

  // The card's lines in the server's order: names a person recognises and the values that
  // will be acted on; while it waits, the editable ones as controls.
  const controls = new Map();
  let list = null;
  for (const field of fields(action)) {
    const value = String(field.value ?? "");
    if (pending && field.editable) {
      const id = `f-${chat.uid}-${action.id}-${field.key}`;
      const control = field.multiline || value.includes("\n")
        ? el("textarea", { id, name: field.key, rows: field.multiline ? 7 : 4 })
        : el("input", { id, name: field.key, type: "text" });
      control.value = value;
      control.dataset.original = value;
      controls.set(field.key, control);
      bodyNode.append(el("div", { class: "field" }, el("label", { for: id, text: field.label }), control));
      list = null;
      continue;
    }
    if (!list) list = bodyNode.appendChild(el("dl", { class: "fields" }));
    list.append(el("dt", { text: field.label }), el("dd", { class: field.multiline ? "final" : null, text: value }));
  }

  const ids = idDetails(action);
  if (ids) bodyNode.append(ids);

  const outcome = outcomeOf(action);
  const status = el("div", { class: `outcome ${outcome.tone}`, role: "status", tabindex: "-1", text: outcome.text });
  card.statusNode = status;

  if (pending) {
    bodyNode.append(decisionControls(chat, card, controls, status));
  } else {
    bodyNode.append(status);
  }
  node.replaceChildren(head, bodyNode);
  chat.setBusy(chat.busy);
}

/**
 * The records behind the card by id, for someone who needs them (support, the CRM's own
 * screens): closed by default, since the lines above name them in words.
 */
function idDetails(action) {
  const input = action.input && typeof action.input === "object" ? action.input : {};
  const rows = [["Action", action.id], ["Tool", action.tool]];
  for (const [key, value] of Object.entries(input)) {
    if (key.endsWith("_id") && typeof value === "string") rows.push([humanize(key), value]);
  }
  const list = el("dl", { class: "fields raw" });
  for (const [label, value] of rows) {
    if (value) list.append(el("dt", { text: label }), el("dd", { text: String(value) }));
  }
  return el("details", { class: "ids" }, el("summary", { text: "Details" }), list);
}

/**
 * Scroll the log so a card just proposed is in view with its Approve button: the whole card
 * when it fits, else from its top (its actions stay in view, being sticky).
 */
export function revealCard(chat, card) {
  const log = chat.ui.log;
  const node = card.batch ? card.batch.node : card.node; // an item: its whole batch card
  if (!node.isConnected || log.offsetParent === null) return;
  const view = log.getBoundingClientRect();
  const box = node.getBoundingClientRect();
  const margin = 8;
  if (box.height + 2 * margin <= view.height) {
    if (box.bottom > view.bottom - margin) log.scrollTop += box.bottom - view.bottom + margin;
    else if (box.top < view.top + margin) log.scrollTop -= view.top + margin - box.top;
  } else {
    log.scrollTop += box.top - view.top - margin;
  }
}

function decisionControls(chat, card, controls, status) {
  const action = card.action;
  const wrap = el("div", { class: "decision" });
  const approve = el("button", { type: "button", class: "btn primary decide approve", text: "Approve" });
  const cancel = el("button", { type: "button", class: "btn cancel", text: "Cancel" });
  const buttons = el("div", { class: "buttons" }, approve, cancel);
  const when = action.expires_at ? chat.clock.when(action.expires_at) : "";
  if (when) buttons.append(el("span", { class: "expires", text: `Expires ${when}` }));

  const reasonId = `r-${chat.uid}-${action.id}`;
  const reason = el("input", { id: reasonId, type: "text", name: "reason", maxlength: "500", placeholder: "e.g. Wrong recipient" });
  const confirm = el("button", { type: "button", class: "btn danger decide confirm-cancel", text: "Confirm cancel" });
  const back = el("button", { type: "button", class: "btn back", text: "Keep it" });
  const cancelBox = el(
    "div",
    { class: "field cancel-box", hidden: true },
    el("label", { for: reasonId, text: "Reason (optional)" }),
    reason,
    el("div", { class: "buttons" }, confirm, back),
  );
  const message = el("div", { class: "outcome muted", hidden: true, role: "status" });

  approve.addEventListener("click", () => {
    const edits = {};
    for (const [key, control] of controls) {
      if (control.value !== control.dataset.original) edits[key] = control.value;
    }
    const body = Object.keys(edits).length ? { edits } : {};
    decide(chat, card, "approve", body, { message, status, working: "Sending…" });
  });
  cancel.addEventListener("click", () => {
    buttons.hidden = true;
    cancelBox.hidden = false;
    reason.focus();
  });
  back.addEventListener("click", () => {
    cancelBox.hidden = true;
    buttons.hidden = false;
    cancel.focus();
  });
  reason.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      confirm.click();
    }
  });
  confirm.addEventListener("click", () => {
    const text = reason.value.trim();
    decide(chat, card, "reject", text ? { reason: text } : {}, { message, status, working: "Cancelling…" });
  });
  wrap.append(buttons, cancelBox, message);
  return wrap;
}

async function decide(chat, card, verb, body, { message }) {
  if (chat.busy || card.deciding) return;
  card.deciding = true;
  for (const control of card.node.querySelectorAll("input, textarea, button")) control.disabled = true;
  message.hidden = false;
  message.className = "outcome muted";
  message.textContent = verb === "approve" ? "Approving…" : "Cancelling…";
  message.setAttribute("tabindex", "-1");
  message.focus();
  const path = `/api/actions/${encodeURIComponent(card.action.id)}/${verb}`;
  await chat.run(path, body, {
    onRefused: (error) => {
      if (error instanceof ApiError && error.status === 409 && error.body && error.body.status) {
        // Decided elsewhere (another tab, Slack) or expired: show where it stands.
        card.deciding = false;
        upsertAction(chat, { ...card.action, status: error.body.status }, null);
        chat.notice("This was already decided elsewhere, so nothing more was done here.");
        refreshAction(chat, card);
        return;
      }
      if (error instanceof ApiError && error.status === 404) {
        card.deciding = false;
        upsertAction(chat, { ...card.action, status: "expired" }, null);
        chat.notice("That action no longer exists.");
        return;
      }
      card.deciding = false;
      for (const control of card.node.querySelectorAll("input, textarea, button")) control.disabled = false;
      message.className = "outcome bad";
      message.setAttribute("role", "alert");
      message.textContent = describeError(error);
    },
  });
  card.deciding = false;
  if (card.action.status === "pending") {
    // The stream did not carry the decision (an older server): ask where it stands.
    refreshAction(chat, card);
  } else if (card.statusNode && card.statusNode.isConnected) {
    chat.scrollToEnd(true); // the outcome, and what the coworker said about it
    card.statusNode.focus({ preventScroll: true });
  }
  chat.setBusy(chat.busy);
}

/**
 * Cards still shown as pending may have been decided without a word in the stream: a new
 * proposal replaces them, they expire, or someone decides in another tab or in Slack.
 */
export async function refreshPending(chat) {
  const shown = Array.from(chat.cards.values()).filter((c) => c.action.status === "pending" && !c.deciding);
  if (!shown.length || !chat.conversationId) return;
  const generation = chat.generation;
  try {
    const query = `conversation_id=${encodeURIComponent(chat.conversationId)}`;
    const data = await chat.getJson(`/api/actions?${query}`);
    if (generation !== chat.generation) return;
    for (const fresh of data.actions || []) {
      const card = chat.cards.get(fresh.id);
      if (card && !card.deciding && card.action.status === "pending" && fresh.status !== "pending") {
        upsertAction(chat, fresh, null);
      }
    }
  } catch {
    /* keep the cards as they are; a decision on a stale one answers 409 and updates it */
  }
}

/** Where one card stands now, asked of the server. */
async function refreshAction(chat, card) {
  try {
    const query = `conversation_id=${encodeURIComponent(card.action.conversation_id)}`;
    const data = await chat.getJson(`/api/actions?${query}`);
    const fresh = (data.actions || []).find((a) => a.id === card.action.id);
    if (fresh && fresh.status !== "pending") upsertAction(chat, fresh, null);
  } catch {
    /* leave the card as it is */
  }
}

