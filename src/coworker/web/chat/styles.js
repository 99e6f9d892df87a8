// The widget's look and its static markup: data, not logic. The markup goes through
// innerHTML once, in the element's constructor; it holds no data from the server.

export const CSS = `
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
  .text-btn[aria-expanded="true"] { background: var(--_accent-soft); color: var(--_fg); }
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

  .chart { margin: 0; padding: 10px 12px; border: 1px solid var(--_line); border-radius: var(--_small-radius); background: var(--_bg); }
  .chart figcaption { font-size: 13px; font-weight: 600; margin-bottom: 8px; }
  .chart-svg { display: block; width: 100%; height: auto; overflow: visible; font-family: var(--_font); }
  .chart-svg text { font-size: 11px; fill: var(--_fg); }
  .chart-svg .bar-label { font-weight: 600; }
  .chart-svg .bar-value, .chart-svg .legend { fill: var(--_muted); }
  .chart-svg .side-yours { fill: var(--_accent); }
  .chart-svg .side-team { fill: color-mix(in srgb, var(--_accent) 35%, var(--_bg)); }

  .typing { display: inline-flex; gap: 4px; padding: 6px 0; }
  .typing span {
    width: 6px; height: 6px; border-radius: 50%; background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out both;
  }
  .typing span:nth-child(2) { animation-delay: 0.2s; }
  .typing span:nth-child(3) { animation-delay: 0.4s; }
  @keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
  @media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: 0.6; } }

  .activity { font-size: 13px; color: var(--_muted); }
  .activity > summary {
    cursor: pointer; list-style: none; display: inline-flex; align-items: baseline; gap: 6px;
    border-radius: 4px; padding: 1px 2px;
  }
  .activity > summary::-webkit-details-marker { display: none; }
  .activity > summary::before {
    content: ""; flex: none; width: 6px; height: 6px; align-self: center;
    border-right: 1.5px solid currentColor; border-bottom: 1.5px solid currentColor;
    transform: rotate(-45deg); transition: transform 0.15s;
  }
  .activity[open] > summary::before { transform: rotate(45deg); }
  .activity[data-state="error"] .state { color: var(--_bad); }
  .activity .calls {
    display: flex; flex-direction: column; gap: 2px; margin: 6px 0 0 4px; padding-left: 10px;
    border-left: 2px solid var(--_line);
  }
  .tool { font-size: 12.5px; color: var(--_muted); }
  .tool summary {
    cursor: pointer; list-style: none; display: inline-flex; align-items: baseline; gap: 6px;
    border-radius: 4px; padding: 1px 2px;
  }
  .tool summary::-webkit-details-marker { display: none; }
  .tool .mark { display: inline-block; width: 1em; text-align: center; font-weight: 700; }
  .tool.ok .mark { color: var(--_ok); }
  .tool.error .mark { color: var(--_bad); }
  .tool .name { color: var(--_fg); }
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
    background: var(--_bg); box-shadow: 0 1px 3px rgb(0 0 0 / 0.06);
    overflow: clip; /* rounded corners, yet the log stays the scroller its actions stick to */
    flex: none;
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
  /* Approve stays in view while any of a long card is: its actions stick to the log's foot. */
  .card[data-status="pending"] .decision {
    position: sticky; bottom: 0; z-index: 1; margin: 0 -12px -10px; padding: 8px 12px 10px;
    background: var(--_bg); border-top: 1px solid var(--_line);
  }
  /* A batch card (batch.js): one item per action, each ticked unless left out. */
  .batch-items { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 8px; }
  .batch-item { display: flex; flex-direction: column; gap: 6px; padding: 8px 0; border-top: 1px solid var(--_line); }
  .batch-item:first-child { border-top: none; padding-top: 0; }
  .batch-item.left-out > :not(.batch-row) { opacity: 0.5; }
  .batch-row { display: flex; align-items: center; gap: 8px; font-weight: 600; overflow-wrap: anywhere; }
  .batch-row .tick { width: 18px; height: 18px; flex: none; accent-color: var(--_accent); }
  .batch-item .btn { padding: 4px 10px; font-size: 12.5px; }
  .ids { font-size: 12px; color: var(--_muted); }
  .ids summary { cursor: pointer; width: max-content; }
  .ids .fields { margin-top: 4px; }

  .feedback { display: flex; align-items: center; gap: 4px; }
  .thumb {
    display: inline-grid; place-items: center; width: 28px; height: 26px; padding: 0; cursor: pointer;
    border: 1px solid transparent; background: transparent; border-radius: var(--_small-radius); color: var(--_muted);
  }
  .thumb svg { width: 15px; height: 15px; fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linejoin: round; }
  .thumb[data-rating="down"] svg { transform: rotate(180deg); }
  .thumb:hover { background: var(--_soft); color: var(--_fg); }
  .thumb[aria-pressed="true"] { color: var(--_accent); border-color: var(--_line); background: var(--_accent-soft); }
  .thumb[aria-pressed="true"] svg { fill: currentColor; fill-opacity: 0.2; }
  .feedback .said { font-size: 12px; color: var(--_muted); margin-left: 4px; }
  .feedback .said.bad { color: var(--_bad); }

  .conversations { flex: 1; overflow-y: auto; padding: 12px 12px 16px; }
  .conversations h3 { margin: 4px 4px 10px; font-size: 13px; font-weight: 650; color: var(--_muted); }
  .conversations h3:focus { outline: none; }
  .conversations ul { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 4px; }
  .conversation {
    width: 100%; text-align: left; cursor: pointer; display: flex; flex-direction: column; gap: 2px;
    padding: 9px 10px; border: 1px solid transparent; border-radius: var(--_small-radius); background: transparent;
  }
  .conversation:hover { background: var(--_soft); }
  .conversation[aria-current="true"] { background: var(--_accent-soft); border-color: color-mix(in srgb, var(--_accent) 30%, var(--_bg)); }
  .conversation .title { font-weight: 600; overflow-wrap: anywhere; }
  .conversation .meta { font-size: 12px; color: var(--_muted); }
  .conversations .none { color: var(--_muted); padding: 8px 4px; }
  .conversations .more { margin: 10px auto 0; display: block; }

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
    position: relative;
    display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px;
    border-top: 1px solid var(--_line); background: var(--_bg);
  }
  .composer textarea {
    flex: 1; resize: none; max-height: 160px; min-height: 40px; padding: 9px 11px;
    border: 1px solid var(--_line); border-radius: var(--_small-radius); background: var(--_bg);
    line-height: 1.4;
  }
  .composer .btn { height: 40px; }
  .counter {
    position: absolute; right: 12px; bottom: 100%; margin-bottom: 4px; padding: 1px 8px;
    font-size: 12px; color: var(--_muted); background: var(--_bg);
    border: 1px solid var(--_line); border-radius: 999px;
  }
  .counter.over { color: var(--_bad); border-color: color-mix(in srgb, var(--_bad) 40%, var(--_bg)); }
  @media (max-width: 480px) {
    header { gap: 4px; padding-left: 12px; }
    .text-btn { padding: 5px 7px; }
  }
`;

export const MARKUP = `
<button class="launcher" part="launcher" type="button" aria-haspopup="dialog" aria-expanded="false" aria-controls="panel">
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>
  <span class="launcher-label">Ask Coworker</span>
  <span class="badge" aria-hidden="true" hidden></span>
  <span class="sr-only badge-text"></span>
</button>
<section class="panel" id="panel" part="panel" role="dialog" aria-modal="false" aria-labelledby="title" hidden>
  <header>
    <h2 id="title">Coworker<span class="sub">Your Dialsheet assistant</span></h2>
    <button class="text-btn list" type="button" aria-expanded="false" aria-controls="conversations">Conversations</button>
    <button class="text-btn new" type="button" aria-label="New conversation">New</button>
    <button class="icon-btn close" type="button" aria-label="Close chat">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>
    </button>
  </header>
  <div class="elsewhere" aria-live="polite"></div>
  <div class="log" role="region" aria-label="Conversation" tabindex="0"></div>
  <section class="conversations" id="conversations" aria-labelledby="conversations-title" hidden>
    <h3 id="conversations-title" tabindex="-1">Your conversations</h3>
    <ul></ul>
    <button class="text-btn more" type="button" hidden>Show older conversations</button>
  </section>
  <div class="sr-only announcer" aria-live="polite" aria-atomic="true"></div>
  <form class="composer">
    <label class="sr-only" for="input">Message Coworker</label>
    <textarea id="input" rows="1" placeholder="Ask about leads, tasks, emails…" autocomplete="off" aria-describedby="counter"></textarea>
    <span class="counter" id="counter" aria-live="polite" hidden></span>
    <button class="btn primary send" type="submit">Send</button>
  </form>
</section>`;
