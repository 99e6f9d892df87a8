// The <coworker-chat> custom element: its shadow DOM, configuration, public API and the state
// the parts share (the log, the cards by action id, the tool lines by tool call id). What it
// shows is built by the parts: history.js, reply.js, cards.js, elsewhere.js,
// conversations.js (the list), setup.js (what the server says: limit, timezone, words).

import { request } from "./api.js";
import { actionTitle } from "./cards.js";
import { showingConversations, toggleConversations } from "./conversations.js";
import { el } from "./dom.js";
import { refreshElsewhere, renderElsewhere, waitingElsewhere } from "./elsewhere.js";
import { loadHistory } from "./history.js";
import { run, submit } from "./reply.js";
import { loadSetup, toolWords, updateCounter } from "./setup.js";
import { CSS, MARKUP } from "./styles.js";
import { clock } from "./times.js";

export const TAG = "coworker-chat";
const SCROLL_STICK_PX = 80;

// The embedding's defaults ({ api, token }), from the <script> tag that loaded the widget;
// the element's own attributes override them.
let config = {};
let instances = 0;

class CoworkerChat extends HTMLElement {
  constructor() {
    super();
    this.uid = ++instances;
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = MARKUP; // static markup only: no data ever goes through innerHTML
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      const sheet = new CSSStyleSheet(); // not an inline <style>: works under a strict CSP
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.prepend(el("style", { text: CSS }));
    }
    const $ = (selector) => root.querySelector(selector);
    this.ui = {
      launcher: $(".launcher"),
      badge: $(".badge"),
      badgeText: $(".badge-text"),
      launcherLabel: $(".launcher-label"),
      panel: $(".panel"),
      log: $(".log"),
      announcer: $(".announcer"),
      form: $(".composer"),
      input: $("#input"),
      send: $(".send"),
      newButton: $(".new"),
      close: $(".close"),
      subtitle: $(".sub"),
      elsewhere: $(".elsewhere"),
      counter: $(".counter"),
      listButton: $(".list"),
      conversations: $(".conversations"),
      conversationsHeading: $(".conversations h3"),
      conversationList: $(".conversations ul"),
      conversationsMore: $(".conversations .more"),
    };
    this.setup = null; // GET /api/widget, once connected
    this.clock = clock(null);
    this.over = false; // the message typed is over the server's limit
    this.conversationId = null;
    this.busy = false;
    this.controller = null;
    this.cards = new Map(); // action id -> { action, node, deciding, statusNode }
    this.toolLines = new Map(); // toolCallId -> tool line controller
    this.loaded = false;
    this.generation = 0; // bumps on "New conversation" so stale streams stop rendering
    this.elsewhere = []; // the person's pending actions in other conversations
    this.elsewhereTitles = new Map(); // conversation id -> title
    this.elsewhereKey = "";
    this.elsewhereSeq = 0;

    this.ui.launcher.addEventListener("click", () => this.toggle());
    this.ui.close.addEventListener("click", () => this.close());
    this.ui.newButton.addEventListener("click", () => this.newConversation());
    this.ui.listButton.addEventListener("click", () => toggleConversations(this));
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen && !event.defaultPrevented) {
        event.preventDefault();
        this.close();
      }
    });
    this.ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.ui.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.ui.input.addEventListener("input", () => {
      this.autosize();
      updateCounter(this);
    });
    this.updateLauncher();
  }

  // -- configuration

  get apiBase() {
    const explicit = this.getAttribute("api") || config.api;
    return explicit ? explicit.replace(/\/+$/, "") : window.location.origin;
  }

  get token() {
    return this.getAttribute("token") || config.token || "";
  }

  get storageKey() {
    let origin;
    try {
      origin = new URL(this.apiBase, document.baseURI).origin;
    } catch {
      origin = this.apiBase;
    }
    return `coworker-chat:conversation:${origin}`;
  }

  connectedCallback() {
    if (this.loaded) return;
    this.loaded = true;
    this.conversationId = this.readStoredConversation();
    this.renderEmpty();
    this.ready = loadSetup(this); // the words history is shown in come first
    const conversationId = this.conversationId;
    if (conversationId) this.ready.then(() => this.conversationId === conversationId && loadHistory(this, conversationId));
    this.loadProfile();
    refreshElsewhere(this);
  }

  readStoredConversation() {
    try {
      return window.localStorage.getItem(this.storageKey);
    } catch {
      return null; // storage blocked (private mode, sandboxed frame): history lasts a page view
    }
  }

  setConversation(id) {
    if (!id || id === this.conversationId) return;
    this.conversationId = id;
    try {
      window.localStorage.setItem(this.storageKey, id);
    } catch {
      /* storage blocked */
    }
  }

  forgetConversation() {
    this.conversationId = null;
    try {
      window.localStorage.removeItem(this.storageKey);
    } catch {
      /* storage blocked */
    }
  }

  // -- public API

  get isOpen() {
    return !this.ui.panel.hidden;
  }

  open() {
    if (this.isOpen) {
      this.ui.input.focus();
      return;
    }
    this.ui.panel.hidden = false;
    this.updateLauncher();
    this.scrollToEnd(true);
    this.ui.input.focus();
    refreshElsewhere(this);
    this.dispatchEvent(new CustomEvent("coworker-open", { bubbles: true, composed: true }));
  }

  close() {
    if (!this.isOpen) return;
    this.ui.panel.hidden = true;
    this.updateLauncher();
    this.ui.launcher.focus();
    this.dispatchEvent(new CustomEvent("coworker-close", { bubbles: true, composed: true }));
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  prefill(text) {
    this.open();
    this.ui.input.value = String(text);
    this.autosize();
    updateCounter(this);
    this.ui.input.focus();
    this.ui.input.setSelectionRange(this.ui.input.value.length, this.ui.input.value.length);
  }

  send(text) {
    this.open();
    this.ui.input.value = String(text);
    return this.submit();
  }

  newConversation() {
    if (showingConversations(this)) toggleConversations(this, false);
    this.reset(); // the one left stays in the list of conversations
    renderElsewhere(this);
    refreshElsewhere(this); // the one just left may hold a waiting action
    this.ui.input.focus();
  }

  /** Show another of the person's conversations, exactly as a reload would restore it. */
  async showConversation(conversationId, actionId) {
    this.ui.log.focus({ preventScroll: true }); // the button that asked is about to go
    this.reset();
    this.setConversation(conversationId);
    renderElsewhere(this);
    refreshElsewhere(this);
    const generation = this.generation;
    await loadHistory(this, conversationId);
    if (generation !== this.generation) return;
    const card = this.cards.get(actionId);
    if (card && card.action.status === "pending") {
      card.node.setAttribute("tabindex", "-1");
      card.node.focus();
      this.announce(`${actionTitle(card.action)} It waits for your approval.`);
    } else {
      this.ui.input.focus();
    }
  }

  reset() {
    this.generation += 1;
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.forgetConversation();
    this.cards.clear();
    this.toolLines.clear();
    this.earlierButton = null;
    this.ui.log.replaceChildren();
    this.renderEmpty();
    this.setBusy(false);
    this.updateLauncher();
  }

  // -- rendering basics

  updateLauncher() {
    const open = this.isOpen;
    this.ui.launcher.setAttribute("aria-expanded", String(open));
    this.ui.launcherLabel.textContent = open ? "Close chat" : "Ask Coworker";
    const pending =
      Array.from(this.cards.values()).filter((c) => c.action.status === "pending").length +
      waitingElsewhere(this).length;
    this.ui.badge.hidden = pending === 0;
    this.ui.badge.textContent = pending ? String(pending) : "";
    this.ui.badgeText.textContent = pending ? ` (${pending} waiting for your approval)` : "";
  }

  renderEmpty() {
    if (this.ui.log.childElementCount) return;
    this.ui.log.append(
      el(
        "div",
        { class: "empty" },
        el("strong", { text: "How can I help?" }),
        "Ask about your leads, tasks and deals, or have me draft an email. Nothing is sent until you approve it.",
      ),
    );
  }

  clearEmpty() {
    const empty = this.ui.log.querySelector(".empty");
    if (empty) empty.remove();
  }

  isNearEnd() {
    const log = this.ui.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < SCROLL_STICK_PX;
  }

  scrollToEnd(force) {
    const log = this.ui.log;
    if (force || this.stick) log.scrollTop = log.scrollHeight;
  }

  append(node) {
    this.stick = this.isNearEnd();
    this.clearEmpty();
    this.ui.log.append(node);
    this.scrollToEnd(true);
    return node;
  }

  announce(text) {
    const announcer = this.ui.announcer;
    announcer.textContent = "";
    if (text) window.setTimeout(() => (announcer.textContent = text), 50);
  }

  notice(message, container) {
    const node = el("div", { class: "notice", role: "alert", text: message });
    if (container) {
      container.append(node);
      this.scrollToEnd();
    } else {
      this.append(node);
    }
    return node;
  }

  autosize() {
    const input = this.ui.input;
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 160)}px`;
  }

  setBusy(busy) {
    this.busy = busy;
    this.ui.send.disabled = busy || this.over;
    this.ui.log.setAttribute("aria-busy", String(busy));
    for (const card of this.cards.values()) {
      for (const button of card.node.querySelectorAll(".decide")) button.disabled = busy || card.deciding;
    }
  }

  // -- for the parts (history, replies, cards, elsewhere)

  request(method, path, options) {
    return request(() => ({ base: this.apiBase, token: this.token }), method, path, options);
  }

  async getJson(path) {
    const response = await this.request("GET", path);
    return response.json();
  }

  /** How a tool reads, from its profile: `{ label, verb, one, many }`. */
  toolWords(name) {
    return toolWords(this, name);
  }

  run(path, body, options) {
    return run(this, path, body, options);
  }

  submit() {
    return submit(this);
  }

  async loadProfile() {
    try {
      const me = await this.getJson("/api/me");
      if (me && me.display_name) {
        this.ui.subtitle.textContent = `Working for ${me.display_name}`;
      }
    } catch {
      /* the profile is a nicety; the chat works without it */
    }
  }
}

/**
 * Registers <coworker-chat> (once) and, if the page has none, appends one to <body>.
 * `options.api` is the Coworker API origin (default: the page's), `options.token` the
 * token the host signed for the person.
 */
export function defineCoworkerChat(options = {}) {
  if (customElements.get(TAG)) return;
  config = { ...options };
  customElements.define(TAG, CoworkerChat);
  const ensureElement = () => {
    if (!document.querySelector(TAG) && document.body) document.body.append(document.createElement(TAG));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ensureElement, { once: true });
  else ensureElement();
}
