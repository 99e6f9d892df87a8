// One tool call inside a reply's activity line (activity.js): its human label, ✓ or ✗ once
// done, and its input and result on demand.

import { clip, el, pretty } from "./dom.js";

const OUTPUT_PREVIEW_CHARS = 4000;

export function toolLine(name, input, label) {
  const mark = el("span", { class: "mark", "aria-hidden": "true", text: "·" });
  const state = el("span", { class: "sr-only", text: "running" });
  const nameNode = el("span", { class: "name", text: label || name || "tool" });
  const note = el("span", { class: "note", text: "…" });
  const summary = el("summary", null, mark, state, nameNode, note);
  const details = el("div");
  const node = el("details", { class: "tool running", "data-tool": name || "" }, summary, details);
  if (input && Object.keys(input).length) {
    details.append(el("div", { class: "label", text: "Input" }), el("pre", { text: clip(pretty(input), OUTPUT_PREVIEW_CHARS) }));
  }
  const line = {
    node,
    name,
    state: "running",
    onChange: null,
  };
  const set = (cls, symbol, label, text) => {
    node.className = `tool ${cls}`;
    line.state = cls;
    mark.textContent = symbol;
    state.textContent = label;
    note.textContent = text;
    if (line.onChange) line.onChange();
  };
  const output = (title, value) => {
    details.querySelectorAll(".out").forEach((n) => n.remove());
    details.append(el("div", { class: "label out", text: title }), el("pre", { class: "out", text: clip(pretty(value), OUTPUT_PREVIEW_CHARS) }));
  };
  return Object.assign(line, {
    /** A card stands for this call: the line leaves the activity. */
    hide() {
      node.hidden = true;
      if (line.onChange) line.onChange();
    },
    done(value) {
      set("ok", "✓", "done", "");
      if (value !== undefined) output("Result", value);
    },
    fail(errorText) {
      set("error", "✗", "failed", "");
      if (errorText !== undefined) output("Error", errorText);
    },
    waiting() {
      set("running", "·", "waiting", " — waiting for your approval");
    },
    status(action) {
      switch (action.status) {
        case "pending":
          this.waiting();
          break;
        case "executing":
          set("running", "·", "running", "…");
          break;
        case "succeeded":
          this.done(action.result === null ? undefined : action.result);
          break;
        case "failed":
        case "unknown":
          set("error", "✗", action.status, action.status === "unknown" ? " — outcome unknown" : "");
          if (action.error) output("Error", action.error);
          break;
        default: {
          const word = { rejected: "cancelled" }[action.status] || action.status;
          set("error", "✗", word, ` — ${word}`);
        }
      }
    },
  });
}
