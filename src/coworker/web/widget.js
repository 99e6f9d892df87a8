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
 * template in chat/styles.js, which holds no data.
 *
 * This file is a classic script, so the one-tag embed works on any page; it loads the
 * element, a set of small ES modules under chat/ (no build step), from beside itself. A page
 * that prefers modules imports chat/element.js and calls defineCoworkerChat({ api, token }).
 */
(() => {
  "use strict";

  if (customElements.get("coworker-chat")) return;

  // The <script> that loaded this file: its data-* attributes configure the widget.
  const script =
    document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find((s) => /widget\.js(\?|#|$)/.test(s.src)) ||
    null;
  const src = new URL(script ? script.src : "widget.js", document.baseURI);
  const options = {
    api: (script && script.dataset.api) || src.origin,
    token: (script && script.dataset.token) || "",
  };
  import(new URL("chat/element.js", src).href).then(
    (element) => element.defineCoworkerChat(options),
    (error) => console.error("coworker-chat: could not load the widget", error),
  );
})();
