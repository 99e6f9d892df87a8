// What the server tells the widget before it shows anything (GET /api/widget): the longest
// message it takes, the person's timezone, and each tool's words. Without it (an older
// server, a network hiccup) the widget still works: browser time, tool names, no counter.

import { humanize } from "./dom.js";
import { clock } from "./times.js";

const COUNTER_FROM = 0.8; // the counter shows once a message is this far to the limit

export async function loadSetup(chat) {
  try {
    chat.setup = await chat.getJson("/api/widget");
  } catch {
    chat.setup = null;
  }
  chat.clock = clock(chat.setup && chat.setup.timezone);
  updateCounter(chat);
}

/** How a tool reads: `{ label, verb, one, many }` (verb null: its label stands alone). */
export function toolWords(chat, name) {
  const known = chat.setup && chat.setup.tools && chat.setup.tools[name];
  return known || { label: humanize(name || "tool"), verb: null, one: null, many: null };
}

/** The characters typed against the server's limit, shown as the limit nears. */
export function updateCounter(chat) {
  const counter = chat.ui.counter;
  const limit = chat.setup && chat.setup.max_message_chars;
  const length = chat.ui.input.value.length;
  if (!limit || length < limit * COUNTER_FROM) {
    counter.hidden = true;
    counter.textContent = "";
    chat.over = false;
    chat.ui.send.disabled = chat.busy;
    return;
  }
  const number = (n) => n.toLocaleString();
  chat.over = length > limit;
  counter.hidden = false;
  counter.classList.toggle("over", chat.over);
  counter.textContent = chat.over
    ? `${number(length)} / ${number(limit)} characters: ${number(length - limit)} too many`
    : `${number(length)} / ${number(limit)} characters`;
  chat.ui.send.disabled = chat.busy || chat.over;
}
