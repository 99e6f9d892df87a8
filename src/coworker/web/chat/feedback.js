// Thumbs up or down on a finished reply: POST /api/feedback names the reply by the id the
// stream's `finish` part (or the JSON answer) gave it. A second press changes the rating.

import { describeError } from "./api.js";
import { el } from "./dom.js";

const SAID = { up: "Thanks: marked as helpful.", down: "Thanks: marked as not helpful." };
// A thumb drawn, not an emoji: a page's fonts may have none.
const THUMB = "M7 10v11H3V10h4zm2 11h8.3a2 2 0 0 0 2-1.6l1.3-7A2 2 0 0 0 18.6 10H14V5.5A2.5 2.5 0 0 0 11.5 3L9 10v11z";
const SVG = "http://www.w3.org/2000/svg";

function thumb() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", THUMB);
  svg.append(path);
  return svg;
}

export function feedbackBar(chat, conversationId, replyId) {
  const status = el("span", { class: "said", role: "status" });
  const button = (rating, name) =>
    el("button", { type: "button", class: "thumb", "data-rating": rating, "aria-label": name, title: name, "aria-pressed": "false" }, thumb());
  const up = button("up", "Helpful");
  const down = button("down", "Not helpful");
  const bar = el("div", { class: "feedback", role: "group", "aria-label": "Was this reply helpful?" }, up, down, status);
  for (const pressed of [up, down]) {
    pressed.addEventListener("click", async () => {
      const rating = pressed.dataset.rating;
      up.disabled = down.disabled = true;
      try {
        await chat.request("POST", "/api/feedback", {
          body: { conversation_id: conversationId, reply_id: replyId, rating },
        });
        for (const b of [up, down]) b.setAttribute("aria-pressed", String(b === pressed));
        status.className = "said";
        status.textContent = SAID[rating];
      } catch (error) {
        status.className = "said bad";
        status.textContent = `Not recorded. ${describeError(error)}`;
      } finally {
        up.disabled = down.disabled = false;
      }
    });
  }
  return bar;
}
