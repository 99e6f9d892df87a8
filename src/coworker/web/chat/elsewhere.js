// Actions waiting for the person in their other conversations (asked for by an MCP client,
// or left in an earlier chat): listed at the top of the panel and counted on the launcher;
// "Review" opens that conversation with its card.

import { actionSummary } from "./cards.js";
import { el } from "./dom.js";

export function waitingElsewhere(chat) {
  return chat.elsewhere.filter((a) => a.conversation_id !== chat.conversationId && !chat.cards.has(a.id));
}

export async function refreshElsewhere(chat) {
  const seq = ++chat.elsewhereSeq;
  try {
    const data = await chat.getJson("/api/actions?status=pending");
    if (seq !== chat.elsewhereSeq) return;
    chat.elsewhere = (data.actions || []).filter((a) => a && a.id && a.status === "pending");
    if (waitingElsewhere(chat).length) {
      try {
        const listed = await chat.getJson("/api/conversations");
        chat.elsewhereTitles = new Map((listed.conversations || []).map((c) => [c.id, c.title]));
      } catch {
        /* titles are a nicety */
      }
      if (seq !== chat.elsewhereSeq) return;
    }
  } catch {
    return; // keep what is shown; the chat works without it
  }
  renderElsewhere(chat);
  chat.updateLauncher();
}

export function renderElsewhere(chat) {
  const waiting = waitingElsewhere(chat);
  const titles = chat.elsewhereTitles;
  const key = JSON.stringify(waiting.map((a) => [a.id, titles.get(a.conversation_id) || ""]));
  if (key === chat.elsewhereKey) return; // unchanged: nothing new to announce
  chat.elsewhereKey = key;
  if (!waiting.length) {
    chat.ui.elsewhere.replaceChildren();
    return;
  }
  const titleId = `elsewhere-${chat.uid}`;
  const count = waiting.length;
  const list = el("ul");
  for (const action of waiting) {
    const summary = actionSummary(action);
    const review = el("button", { type: "button", class: "btn", "aria-label": `Review: ${summary}`, text: "Review" });
    review.addEventListener("click", () => chat.showConversation(action.conversation_id, action.id));
    const title = titles.get(action.conversation_id);
    const where = title ? `In “${title}”` : "In another conversation";
    list.append(el("li", null, el("span", { class: "what" }, summary, el("span", { class: "where", text: where })), review));
  }
  chat.ui.elsewhere.replaceChildren(
    el(
      "div",
      { class: "elsewhere-box", role: "group", "aria-labelledby": titleId },
      el("p", { id: titleId, text: `${count} ${count === 1 ? "action waits" : "actions wait"} for your approval elsewhere` }),
      list,
    ),
  );
}
