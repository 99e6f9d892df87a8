// A small Markdown subset, built as DOM nodes (never HTML strings): paragraphs with line
// breaks, headings (as bold lines), **bold**, *italic*, `code`, fenced and indented code
// blocks, bullet and numbered lists (nested by indentation), > quotes, --- rules, simple
// tables, and links that only keep http(s) and mailto targets.

import { el } from "./dom.js";

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const BULLET = /^( *)([-*+])\s+(.*)$/;
const ORDERED = /^( *)(\d{1,9})[.)]\s+(.*)$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
// A line break inside a paragraph is kept (chat replies break lines on purpose: an address,
// a sign-off), except where text was wrapped at a fixed width: a long line followed by one
// that goes on with the sentence. That flows, so help text fills the panel's width.
const WRAPPED_AT = 60;
const GOES_ON = /^[a-z0-9(“‘"'«]/;

export function renderMarkdown(source) {
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
    renderLines(body, p);
    parent.append(p);
  }
}

/** A paragraph's lines: broken where written so, flowed where wrapped at a width. */
function renderLines(lines, parent) {
  const joined = [];
  lines.forEach((text, index) => {
    const wrapped = index && lines[index - 1].length >= WRAPPED_AT && GOES_ON.test(text);
    if (wrapped) joined[joined.length - 1] += " " + text;
    else joined.push(text);
  });
  joined.forEach((text, index) => {
    if (index) parent.append(el("br"));
    renderInline(text, parent);
  });
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
    renderLines(content, li);
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
