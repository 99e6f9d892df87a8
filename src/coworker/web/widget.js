/*!
 * Dialsheet Coworker chat widget: the <coworker-chat> web component.
 *
 * Plain JavaScript, no build step, no dependencies. Embed it with one tag:
 *
 *   <script src="https://coworker.example.com/widget.js" data-token="SIGNED_TOKEN"></script>
 *
 * The script registers <coworker-chat> and, if the page has none, appends one to <body>.
 * Place the element yourself to choose where it lives (attributes override the script tag's):
 *
 *   <coworker-chat api="https://coworker.example.com" token="SIGNED_TOKEN"></coworker-chat>
 *
 * Script tag attributes
 *   data-token   a token your server signed for the person (sent as `Authorization: Bearer`);
 *                leave it out when the Coworker server does not require one (local use).
 *   data-api     the Coworker API origin; default: the origin this script was loaded from.
 *
 * Theming: set these CSS custom properties on the element (or any ancestor, e.g. :root):
 *
 *   coworker-chat {
 *     --coworker-accent: #2952cc;     buttons, launcher, links, focus rings
 *     --coworker-accent-fg: #ffffff;  text on the accent colour
 *     --coworker-bg: #ffffff;         panel background
 *     --coworker-fg: #1d2433;         text colour (borders and muted text derive from it)
 *     --coworker-radius: 14px;        corner radius of the panel (controls use a smaller one)
 *     --coworker-font: system-ui, sans-serif;
 *     --coworker-z-index: 2147483000; stacking order of the launcher and panel
 *   }
 *
 * Parts for finer styling: ::part(launcher), ::part(panel).
 *
 * Script API: const chat = document.querySelector("coworker-chat");
 *   chat.open(), chat.close(), chat.toggle(), chat.prefill(text), chat.send(text),
 *   chat.newConversation().
 *
 * Safety: everything that comes from the server (replies, tool output, CRM data) reaches the
 * page through textContent and createElement only. innerHTML is used once, for the static
 * template below, which holds no data.
 */
(() => {
  "use strict";

  const TAG = "coworker-chat";
  if (customElements.get(TAG)) return;

  // The <script> that loaded this file: its data-* attributes configure the widget.
  const SCRIPT =
    document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find((s) => /widget\.js(\?|#|$)/.test(s.src)) ||
    null;

  const OUTPUT_PREVIEW_CHARS = 4000;
  const SCROLL_STICK_PX = 80;

  // ----------------------------------------------------------------------------- template

  const CSS = `
  :host {
    --_accent: var(--coworker-accent, #2952cc);
    --_accent-fg: var(--coworker-accent-fg, #ffffff);
    --_bg: var(--coworker-bg, #ffffff);
    --_fg: var(--coworker-fg, #1d2433);
    --_radius: var(--coworker-radius, 14px);
    --_font: var(--coworker-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_muted: color-mix(in srgb, var(--_fg) 62%, var(--_bg));
    --_line: color-mix(in srgb, var(--_fg) 14%, var(--_bg));
    --_soft: color-mix(in srgb, var(--_fg) 5%, var(--_bg));
    --_accent-soft: color-mix(in srgb, var(--_accent) 10%, var(--_bg));
    --_ok: #1a7f4b;
    --_bad: #b42318;
    --_warn: #a15c07;
    --_small-radius: calc(var(--_radius) * 0.6);
    position: fixed;
    right: 20px;
    bottom: 20px;
    z-index: var(--coworker-z-index, 2147483000);
    font-family: var(--_font);
    font-size: 14px;
    line-height: 1.45;
    color: var(--_fg);
  }
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  button, input, textarea { font: inherit; color: inherit; }
  :focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }

  .launcher {
    display: inline-flex; align-items: center; gap: 8px;
    padding: 12px 18px; border: 0; border-radius: 999px; cursor: pointer;
    background: var(--_accent); color: var(--_accent-fg); font-weight: 600;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.18);
  }
  .launcher:hover { filter: brightness(1.08); }
  .launcher svg { width: 20px; height: 20px; flex: none; }
  .badge {
    min-width: 20px; height: 20px; padding: 0 6px; border-radius: 999px;
    background: var(--_accent-fg); color: var(--_accent);
    font-size: 12px; line-height: 20px; text-align: center;
  }

  .panel {
    position: absolute; right: 0; bottom: 64px;
    display: flex; flex-direction: column;
    width: min(410px, calc(100vw - 32px));
    height: min(760px, calc(100vh - 110px));
    background: var(--_bg); color: var(--_fg);
    border: 1px solid var(--_line); border-radius: var(--_radius);
    box-shadow: 0 18px 50px rgb(0 0 0 / 0.22);
    overflow: hidden;
  }
  @media (max-width: 480px) {
    :host { right: 12px; bottom: 12px; }
    .panel { position: fixed; inset: 8px; width: auto; height: auto; }
  }

  header {
    display: flex; align-items: center; gap: 8px;
    padding: 12px 12px 12px 16px; border-bottom: 1px solid var(--_line);
  }
  header h2 { margin: 0; font-size: 15px; font-weight: 650; flex: 1; }
  header .sub { display: block; font-size: 12px; font-weight: 400; color: var(--_muted); }
  .icon-btn, .text-btn {
    border: 1px solid transparent; background: transparent; cursor: pointer;
    border-radius: var(--_small-radius);
  }
  .text-btn { padding: 5px 9px; font-size: 13px; color: var(--_muted); border-color: var(--_line); }
  .text-btn:hover, .icon-btn:hover { background: var(--_soft); color: var(--_fg); }
  .icon-btn { width: 32px; height: 32px; display: inline-grid; place-items: center; color: var(--_muted); }
  .icon-btn svg { width: 18px; height: 18px; }

  .log {
    flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 12px;
    overscroll-behavior: contain;
  }
  .empty { margin: auto 0; text-align: center; color: var(--_muted); padding: 24px 12px; }
  .empty strong { display: block; color: var(--_fg); font-size: 15px; margin-bottom: 4px; }
  .earlier { align-self: center; }

  .msg { max-width: 100%; overflow-wrap: anywhere; }
  .msg.user {
    align-self: flex-end; max-width: 85%;
    background: var(--_accent); color: var(--_accent-fg);
    padding: 8px 12px; border-radius: var(--_radius) var(--_radius) 4px var(--_radius);
    white-space: pre-wrap;
  }
  .msg.assistant { align-self: stretch; display: flex; flex-direction: column; gap: 8px; }
  .md > :first-child { margin-top: 0; }
  .md > :last-child { margin-bottom: 0; }
  .md p, .md ul, .md ol, .md pre, .md blockquote, .md table { margin: 0 0 8px; }
  .md ul, .md ol { padding-left: 22px; }
  .md li + li { margin-top: 2px; }
  .md li > ul, .md li > ol { margin: 2px 0 0; }
  .md a { color: var(--_accent); text-underline-offset: 2px; }
  .md code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
    background: var(--_soft); border: 1px solid var(--_line); border-radius: 4px; padding: 0 4px;
  }
  .md pre {
    background: var(--_soft); border: 1px solid var(--_line); border-radius: var(--_small-radius);
    padding: 8px 10px; overflow-x: auto; white-space: pre;
  }
  .md pre code { background: none; border: 0; padding: 0; }
  .md blockquote { border-left: 3px solid var(--_line); padding-left: 10px; color: var(--_muted); }
  .md hr { border: 0; border-top: 1px solid var(--_line); margin: 10px 0; }
  .md table { border-collapse: collapse; display: block; overflow-x: auto; font-size: 13px; }
  .md th, .md td { border: 1px solid var(--_line); padding: 4px 8px; text-align: left; vertical-align: top; }
  .md th { background: var(--_soft); }
  .md .heading { font-weight: 650; }

  .typing { display: inline-flex; gap: 4px; padding: 6px 0; }
  .typing span {
    width: 6px; height: 6px; border-radius: 50%; background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out both;
  }
  .typing span:nth-child(2) { animation-delay: 0.2s; }
  .typing span:nth-child(3) { animation-delay: 0.4s; }
  @keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
  @media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: 0.6; } }

  .tool { font-size: 12.5px; color: var(--_muted); }
  .tool summary {
    cursor: pointer; list-style: none; display: inline-flex; align-items: baseline; gap: 6px;
    border-radius: 4px; padding: 1px 2px;
  }
  .tool summary::-webkit-details-marker { display: none; }
  .tool .mark { display: inline-block; width: 1em; text-align: center; font-weight: 700; }
  .tool.ok .mark { color: var(--_ok); }
  .tool.error .mark { color: var(--_bad); }
  .tool .name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .tool .note { font-style: italic; }
  .tool pre {
    margin: 4px 0 0; padding: 6px 8px; max-height: 180px; overflow: auto;
    background: var(--_soft); border: 1px solid var(--_line); border-radius: 6px;
    white-space: pre-wrap; word-break: break-word; font-size: 12px;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
  .tool .label { margin-top: 6px; font-weight: 600; }

  .card {
    border: 1px solid var(--_line); border-radius: var(--_radius);
    background: var(--_bg); box-shadow: 0 1px 3px rgb(0 0 0 / 0.06); overflow: hidden;
  }
  .card[data-status="pending"] { border-color: color-mix(in srgb, var(--_accent) 45%, var(--_bg)); }
  .card-head {
    display: flex; align-items: center; gap: 8px; padding: 8px 12px;
    background: var(--_accent-soft); border-bottom: 1px solid var(--_line); font-weight: 650;
  }
  .card:not([data-status="pending"]) .card-head { background: var(--_soft); }
  .card-head .risk {
    margin-left: auto; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--_warn);
  }
  .card-body { padding: 10px 12px; display: flex; flex-direction: column; gap: 7px; }
  .fields { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
  .fields dt { color: var(--_muted); }
  .fields dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
  .fields.raw { font-size: 11.5px; line-height: 1.35; gap: 2px 12px; }
  .fields.raw dd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--_muted); }
  .field { display: flex; flex-direction: column; gap: 4px; }
  .field label { font-size: 12.5px; font-weight: 600; color: var(--_muted); }
  .field input, .field textarea {
    width: 100%; padding: 7px 9px; border: 1px solid var(--_line); border-radius: var(--_small-radius);
    background: var(--_bg);
  }
  .field textarea {
    resize: vertical; min-height: 96px; max-height: 280px; line-height: 1.45;
    field-sizing: content; /* grows with the draft where supported; rows= elsewhere */
  }
  .field input:focus-visible, .field textarea:focus-visible, .composer textarea:focus-visible {
    outline: 2px solid var(--_accent); outline-offset: 0; border-color: var(--_accent);
  }
  .final { white-space: pre-wrap; overflow-wrap: anywhere; }
  .buttons { display: flex; flex-wrap: wrap; gap: 8px; }
  .btn {
    padding: 7px 14px; border-radius: var(--_small-radius); cursor: pointer; font-weight: 600;
    border: 1px solid var(--_line); background: var(--_bg);
  }
  .btn:hover:not(:disabled) { background: var(--_soft); }
  .btn.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-fg); }
  .btn.primary:hover:not(:disabled) { background: var(--_accent); filter: brightness(1.08); }
  .btn.danger { color: var(--_bad); }
  .btn:disabled { opacity: 0.55; cursor: not-allowed; }
  .outcome { font-weight: 600; }
  .outcome.ok { color: var(--_ok); }
  .outcome.bad { color: var(--_bad); }
  .outcome.warn { color: var(--_warn); }
  .outcome.muted { color: var(--_muted); }
  .expires { margin-left: auto; align-self: center; font-size: 12px; color: var(--_muted); }

  .notice {
    padding: 8px 12px; border-radius: var(--_small-radius); font-size: 13px;
    background: color-mix(in srgb, var(--_bad) 8%, var(--_bg));
    border: 1px solid color-mix(in srgb, var(--_bad) 30%, var(--_bg)); color: var(--_bad);
  }

  .elsewhere { flex: none; max-height: 40%; overflow-y: auto; }
  .elsewhere-box {
    margin: 10px 12px 0; padding: 8px 10px;
    border: 1px solid color-mix(in srgb, var(--_accent) 35%, var(--_bg));
    border-radius: var(--_small-radius); background: var(--_accent-soft); font-size: 13px;
  }
  .elsewhere-box p { margin: 0 0 6px; font-weight: 650; }
  .elsewhere-box ul { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 6px; }
  .elsewhere-box li { display: flex; align-items: center; gap: 8px; }
  .elsewhere-box .what { flex: 1; min-width: 0; overflow-wrap: anywhere; }
  .elsewhere-box .where { display: block; font-size: 12px; color: var(--_muted); }
  .elsewhere-box .btn { padding: 4px 10px; flex: none; }

  .composer {
    display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px;
    border-top: 1px solid var(--_line); background: var(--_bg);
  }
  .composer textarea {
    flex: 1; resize: none; max-height: 160px; min-height: 40px; padding: 9px 11px;
    border: 1px solid var(--_line); border-radius: var(--_small-radius); background: var(--_bg);
    line-height: 1.4;
  }
  .composer .btn { height: 40px; }
`;

  const MARKUP = `
<button class="launcher" part="launcher" type="button" aria-haspopup="dialog" aria-expanded="false" aria-controls="panel">
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>
  <span class="launcher-label">Ask Coworker</span>
  <span class="badge" aria-hidden="true" hidden></span>
  <span class="sr-only badge-text"></span>
</button>
<section class="panel" id="panel" part="panel" role="dialog" aria-modal="false" aria-labelledby="title" hidden>
  <header>
    <h2 id="title">Coworker<span class="sub">Your Dialsheet assistant</span></h2>
    <button class="text-btn new" type="button">New conversation</button>
    <button class="icon-btn close" type="button" aria-label="Close chat">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>
    </button>
  </header>
  <div class="elsewhere" aria-live="polite"></div>
  <div class="log" role="region" aria-label="Conversation" tabindex="0"></div>
  <div class="sr-only announcer" aria-live="polite" aria-atomic="true"></div>
  <form class="composer">
    <label class="sr-only" for="input">Message Coworker</label>
    <textarea id="input" rows="1" placeholder="Ask about your leads, tasks, emails…" autocomplete="off"></textarea>
    <button class="btn primary send" type="submit">Send</button>
  </form>
</section>`;

  // ----------------------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function pretty(value) {
    if (value === undefined) return "";
    if (typeof value === "string") {
      try {
        return JSON.stringify(JSON.parse(value), null, 2);
      } catch {
        return value;
      }
    }
    try {
      return JSON.stringify(value, null, 2);
    } catch {
      return String(value);
    }
  }

  function clip(text, limit) {
    return text.length > limit ? text.slice(0, limit) + "\n…" : text;
  }

  function humanize(key) {
    const words = String(key).replace(/_/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  class ApiError extends Error {
    constructor(status, message, body, retryAfter) {
      super(message);
      this.status = status;
      this.body = body;
      this.retryAfter = retryAfter;
    }
  }

  function describeError(error) {
    if (error instanceof ApiError) {
      if (error.status === 429) {
        // Retry-After, or the server's words when a cross-origin page cannot read the header.
        const stated = /(\d+)\s*s(?:econds?)?\b/.exec(error.message || "");
        const seconds = Number.parseInt(error.retryAfter || (stated && stated[1]), 10);
        return Number.isFinite(seconds) && seconds > 0
          ? `You're sending messages too fast; try again in ${seconds} s.`
          : "You're sending messages too fast; try again in a moment.";
      }
      if (error.status === 401) {
        return "You're not signed in to Coworker (the token is missing or has expired). Reload the page to sign in again.";
      }
      if (error.status === 403) return error.message || "You're not allowed to do that.";
      if (error.status === 413) {
        return error.message ? `That message is too long: ${error.message}` : "That message is too long.";
      }
      if (error.status >= 500) {
        return `Coworker ran into a problem (HTTP ${error.status}). Please try again.` +
          (error.message ? ` ${error.message}` : "");
      }
      return error.message || `The request failed (HTTP ${error.status}).`;
    }
    if (error && error.name === "TypeError") {
      return "Can't reach Coworker. Check your connection and try again.";
    }
    return (error && error.message) || "Something went wrong.";
  }

  // ----------------------------------------------------------------------------- markdown
  //
  // A small Markdown subset, built as DOM nodes (never HTML strings): paragraphs with line
  // breaks, headings (as bold lines), **bold**, *italic*, `code`, fenced and indented code
  // blocks, bullet and numbered lists (nested by indentation), > quotes, --- rules, simple
  // tables, and links that only keep http(s) and mailto targets.

  const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
  const BULLET = /^( *)([-*+])\s+(.*)$/;
  const ORDERED = /^( *)(\d{1,9})[.)]\s+(.*)$/;
  const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
  const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
  const QUOTE = /^ {0,3}>\s?(.*)$/;
  const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

  function renderMarkdown(source) {
    const fragment = document.createDocumentFragment();
    renderBlocks(String(source).replace(/\r\n?/g, "\n").split("\n"), fragment);
    return fragment;
  }

  function listMatch(line) {
    const bullet = BULLET.exec(line);
    if (bullet) return { indent: bullet[1].length, ordered: false, start: 1, text: bullet[3] };
    const ordered = ORDERED.exec(line);
    if (ordered) {
      return { indent: ordered[1].length, ordered: true, start: Number(ordered[2]), text: ordered[3] };
    }
    return null;
  }

  function startsBlock(line) {
    return FENCE.test(line) || HEADING.test(line) || QUOTE.test(line) || RULE.test(line) || listMatch(line) !== null;
  }

  function splitRow(line) {
    let row = line.trim();
    if (row.startsWith("|")) row = row.slice(1);
    if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
    return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
  }

  function renderBlocks(lines, parent) {
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) {
        i += 1;
        continue;
      }
      const fence = FENCE.exec(line);
      if (fence) {
        const body = [];
        i += 1;
        while (i < lines.length && !new RegExp(`^ {0,3}${fence[1][0]}{${fence[1].length},}\\s*$`).test(lines[i])) {
          body.push(lines[i]);
          i += 1;
        }
        i += 1; // the closing fence (or the end, while a reply is still streaming)
        const code = el("code", { text: body.join("\n") });
        if (fence[2]) code.setAttribute("data-lang", fence[2]);
        parent.append(el("pre", null, code));
        continue;
      }
      if (/^( {4}|\t)/.test(line) && !listMatch(line)) {
        const body = [];
        while (i < lines.length && (/^( {4}|\t)/.test(lines[i]) || !lines[i].trim())) {
          body.push(lines[i].replace(/^( {4}|\t)/, ""));
          i += 1;
        }
        while (body.length && !body[body.length - 1].trim()) body.pop();
        parent.append(el("pre", null, el("code", { text: body.join("\n") })));
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        const p = el("p", { class: "heading", role: "heading", "aria-level": String(Math.min(6, heading[1].length + 2)) });
        renderInline(heading[2], p);
        parent.append(p);
        i += 1;
        continue;
      }
      if (RULE.test(line)) {
        parent.append(el("hr"));
        i += 1;
        continue;
      }
      if (QUOTE.test(line)) {
        const body = [];
        while (i < lines.length && QUOTE.test(lines[i])) {
          body.push(QUOTE.exec(lines[i])[1]);
          i += 1;
        }
        const quote = el("blockquote");
        renderBlocks(body, quote);
        parent.append(quote);
        continue;
      }
      const item = listMatch(line);
      if (item) {
        i = renderList(lines, i, item, parent);
        continue;
      }
      if (line.includes("|") && i + 1 < lines.length && lines[i + 1].includes("|") && TABLE_SEP.test(lines[i + 1])) {
        const head = splitRow(line);
        const table = el("table");
        const headRow = el("tr");
        for (const cell of head) {
          const th = el("th", { scope: "col" });
          renderInline(cell, th);
          headRow.append(th);
        }
        table.append(el("thead", null, headRow));
        const tbody = el("tbody");
        i += 2;
        while (i < lines.length && lines[i].trim() && lines[i].includes("|")) {
          const cells = splitRow(lines[i]);
          const tr = el("tr");
          for (let c = 0; c < head.length; c += 1) {
            const td = el("td");
            renderInline(cells[c] || "", td);
            tr.append(td);
          }
          tbody.append(tr);
          i += 1;
        }
        table.append(tbody);
        parent.append(table);
        continue;
      }
      // A paragraph: consecutive lines until a blank line or another block starts.
      const body = [line.trim()];
      i += 1;
      while (i < lines.length && lines[i].trim() && !startsBlock(lines[i])) {
        body.push(lines[i].trim());
        i += 1;
      }
      const p = el("p");
      body.forEach((text, index) => {
        if (index) p.append(el("br"));
        renderInline(text, p);
      });
      parent.append(p);
    }
  }

  function renderList(lines, i, first, parent) {
    const list = first.ordered ? el("ol") : el("ul");
    if (first.ordered && first.start !== 1) list.setAttribute("start", String(first.start));
    const base = first.indent;
    while (i < lines.length) {
      const item = listMatch(lines[i]);
      if (!item || item.indent !== base || item.ordered !== first.ordered) break;
      const li = el("li");
      const content = [item.text];
      const inner = [];
      i += 1;
      // The item's own lines: continuation text and anything indented deeper than the marker.
      while (i < lines.length) {
        const next = lines[i];
        if (!next.trim()) {
          const after = lines[i + 1];
          if (after !== undefined && after.trim() && indentOf(after) > base) {
            inner.push("");
            i += 1;
            continue;
          }
          break;
        }
        const nextItem = listMatch(next);
        if (nextItem && nextItem.indent <= base) break;
        if (!nextItem && !inner.length && indentOf(next) <= base && startsBlock(next)) break;
        if (nextItem || inner.length) inner.push(next);
        else content.push(next.trim());
        i += 1;
      }
      content.forEach((text, index) => {
        if (index) li.append(el("br"));
        renderInline(text, li);
      });
      if (inner.length) {
        const depth = Math.min(...inner.filter((l) => l.trim()).map(indentOf));
        renderBlocks(inner.map((l) => l.slice(Math.min(depth, indentOf(l)))), li);
      }
      list.append(li);
      // Skip single blank lines between items of the same list.
      if (i < lines.length && !lines[i].trim()) {
        const after = lines[i + 1];
        const next = after === undefined ? null : listMatch(after);
        if (next && next.indent === base && next.ordered === first.ordered) i += 1;
      }
    }
    parent.append(list);
    return i;
  }

  function indentOf(line) {
    return line.length - line.trimStart().length;
  }

  const INLINE = [
    { kind: "escape", re: /\\([\\`*_{}[\]()#+\-.!|>~])/ },
    { kind: "code", re: /(`+)([\s\S]*?[^`])\1(?!`)/ },
    { kind: "link", re: /\[((?:[^\[\]\\]|\\.)+)\]\(\s*<?([^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*)>?(?:\s+"[^"]*")?\s*\)/ },
    { kind: "strong", re: /\*\*(?=\S)([\s\S]*?\S)\*\*(?!\*)/ },
    { kind: "strong", re: /(?<![\w])__(?=\S)([\s\S]*?\S)__(?![\w])/ },
    { kind: "em", re: /(?<!\*)\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/ },
    { kind: "em", re: /(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])/ },
    { kind: "strike", re: /~~(?=\S)([\s\S]*?\S)~~/ },
    { kind: "url", re: /\b(?:https?:\/\/|mailto:)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/ },
  ];

  function safeHref(raw) {
    try {
      const url = new URL(raw, "https://invalid.invalid/");
      if (url.origin === "https://invalid.invalid") return null; // relative: nowhere safe to go
      return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(href, build) {
    const a = el("a", { href, target: "_blank", rel: "noopener noreferrer" });
    build(a);
    return a;
  }

  function renderInline(text, parent) {
    let rest = text;
    while (rest) {
      let best = null;
      for (const token of INLINE) {
        const match = token.re.exec(rest);
        if (match && (best === null || match.index < best.match.index)) best = { token, match };
      }
      if (!best) {
        parent.append(document.createTextNode(rest));
        return;
      }
      const { token, match } = best;
      if (match.index) parent.append(document.createTextNode(rest.slice(0, match.index)));
      rest = rest.slice(match.index + match[0].length);
      switch (token.kind) {
        case "escape":
          parent.append(document.createTextNode(match[1]));
          break;
        case "code": {
          const body = match[2];
          parent.append(el("code", { text: /^ .* $/.test(body) ? body.slice(1, -1) : body }));
          break;
        }
        case "link": {
          const href = safeHref(match[2]);
          if (href) parent.append(link(href, (a) => renderInline(match[1], a)));
          else renderInline(match[1], parent); // an unsafe target: keep only the words
          break;
        }
        case "url": {
          let url = match[0];
          // Keep a closing parenthesis that belongs to the address: …/Widget_(part)
          if (rest.startsWith(")") && (url.match(/\(/g) || []).length > (url.match(/\)/g) || []).length) {
            url += ")";
            rest = rest.slice(1);
          }
          const href = safeHref(url);
          if (href) parent.append(link(href, (a) => a.append(document.createTextNode(url))));
          else parent.append(document.createTextNode(url));
          break;
        }
        default: {
          const node = el(token.kind === "strike" ? "s" : token.kind);
          renderInline(match[1], node);
          parent.append(node);
        }
      }
    }
  }

  // ----------------------------------------------------------------------------- actions

  const DISPLAY_ORDER = ["from", "to", "lead", "sequence"];
  const FIELD_LABELS = {
    from: "From",
    to: "To",
    lead: "Lead",
    sequence: "Sequence",
    subject: "Subject",
    body_text: "Body",
    message: "Message",
    to_email: "To (address)",
    email_account_id: "Mailbox id",
    lead_id: "Lead id",
    sequence_id: "Sequence id",
  };
  const MULTILINE_FIELDS = new Set(["body_text", "message", "content", "description", "body"]);

  function actionTitle(tool) {
    switch (tool) {
      case "send_email":
        return "Send this email?";
      case "send_sms":
        return "Send this text message?";
      case "enroll_in_sequence":
        return "Enroll in this sequence?";
      default:
        if (/^delete_/.test(tool)) return `Delete this ${humanize(tool.slice(7)).toLowerCase()}?`;
        return `Run ${tool}?`;
    }
  }

  // One line for a waiting action shown outside its conversation: "Send email: jane@acme.com, “Pricing”".
  function actionSummary(action) {
    const display = action.display || {};
    const subject = asText(finalValue(action, "subject"));
    const details = [display.to || display.lead, display.sequence, subject && `“${subject}”`].filter(Boolean);
    const text = details.length ? `${humanize(action.tool)}: ${details.map(asText).join(", ")}` : humanize(action.tool);
    return clip(text, 160);
  }

  function outcomeOf(action) {
    const done = {
      send_email: "Email sent",
      send_sms: "Text message sent",
      enroll_in_sequence: "Enrolled",
    }[action.tool] || (/^delete_/.test(action.tool) ? "Deleted" : "Done");
    switch (action.status) {
      case "pending":
        return { text: "Waiting for your approval", tone: "muted" };
      case "executing":
        return { text: "Running…", tone: "muted" };
      case "succeeded":
        return { text: `✓ ${done}`, tone: "ok" };
      case "failed":
        return { text: `✗ Failed${action.error ? `: ${action.error}` : ""}`, tone: "bad" };
      case "unknown":
        return {
          text: "? Outcome unknown: the CRM did not answer. Check its history before trying again.",
          tone: "warn",
        };
      case "rejected":
        return { text: `Cancelled${action.reason ? ` — “${action.reason}”` : ""}`, tone: "muted" };
      case "expired":
        return { text: "Expired: it waited too long for approval, so nothing was done.", tone: "muted" };
      case "superseded":
        return { text: "Not done: a newer message replaced this request.", tone: "muted" };
      case "stale":
        return {
          text: `Not done: it changed since you saw this card${action.error ? ` — ${action.error}` : "."}`,
          tone: "warn",
        };
      default:
        return { text: humanize(action.status || "unknown"), tone: "muted" };
    }
  }

  function finalValue(action, key) {
    if (action.edits && Object.prototype.hasOwnProperty.call(action.edits, key)) return action.edits[key];
    return action.input ? action.input[key] : undefined;
  }

  function asText(value) {
    if (value === undefined || value === null) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  // ----------------------------------------------------------------------------- element

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
      };
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
      this.ui.input.addEventListener("input", () => this.autosize());
      this.updateLauncher();
    }

    // -- configuration

    get apiBase() {
      const explicit = this.getAttribute("api") || (SCRIPT && SCRIPT.dataset.api);
      if (explicit) return explicit.replace(/\/+$/, "");
      if (SCRIPT && SCRIPT.src) return new URL(SCRIPT.src, document.baseURI).origin;
      return window.location.origin;
    }

    get token() {
      return this.getAttribute("token") || (SCRIPT && SCRIPT.dataset.token) || "";
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
      if (this.conversationId) this.loadHistory(this.conversationId);
      this.loadProfile();
      this.refreshElsewhere();
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
      this.refreshElsewhere();
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
      this.ui.input.focus();
      this.ui.input.setSelectionRange(this.ui.input.value.length, this.ui.input.value.length);
    }

    send(text) {
      this.open();
      this.ui.input.value = String(text);
      return this.submit();
    }

    newConversation() {
      this.reset();
      this.renderElsewhere();
      this.refreshElsewhere(); // the one just left may hold a waiting action
      this.ui.input.focus();
    }

    /** Show another of the person's conversations, exactly as a reload would restore it. */
    async showConversation(conversationId, actionId) {
      this.ui.log.focus({ preventScroll: true }); // the button that asked is about to go
      this.reset();
      this.setConversation(conversationId);
      this.renderElsewhere();
      this.refreshElsewhere();
      const generation = this.generation;
      await this.loadHistory(conversationId);
      if (generation !== this.generation) return;
      const card = this.cards.get(actionId);
      if (card && card.action.status === "pending") {
        card.node.setAttribute("tabindex", "-1");
        card.node.focus();
        this.announce(`${actionTitle(card.action.tool)} It waits for your approval.`);
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
        this.waitingElsewhere().length;
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
      this.ui.send.disabled = busy;
      this.ui.log.setAttribute("aria-busy", String(busy));
      for (const card of this.cards.values()) {
        for (const button of card.node.querySelectorAll(".decide")) button.disabled = busy || card.deciding;
      }
    }

    // -- HTTP

    headers(extra) {
      const headers = { ...extra };
      if (this.token) headers.Authorization = `Bearer ${this.token}`;
      return headers;
    }

    async request(method, path, { body, stream, signal } = {}) {
      const headers = this.headers({ Accept: stream ? "text/event-stream" : "application/json" });
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(this.apiBase + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: "omit",
        cache: "no-store",
      });
      if (!response.ok) {
        let data = null;
        try {
          data = await response.json();
        } catch {
          /* not JSON */
        }
        const message = data && typeof data.error === "string" ? data.error : "";
        throw new ApiError(response.status, message, data, response.headers.get("Retry-After"));
      }
      return response;
    }

    async getJson(path) {
      const response = await this.request("GET", path);
      return response.json();
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

    // -- history

    async loadHistory(conversationId) {
      const generation = this.generation;
      let data;
      try {
        data = await this.getJson(`/api/conversations/${encodeURIComponent(conversationId)}`);
      } catch (error) {
        if (generation !== this.generation) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
          this.forgetConversation(); // gone, or someone else's: start afresh
          return;
        }
        this.notice(`Couldn't load the earlier conversation. ${describeError(error)}`);
        return;
      }
      if (generation !== this.generation) return;
      this.renderHistory(data);
      this.showEarlier(data.next_before);
    }

    // The history comes a page at a time, the latest first: older pages are asked for with
    // the button at the top of the log, so a long conversation opens as fast as a short one.
    showEarlier(before) {
      if (this.earlierButton) this.earlierButton.remove();
      this.earlierButton = null;
      if (before === null || before === undefined) return;
      const button = el("button", { type: "button", class: "text-btn earlier", text: "Load earlier messages" });
      button.addEventListener("click", () => this.loadEarlier(before));
      this.ui.log.prepend(button);
      this.earlierButton = button;
    }

    /** The page before `before`, put above what is shown, the view kept where it was. */
    async loadEarlier(before) {
      const conversationId = this.conversationId;
      const generation = this.generation;
      const button = this.earlierButton;
      if (!conversationId || !button || button.disabled) return;
      button.disabled = true;
      let data;
      try {
        const query = new URLSearchParams({ before: String(before) });
        data = await this.getJson(`/api/conversations/${encodeURIComponent(conversationId)}?${query}`);
      } catch (error) {
        if (generation !== this.generation) return;
        button.disabled = false;
        this.notice(`Couldn't load earlier messages. ${describeError(error)}`);
        return;
      }
      if (generation !== this.generation) return;
      const log = this.ui.log;
      const shown = new Set(log.children);
      const fromBottom = log.scrollHeight - log.scrollTop;
      this.renderHistory(data); // rendered at the end, then moved up above the rest
      const added = Array.from(log.children).filter((node) => !shown.has(node));
      button.after(...added);
      log.scrollTop = log.scrollHeight - fromBottom;
      this.showEarlier(data.next_before);
    }

    renderHistory(data) {
      const actions = Array.isArray(data.actions) ? data.actions : [];
      const byTool = new Map(actions.map((a) => [a.tool_use_id, a]));
      const placed = new Set();
      for (const message of Array.isArray(data.messages) ? data.messages : []) {
        const parts = Array.isArray(message.parts) ? message.parts : [];
        if (message.role === "user") {
          const text = parts.filter((p) => p.type === "text").map((p) => p.text).join("\n\n");
          if (text.trim()) this.append(el("div", { class: "msg user", text }));
          continue;
        }
        const turn = this.startTurn({ typing: false });
        for (const part of parts) {
          if (part.type === "text") {
            const block = turn.textBlock();
            block.raw = String(part.text || "");
            turn.flush(block);
          } else if (part.type === "tool") {
            const line = turn.tool(part.toolCallId, part.toolName, part.input);
            const action = byTool.get(part.toolCallId);
            if (action) {
              this.upsertAction(action, turn);
              line.node.hidden = true; // its card stands for it (on an older page: shown already)
              placed.add(action.id);
            } else if ("output" in part && part.output !== undefined && part.output !== null) {
              if (part.isError) line.fail(part.output);
              else line.done(part.output);
            }
          }
        }
        turn.end({ announce: false });
      }
      // Actions whose tool call is not in the shown messages still get their card.
      const rest = actions.filter((a) => !placed.has(a.id));
      if (rest.length) {
        const turn = this.startTurn({ typing: false });
        for (const action of rest) this.upsertAction(action, turn);
        turn.end({ announce: false });
      }
      this.updateLauncher();
      this.scrollToEnd(true);
    }

    // -- sending and streaming

    async submit() {
      const text = this.ui.input.value;
      if (!text.trim() || this.busy) return;
      for (const stale of this.ui.log.querySelectorAll(".notice.refused")) stale.remove();
      this.ui.input.value = "";
      this.autosize();
      const bubble = this.append(el("div", { class: "msg user", text }));
      const body = { message: text };
      if (this.conversationId) body.conversation_id = this.conversationId;
      const ok = await this.run("/api/chat", body, {
        onRefused: (error) => {
          // The message was not accepted: give it back so nothing typed is lost.
          bubble.remove();
          if (!this.ui.input.value) {
            this.ui.input.value = text;
            this.autosize();
          }
          this.notice(describeError(error)).classList.add("refused"); // gone on the next send
        },
      });
      return ok;
    }

    /**
     * POST `path` and render the streamed reply into a new assistant message. `onRefused`
     * handles an error answer before any streaming (the default shows it in the log).
     */
    async run(path, body, { onRefused } = {}) {
      const generation = this.generation;
      const controller = new AbortController();
      this.controller = controller;
      this.setBusy(true);
      const turn = this.startTurn({ typing: true });
      try {
        let response;
        try {
          response = await this.request("POST", path, { body, stream: true, signal: controller.signal });
        } catch (error) {
          turn.discard();
          if (controller.signal.aborted) return false;
          if (onRefused) onRefused(error);
          else this.notice(describeError(error));
          return false;
        }
        const type = response.headers.get("Content-Type") || "";
        if (type.includes("text/event-stream") && response.body) {
          await this.readStream(response.body, turn, generation);
        } else {
          this.renderJsonReply(await response.json(), turn);
        }
        return true;
      } catch (error) {
        if (controller.signal.aborted || generation !== this.generation) return false;
        turn.error(
          error instanceof StreamCut
            ? "The connection was interrupted, so this reply may be incomplete."
            : describeError(error),
        );
        return false;
      } finally {
        if (generation === this.generation) {
          turn.end({ announce: true });
          if (this.controller === controller) this.controller = null;
          this.setBusy(false);
          this.updateLauncher();
          this.refreshPending();
          this.refreshElsewhere();
        }
      }
    }

    async readStream(stream, turn, generation) {
      const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let finished = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (generation !== this.generation) {
          reader.cancel().catch(() => {});
          return;
        }
        if (done) break;
        buffer += value;
        let boundary;
        while ((boundary = buffer.search(/\r?\n\r?\n/)) !== -1) {
          const event = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + (buffer[boundary] === "\r" ? 4 : 2));
          const data = event
            .split(/\r?\n/)
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).replace(/^ /, ""))
            .join("\n");
          if (!data) continue;
          if (data === "[DONE]") {
            finished = true;
            continue;
          }
          let part;
          try {
            part = JSON.parse(data);
          } catch {
            continue; // not a part we understand
          }
          this.handlePart(part, turn);
        }
      }
      if (!finished) throw new StreamCut();
    }

    handlePart(part, turn) {
      switch (part.type) {
        case "data-conversation":
          if (part.data && part.data.conversation_id) this.setConversation(part.data.conversation_id);
          break;
        case "text-start":
          turn.textBlock(part.id);
          break;
        case "text-delta":
          turn.appendText(part.id, part.delta || "");
          break;
        case "text-end":
          turn.flush(turn.blocks.get(part.id));
          break;
        case "tool-input-available":
          turn.tool(part.toolCallId, part.toolName, part.input);
          break;
        case "tool-output-available": {
          const line = this.toolLines.get(part.toolCallId);
          if (line) line.done(part.output);
          break;
        }
        case "tool-output-error": {
          const line = this.toolLines.get(part.toolCallId);
          if (line) line.fail(part.errorText);
          break;
        }
        case "tool-approval-request": {
          const line = this.toolLines.get(part.toolCallId);
          if (line) line.waiting();
          break;
        }
        case "data-action":
          if (part.data) this.upsertAction(part.data, turn);
          break;
        case "error":
          turn.error(part.errorText || "Something went wrong.");
          break;
        case "finish":
          if (part.messageMetadata && part.messageMetadata.conversation_id) {
            this.setConversation(part.messageMetadata.conversation_id);
          }
          break;
        default:
          break; // start, reasoning, sources…: nothing to show
      }
    }

    renderJsonReply(data, turn) {
      if (data.conversation_id) this.setConversation(data.conversation_id);
      for (const action of data.decided || []) this.upsertAction(action, turn);
      if (data.reply) {
        const block = turn.textBlock();
        block.raw = data.reply;
        turn.flush(block);
      }
      for (const action of data.actions || []) this.upsertAction(action, turn);
      for (const message of data.errors || []) turn.error(message);
    }

    // -- one assistant message

    startTurn({ typing }) {
      const chat = this;
      const node = el("div", { class: "msg assistant" });
      const typingNode = typing
        ? el("div", { class: "typing", role: "status", "aria-label": "Coworker is replying" }, el("span"), el("span"), el("span"))
        : null;
      if (typingNode) node.append(typingNode);
      this.append(node);
      let frame = 0;
      const dirty = new Set();
      const turn = {
        node,
        blocks: new Map(),
        texts: [],
        add(child) {
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
          const line = toolLine(name, input);
          chat.toolLines.set(id, line);
          this.add(line.node);
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

    // -- confirmation cards

    upsertAction(action, turn) {
      if (!action || !action.id) return;
      let card = this.cards.get(action.id);
      if (!card) {
        card = { action, node: el("article", { class: "card", "aria-label": actionTitle(action.tool) }), deciding: false };
        this.cards.set(action.id, card);
        if (turn) {
          const line = this.toolLines.get(action.tool_use_id);
          if (line && line.node.parentNode === turn.node) line.node.after(card.node);
          else turn.add(card.node);
        } else {
          this.append(card.node);
        }
      } else {
        const unchanged = card.action.status === "pending" && action.status === "pending";
        card.action = action;
        if (unchanged) return; // keep what the person is typing into the card
      }
      const line = this.toolLines.get(action.tool_use_id);
      if (line) {
        line.status(action);
        line.node.hidden = true; // the card stands for its tool call
      }
      this.renderCard(card);
      this.updateLauncher();
    }

    renderCard(card) {
      const action = card.action;
      const pending = action.status === "pending";
      const node = card.node;
      node.dataset.status = action.status;
      node.dataset.actionId = action.id;
      const titleId = `card-${this.uid}-${action.id}`;
      node.setAttribute("aria-labelledby", titleId);
      node.removeAttribute("aria-label");

      const head = el(
        "div",
        { class: "card-head" },
        el("span", { id: titleId, text: pending ? actionTitle(action.tool) : humanize(action.tool) }),
        action.risk && pending ? el("span", { class: "risk", text: action.risk }) : null,
      );
      const bodyNode = el("div", { class: "card-body" });

      // Who and what, in names a person recognises.
      const display = action.display || {};
      const names = el("dl", { class: "fields" });
      const keys = [...DISPLAY_ORDER.filter((k) => k in display), ...Object.keys(display).filter((k) => !DISPLAY_ORDER.includes(k))];
      for (const key of keys) {
        names.append(el("dt", { text: FIELD_LABELS[key] || humanize(key) }), el("dd", { text: asText(display[key]) }));
      }
      bodyNode.append(names);

      // Then every input field: the editable ones as controls while pending, the rest as text.
      const input = action.input || {};
      const editable = pending && Array.isArray(action.editable) ? action.editable : [];
      const controls = new Map();
      const contentKeys = Object.keys(input).filter((k) => editable.includes(k) || MULTILINE_FIELDS.has(k) || k === "subject");
      const otherKeys = Object.keys(input).filter((k) => !contentKeys.includes(k));
      for (const key of editable) if (!(key in input)) contentKeys.push(key);

      for (const key of contentKeys) {
        const label = FIELD_LABELS[key] || humanize(key);
        if (editable.includes(key)) {
          const id = `f-${this.uid}-${action.id}-${key}`;
          const value = asText(finalValue(action, key));
          const control = MULTILINE_FIELDS.has(key) || value.includes("\n")
            ? el("textarea", { id, name: key, rows: key === "body_text" ? 7 : 4 })
            : el("input", { id, name: key, type: "text" });
          control.value = value;
          control.dataset.original = value;
          controls.set(key, control);
          bodyNode.append(el("div", { class: "field" }, el("label", { for: id, text: label }), control));
        } else {
          names.append(el("dt", { text: label }), el("dd", { class: "final", text: asText(finalValue(action, key)) }));
        }
      }
      if (!names.childElementCount) names.remove();
      if (otherKeys.length) {
        const raw = el("dl", { class: "fields raw" });
        for (const key of otherKeys) {
          raw.append(el("dt", { text: FIELD_LABELS[key] || humanize(key) }), el("dd", { text: asText(input[key]) }));
        }
        bodyNode.append(raw);
      }

      const outcome = outcomeOf(action);
      const status = el("div", { class: `outcome ${outcome.tone}`, role: "status", tabindex: "-1", text: outcome.text });
      card.statusNode = status;

      if (pending) {
        bodyNode.append(this.decisionControls(card, controls, status));
      } else {
        bodyNode.append(status);
      }
      node.replaceChildren(head, bodyNode);
      this.setBusy(this.busy);
    }

    decisionControls(card, controls, status) {
      const action = card.action;
      const wrap = el("div", { class: "decision" });
      const approve = el("button", { type: "button", class: "btn primary decide approve", text: "Approve" });
      const cancel = el("button", { type: "button", class: "btn cancel", text: "Cancel" });
      const buttons = el("div", { class: "buttons" }, approve, cancel);
      const expires = Date.parse(action.expires_at);
      if (Number.isFinite(expires)) {
        const when = new Date(expires).toLocaleString([], {
          month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
        });
        buttons.append(el("span", { class: "expires", text: `Expires ${when}` }));
      }

      const reasonId = `r-${this.uid}-${action.id}`;
      const reason = el("input", { id: reasonId, type: "text", name: "reason", maxlength: "500", placeholder: "e.g. Wrong recipient" });
      const confirm = el("button", { type: "button", class: "btn danger decide confirm-cancel", text: "Confirm cancel" });
      const back = el("button", { type: "button", class: "btn back", text: "Keep it" });
      const cancelBox = el(
        "div",
        { class: "field cancel-box", hidden: true },
        el("label", { for: reasonId, text: "Reason (optional)" }),
        reason,
        el("div", { class: "buttons" }, confirm, back),
      );
      const message = el("div", { class: "outcome muted", hidden: true, role: "status" });

      approve.addEventListener("click", () => {
        const edits = {};
        for (const [key, control] of controls) {
          if (control.value !== control.dataset.original) edits[key] = control.value;
        }
        const body = Object.keys(edits).length ? { edits } : {};
        this.decide(card, "approve", body, { message, status, working: "Sending…" });
      });
      cancel.addEventListener("click", () => {
        buttons.hidden = true;
        cancelBox.hidden = false;
        reason.focus();
      });
      back.addEventListener("click", () => {
        cancelBox.hidden = true;
        buttons.hidden = false;
        cancel.focus();
      });
      reason.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.isComposing) {
          event.preventDefault();
          confirm.click();
        }
      });
      confirm.addEventListener("click", () => {
        const text = reason.value.trim();
        this.decide(card, "reject", text ? { reason: text } : {}, { message, status, working: "Cancelling…" });
      });
      wrap.append(buttons, cancelBox, message);
      return wrap;
    }

    async decide(card, verb, body, { message }) {
      if (this.busy || card.deciding) return;
      card.deciding = true;
      for (const control of card.node.querySelectorAll("input, textarea, button")) control.disabled = true;
      message.hidden = false;
      message.className = "outcome muted";
      message.textContent = verb === "approve" ? "Approving…" : "Cancelling…";
      message.setAttribute("tabindex", "-1");
      message.focus();
      const path = `/api/actions/${encodeURIComponent(card.action.id)}/${verb}`;
      await this.run(path, body, {
        onRefused: (error) => {
          if (error instanceof ApiError && error.status === 409 && error.body && error.body.status) {
            // Decided elsewhere (another tab, Slack) or expired: show where it stands.
            card.deciding = false;
            this.upsertAction({ ...card.action, status: error.body.status }, null);
            this.notice("This was already decided elsewhere, so nothing more was done here.");
            this.refreshAction(card);
            return;
          }
          if (error instanceof ApiError && error.status === 404) {
            card.deciding = false;
            this.upsertAction({ ...card.action, status: "expired" }, null);
            this.notice("That action no longer exists.");
            return;
          }
          card.deciding = false;
          for (const control of card.node.querySelectorAll("input, textarea, button")) control.disabled = false;
          message.className = "outcome bad";
          message.setAttribute("role", "alert");
          message.textContent = describeError(error);
        },
      });
      card.deciding = false;
      if (card.action.status === "pending") {
        // The stream did not carry the decision (an older server): ask where it stands.
        this.refreshAction(card);
      } else if (card.statusNode && card.statusNode.isConnected) {
        card.statusNode.focus({ preventScroll: true });
      }
      this.setBusy(this.busy);
    }

    /**
     * Cards still shown as pending may have been decided without a word in the stream: a new
     * message supersedes them, they expire, or someone decides in another tab or in Slack.
     */
    async refreshPending() {
      const shown = Array.from(this.cards.values()).filter((c) => c.action.status === "pending" && !c.deciding);
      if (!shown.length || !this.conversationId) return;
      const generation = this.generation;
      try {
        const query = `conversation_id=${encodeURIComponent(this.conversationId)}`;
        const data = await this.getJson(`/api/actions?${query}`);
        if (generation !== this.generation) return;
        for (const fresh of data.actions || []) {
          const card = this.cards.get(fresh.id);
          if (card && !card.deciding && card.action.status === "pending" && fresh.status !== "pending") {
            this.upsertAction(fresh, null);
          }
        }
      } catch {
        /* keep the cards as they are; a decision on a stale one answers 409 and updates it */
      }
    }

    // -- actions waiting in the person's other conversations (MCP calls, earlier chats)

    waitingElsewhere() {
      return this.elsewhere.filter((a) => a.conversation_id !== this.conversationId && !this.cards.has(a.id));
    }

    async refreshElsewhere() {
      const seq = ++this.elsewhereSeq;
      try {
        const data = await this.getJson("/api/actions?status=pending");
        if (seq !== this.elsewhereSeq) return;
        this.elsewhere = (data.actions || []).filter((a) => a && a.id && a.status === "pending");
        if (this.waitingElsewhere().length) {
          try {
            const listed = await this.getJson("/api/conversations");
            this.elsewhereTitles = new Map((listed.conversations || []).map((c) => [c.id, c.title]));
          } catch {
            /* titles are a nicety */
          }
          if (seq !== this.elsewhereSeq) return;
        }
      } catch {
        return; // keep what is shown; the chat works without it
      }
      this.renderElsewhere();
      this.updateLauncher();
    }

    renderElsewhere() {
      const waiting = this.waitingElsewhere();
      const titles = this.elsewhereTitles;
      const key = JSON.stringify(waiting.map((a) => [a.id, titles.get(a.conversation_id) || ""]));
      if (key === this.elsewhereKey) return; // unchanged: nothing new to announce
      this.elsewhereKey = key;
      if (!waiting.length) {
        this.ui.elsewhere.replaceChildren();
        return;
      }
      const titleId = `elsewhere-${this.uid}`;
      const count = waiting.length;
      const list = el("ul");
      for (const action of waiting) {
        const summary = actionSummary(action);
        const review = el("button", { type: "button", class: "btn", "aria-label": `Review: ${summary}`, text: "Review" });
        review.addEventListener("click", () => this.showConversation(action.conversation_id, action.id));
        const title = titles.get(action.conversation_id);
        const where = title ? `In “${title}”` : "In another conversation";
        list.append(el("li", null, el("span", { class: "what" }, summary, el("span", { class: "where", text: where })), review));
      }
      this.ui.elsewhere.replaceChildren(
        el(
          "div",
          { class: "elsewhere-box", role: "group", "aria-labelledby": titleId },
          el("p", { id: titleId, text: `${count} ${count === 1 ? "action waits" : "actions wait"} for your approval elsewhere` }),
          list,
        ),
      );
    }

    async refreshAction(card) {
      try {
        const query = `conversation_id=${encodeURIComponent(card.action.conversation_id)}`;
        const data = await this.getJson(`/api/actions?${query}`);
        const fresh = (data.actions || []).find((a) => a.id === card.action.id);
        if (fresh && fresh.status !== "pending") this.upsertAction(fresh, null);
      } catch {
        /* leave the card as it is */
      }
    }
  }

  class StreamCut extends Error {}

  // One tool activity line: "· name…" while it runs, then ✓ or ✗; details on demand.
  function toolLine(name, input) {
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

  customElements.define(TAG, CoworkerChat);

  function ensureElement() {
    if (!document.querySelector(TAG) && document.body) document.body.append(document.createElement(TAG));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ensureElement, { once: true });
  else ensureElement();
})();
