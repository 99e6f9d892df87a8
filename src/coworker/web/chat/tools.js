// One tool activity line: "· name…" while it runs, then ✓ or ✗; details on demand.

import { clip, el, pretty } from "./dom.js";

const OUTPUT_PREVIEW_CHARS = 4000;

export function toolLine(name, input) {
  const mark = el("span", { class: "mark", "aria-hidden": "true", text: "·" });
  const state = el("span", { class: "sr-only", text: "running" });
  const nameNode = el("span", { class: "name", text: name || "tool" });
  const note = el("span", { class: "note", text: "…" });
  const summary = el("summary", null, mark, state, nameNode, note);
  const details = el("div");
  const node = el("details", { class: "tool running" }, summary, details);
  if (input && Object.keys(input).length) {
    details.append(el("div", { class: "label", text: "Input" }), el("pre", { text: clip(pretty(input), OUTPUT_PREVIEW_CHARS) }));
  }
  const set = (cls, symbol, label, text) => {
    node.className = `tool ${cls}`;
    mark.textContent = symbol;
    state.textContent = label;
    note.textContent = text;
  };
  const output = (title, value) => {
    details.querySelectorAll(".out").forEach((n) => n.remove());
    details.append(el("div", { class: "label out", text: title }), el("pre", { class: "out", text: clip(pretty(value), OUTPUT_PREVIEW_CHARS) }));
  };
  return {
    node,
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
  };
}
