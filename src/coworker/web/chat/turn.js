// One assistant message as it is built: text blocks rendered as Markdown (at most once a
// frame while a reply streams), its tool calls as one activity line per run of them,
// notices, and the typing dots until it ends.

import { activityGroup } from "./activity.js";
import { el } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { toolLine } from "./tools.js";

/** A new assistant message appended to `chat`'s log. */
export function startTurn(chat, { typing }) {
  const node = el("div", { class: "msg assistant" });
  const typingNode = typing
    ? el("div", { class: "typing", role: "status", "aria-label": "Coworker is replying" }, el("span"), el("span"), el("span"))
    : null;
  if (typingNode) node.append(typingNode);
  chat.append(node);
  let frame = 0;
  const dirty = new Set();
  const turn = {
    node,
    blocks: new Map(),
    texts: [],
    group: null, // the activity line the next tool call joins
    add(child) {
      if (!this.group || child !== this.group.node) this.group = null; // text, a card: a new run
      chat.stick = chat.isNearEnd();
      if (typingNode && typingNode.parentNode) typingNode.before(child);
      else node.append(child);
      chat.scrollToEnd();
      return child;
    },
    textBlock(id) {
      const block = { raw: "", node: el("div", { class: "md" }) };
      this.blocks.set(id || `block_${this.blocks.size}`, block);
      this.texts.push(block);
      this.add(block.node);
      return block;
    },
    appendText(id, delta) {
      const block = this.blocks.get(id) || this.textBlock(id);
      block.raw += delta;
      dirty.add(block);
      if (!frame) {
        frame = window.requestAnimationFrame(() => {
          frame = 0;
          for (const item of dirty) this.flush(item);
        });
      }
    },
    flush(block) {
      if (!block) return;
      dirty.delete(block);
      chat.stick = chat.isNearEnd();
      block.node.replaceChildren(renderMarkdown(block.raw));
      chat.scrollToEnd();
    },
    tool(id, name, input) {
      const existing = chat.toolLines.get(id);
      if (existing) return existing;
      const line = toolLine(name, input, chat.toolWords(name).label);
      chat.toolLines.set(id, line);
      if (!this.group) {
        const group = activityGroup(chat);
        this.add(group.node);
        this.group = group;
      }
      line.group = this.group;
      this.group.add(line);
      chat.scrollToEnd();
      return line;
    },
    error(message) {
      this.add(el("div", { class: "notice", role: "alert", text: message }));
    },
    discard() {
      if (frame) window.cancelAnimationFrame(frame);
      node.remove();
    },
    end({ announce }) {
      if (frame) window.cancelAnimationFrame(frame);
      frame = 0;
      for (const item of dirty) this.flush(item);
      if (typingNode) typingNode.remove();
      if (!node.isConnected) return;
      if (!node.childElementCount) {
        node.remove();
        return;
      }
      if (announce) {
        // What a reader sees (not the Markdown source), as one announcement.
        const text = this.texts
          .map((b) => b.node.innerText.replace(/\s+/g, " ").trim())
          .filter(Boolean)
          .join(" ");
        const waiting = node.querySelector('.card[data-status="pending"]');
        chat.announce(
          [text, waiting ? "An action is waiting for your approval." : ""].filter(Boolean).join(" "),
        );
      }
    },
  };
  return turn;
}
