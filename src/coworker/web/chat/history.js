// A conversation's history, as a reload shows it: the latest page first, older pages above
// it on demand ("Load earlier messages"), every action's card beside its tool call.

import { ApiError, describeError } from "./api.js";
import { el } from "./dom.js";
import { upsertAction } from "./cards.js";
import { showChart } from "./charts.js";
import { startTurn } from "./turn.js";

export async function loadHistory(chat, conversationId) {
  const generation = chat.generation;
  let data;
  try {
    data = await chat.getJson(`/api/conversations/${encodeURIComponent(conversationId)}`);
  } catch (error) {
    if (generation !== chat.generation) return;
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      chat.forgetConversation(); // gone, or someone else's: start afresh
      return;
    }
    chat.notice(`Couldn't load the earlier conversation. ${describeError(error)}`);
    return;
  }
  if (generation !== chat.generation) return;
  renderHistory(chat, data);
  showEarlier(chat, data.next_before);
}

// The history comes a page at a time, the latest first: older pages are asked for with
// the button at the top of the log, so a long conversation opens as fast as a short one.
export function showEarlier(chat, before) {
  if (chat.earlierButton) chat.earlierButton.remove();
  chat.earlierButton = null;
  if (before === null || before === undefined) return;
  const button = el("button", { type: "button", class: "text-btn earlier", text: "Load earlier messages" });
  button.addEventListener("click", () => loadEarlier(chat, before));
  chat.ui.log.prepend(button);
  chat.earlierButton = button;
}

/** The page before `before`, put above what is shown, the view kept where it was. */
export async function loadEarlier(chat, before) {
  const conversationId = chat.conversationId;
  const generation = chat.generation;
  const button = chat.earlierButton;
  if (!conversationId || !button || button.disabled) return;
  button.disabled = true;
  let data;
  try {
    const query = new URLSearchParams({ before: String(before) });
    data = await chat.getJson(`/api/conversations/${encodeURIComponent(conversationId)}?${query}`);
  } catch (error) {
    if (generation !== chat.generation) return;
    button.disabled = false;
    chat.notice(`Couldn't load earlier messages. ${describeError(error)}`);
    return;
  }
  if (generation !== chat.generation) return;
  const log = chat.ui.log;
  const shown = new Set(log.children);
  const fromBottom = log.scrollHeight - log.scrollTop;
  renderHistory(chat, data); // rendered at the end, then moved up above the rest
  const added = Array.from(log.children).filter((node) => !shown.has(node));
  button.after(...added);
  log.scrollTop = log.scrollHeight - fromBottom;
  showEarlier(chat, data.next_before);
}

export function renderHistory(chat, data) {
  const actions = Array.isArray(data.actions) ? data.actions : [];
  const byTool = new Map(actions.map((a) => [a.tool_use_id, a]));
  const placed = new Set();
  for (const message of Array.isArray(data.messages) ? data.messages : []) {
    const parts = Array.isArray(message.parts) ? message.parts : [];
    if (message.role === "user") {
      const text = parts.filter((p) => p.type === "text").map((p) => p.text).join("\n\n");
      if (text.trim()) chat.append(el("div", { class: "msg user", text }));
      continue;
    }
    const turn = startTurn(chat, { typing: false });
    for (const part of parts) {
      if (part.type === "text") {
        const block = turn.textBlock();
        block.raw = String(part.text || "");
        turn.flush(block);
      } else if (part.type === "tool") {
        const line = turn.tool(part.toolCallId, part.toolName, part.input);
        const action = byTool.get(part.toolCallId);
        if (action) {
          upsertAction(chat, action, turn);
          line.hide(); // its card stands for it (on an older page: shown already)
          placed.add(action.id);
        } else if ("output" in part && part.output !== undefined && part.output !== null) {
          if (part.isError) line.fail(part.output);
          else {
            line.done(part.output);
            showChart(chat, turn, part.output);
          }
        }
      }
    }
    turn.end({ announce: false });
  }
  // Actions whose tool call is not in the shown messages still get their card.
  const rest = actions.filter((a) => !placed.has(a.id));
  if (rest.length) {
    const turn = startTurn(chat, { typing: false });
    for (const action of rest) upsertAction(chat, action, turn);
    turn.end({ announce: false });
  }
  chat.updateLauncher();
  chat.scrollToEnd(true);
}

