// The person's conversations, most recently active first, by title (their first request):
// any one reopens as a reload would show it, cards still waiting included. "New
// conversation" leaves the old one here, never stranded.

import { describeError } from "./api.js";
import { el } from "./dom.js";
import { refreshElsewhere } from "./elsewhere.js";

const PAGE = 20;
const CHANNELS = { slack: "Slack", mcp: "MCP client", cli: "Terminal", terminal: "Terminal", summary: "Daily summary" };

export function showingConversations(chat) {
  return !chat.ui.conversations.hidden;
}

/** Open (or close) the list in place of the conversation. */
export async function toggleConversations(chat, show = !showingConversations(chat)) {
  const ui = chat.ui;
  ui.conversations.hidden = !show;
  ui.log.hidden = show;
  ui.form.hidden = show;
  ui.elsewhere.hidden = show;
  ui.listButton.setAttribute("aria-expanded", String(show));
  if (!show) {
    chat.scrollToEnd(true);
    return;
  }
  ui.conversationList.replaceChildren();
  ui.conversationsMore.hidden = true;
  ui.conversationsHeading.focus();
  await refreshElsewhere(chat); // which of them hold a card waiting for the person
  if (showingConversations(chat)) await loadPage(chat, null);
}

async function loadPage(chat, cursor) {
  const ui = chat.ui;
  ui.conversationsMore.hidden = true;
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (cursor) query.set("cursor", cursor);
  let data;
  try {
    data = await chat.getJson(`/api/conversations?${query}`);
  } catch (error) {
    ui.conversationList.append(el("li", { class: "notice", role: "alert", text: `Couldn't load your conversations. ${describeError(error)}` }));
    return;
  }
  const items = Array.isArray(data.conversations) ? data.conversations : [];
  if (!items.length && !cursor) {
    ui.conversationList.append(el("li", { class: "none", text: "No conversations yet." }));
  }
  for (const conversation of items) ui.conversationList.append(item(chat, conversation));
  if (data.next_cursor) {
    ui.conversationsMore.hidden = false;
    ui.conversationsMore.onclick = () => loadPage(chat, data.next_cursor);
  }
}

function item(chat, conversation) {
  const title = conversation.title || "Untitled conversation";
  const when = chat.clock.when(conversation.updated_at);
  const where = CHANNELS[conversation.channel];
  const count = chat.elsewhere.filter((a) => a.conversation_id === conversation.id).length;
  const waiting = count ? `${count} waiting for your approval` : "";
  const meta = [when, where, waiting].filter(Boolean).join(" · ");
  const current = conversation.id === chat.conversationId;
  const open = el(
    "button",
    { type: "button", class: "conversation", "aria-current": current ? "true" : null, "data-id": conversation.id },
    el("span", { class: "title", text: title }),
    el("span", { class: "meta", text: meta }),
  );
  open.addEventListener("click", () => {
    toggleConversations(chat, false);
    if (current) chat.ui.input.focus();
    else chat.showConversation(conversation.id);
  });
  return el("li", null, open);
}
