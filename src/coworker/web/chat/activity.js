// A turn's tool activity as one quiet line ("Looked up 3 leads and 4 deal lists"), opened on
// demand to each call and its result. The words come from the tool profiles through
// /api/widget (setup.js), so the widget knows no tool by name.

import { el } from "./dom.js";

function listed(items) {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "Looked up 3 leads and 4 deal lists; created 1 task", from the calls' tool names. */
export function activitySentence(names, words) {
  const byVerb = new Map(); // verb -> Map(tool -> count), in the order first seen
  for (const name of names) {
    const said = words(name);
    const verb = said.verb || said.label;
    if (!byVerb.has(verb)) byVerb.set(verb, new Map());
    const counts = byVerb.get(verb);
    counts.set(name, (counts.get(name) || 0) + 1);
  }
  const clauses = [];
  for (const [verb, counts] of byVerb) {
    const things = [];
    for (const [name, count] of counts) {
      const said = words(name);
      if (said.verb) things.push(`${count} ${count === 1 ? said.one : said.many}`);
      else if (count > 1) things.push(`(${count} times)`);
    }
    clauses.push(`${verb}${things.length ? " " + listed(things) : ""}`);
  }
  const text = clauses.join("; ");
  return text.charAt(0) + text.slice(1).replace(/; ([A-Z])/g, (_, c) => `; ${c.toLowerCase()}`);
}

/** The activity line of a run of tool calls in one reply; its calls' lines go inside it. */
export function activityGroup(chat) {
  const summaryText = el("span", { class: "what" });
  const state = el("span", { class: "state" });
  const summary = el("summary", null, summaryText, state);
  const list = el("div", { class: "calls" });
  const node = el("details", { class: "activity" }, summary, list);
  const lines = [];
  const group = {
    node,
    add(line) {
      lines.push(line);
      list.append(line.node);
      line.onChange = () => group.refresh();
      group.refresh();
    },
    refresh() {
      const shown = lines.filter((line) => !line.node.hidden); // a card stands for the rest
      node.hidden = shown.length === 0;
      if (!shown.length) return;
      summaryText.textContent = activitySentence(shown.map((l) => l.name), (n) => chat.toolWords(n));
      const running = shown.filter((l) => l.state === "running").length;
      const failed = shown.filter((l) => l.state === "error").length;
      node.dataset.state = running ? "running" : failed ? "error" : "ok";
      state.textContent = running ? "…" : failed ? ` (${failed} failed)` : "";
    },
  };
  return group;
}
