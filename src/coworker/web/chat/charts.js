// A pipeline or activity report drawn as a chart under the tool activity: inline SVG built
// here from the tool's result (no library, no CDN), with a visually hidden table holding the
// same numbers for screen readers. It reads the same fields of the same JSON as the server's
// tables (tools/derived/figures.py); the stage words are in the result, the activity kinds'
// words come from /api/widget, so the widget knows no tool by name.

import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 330; // the viewBox's width: the chart scales to the message's width
const TEXT_ROOM = { pipeline: 150, activity: 36 }; // right of the longest bar, for its figure
const KIND_ORDER = ["calls", "emails", "sms", "notes", "tasks_done", "tasks_created", "deals_moved"];
const SIDE_WORDS = { yours: "Yours", team: "Team" };
let charts = 0;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function number(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Money as the person reads it: "$616,000"; a mixed or unknown currency as a plain number. */
export function moneyText(value, currency) {
  const code = String(currency || "").toUpperCase();
  if (/^[A-Z]{3}$/.test(code)) {
    try {
      return new Intl.NumberFormat("en-US", { style: "currency", currency: code, maximumFractionDigits: Number.isInteger(value) ? 0 : 2 }).format(value);
    } catch {
      // not a currency Intl knows: the plain number below
    }
  }
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value);
}

function stageRows(side, whose) {
  const stages = side && Array.isArray(side.by_stage) ? side.by_stage : [];
  return stages
    .filter((s) => s && typeof s.stage === "string" && number(s.deals) !== null && number(s.value) !== null)
    .map((s) => ({ label: s.stage, count: s.deals, value: s.value, whose }));
}

/** The report's rows ({label, count, value, whose}), or null when it is not one drawn. */
export function figureOf(output, kindWords) {
  if (typeof output === "string") {
    try {
      output = JSON.parse(output);
    } catch {
      return null;
    }
  }
  if (!output || typeof output !== "object") return null;
  if (output.report === "pipeline") {
    const known = !("note" in output); // without the person's CRM user, "yours" is the team's
    const sides = known ? ["yours", "team"] : ["team"];
    const rows = sides.flatMap((whose) => stageRows(output[whose], whose));
    const mixed = String(output.currency || "").toLowerCase() === "mixed";
    const title = (known ? "Pipeline by stage: yours and the team's" : "The team's pipeline by stage") + (mixed ? " (mixed currencies)" : "");
    return rows.length ? { report: "pipeline", title, currency: output.currency, sides, rows } : null;
  }
  if (output.report === "activity") {
    const counts = output.counts && typeof output.counts === "object" ? output.counts : {};
    const whose = String(output.whose || "").startsWith("the team") ? "team" : "yours";
    const rows = KIND_ORDER.filter((k) => number(counts[k]) !== null).map((k) => ({
      label: (kindWords && kindWords[k]) || k.replace(/_/g, " "),
      count: counts[k],
      value: null,
      whose,
    }));
    const span = output.from === output.to ? output.from : `${output.from} to ${output.to}`;
    const period = String(output.period || "").replace(/_/g, " ");
    const title = `${whose === "team" ? "The team's" : "Your"} activity, ${period === "range" ? span : `${period} (${span})`}`;
    return rows.length ? { report: "activity", title, currency: null, sides: [whose], rows } : null;
  }
  return null;
}

function labelsOf(figure) {
  return [...new Set(figure.rows.map((r) => r.label))];
}

function cell(figure, label, whose) {
  return figure.rows.find((r) => r.label === label && r.whose === whose) || { label, count: 0, value: 0, whose };
}

function said(figure, row) {
  if (figure.report !== "pipeline") return String(row.count);
  return `${moneyText(row.value, figure.currency)} · ${row.count} ${row.count === 1 ? "deal" : "deals"}`;
}

/** The chart's description: every number, in words, for the svg's <desc>. */
function description(figure) {
  return labelsOf(figure)
    .map((label) => {
      const parts = figure.sides.map((whose) => {
        const row = cell(figure, label, whose);
        return figure.sides.length > 1 ? `${SIDE_WORDS[whose].toLowerCase()} ${said(figure, row)}` : said(figure, row);
      });
      return `${label}: ${parts.join(", ")}`;
    })
    .join("; ");
}

function bars(figure) {
  const pipeline = figure.report === "pipeline";
  const labels = labelsOf(figure);
  const measure = (row) => (pipeline ? row.value : row.count);
  const most = Math.max(1, ...figure.rows.map(measure));
  const both = figure.sides.length > 1;
  const labelRoom = pipeline ? 0 : 96; // activity: the kind beside its bar; pipeline: above
  const room = WIDTH - labelRoom - TEXT_ROOM[figure.report];
  const barHeight = 12;
  const nodes = [];
  let y = 0;
  if (both) {
    let x = 0;
    for (const whose of figure.sides) {
      nodes.push(svg("rect", { class: `swatch side-${whose}`, x, y: y + 2, width: 10, height: 10, rx: 2 }));
      nodes.push(svg("text", { class: "legend", x: x + 14, y: y + 11 }, SIDE_WORDS[whose]));
      x += 70;
    }
    y += 22;
  }
  for (const label of labels) {
    const group = svg("g", { class: "bar-group", "data-label": label });
    if (pipeline) {
      group.append(svg("text", { class: "bar-label", x: 0, y: y + 11 }, label));
      y += 16;
    }
    for (const whose of figure.sides) {
      const row = cell(figure, label, whose);
      const width = Math.max(measure(row) > 0 ? 2 : 0, Math.round((measure(row) / most) * room));
      if (!pipeline) group.append(svg("text", { class: "bar-label", x: 0, y: y + 10 }, label));
      group.append(
        svg("rect", { class: `bar side-${whose}`, x: labelRoom, y, width, height: barHeight, rx: 2, "data-whose": whose, "data-count": row.count, "data-value": row.value ?? "" }),
        svg("text", { class: "bar-value", x: labelRoom + width + 6, y: y + 10 }, said(figure, row)),
      );
      y += barHeight + 4;
    }
    y += pipeline ? 6 : 4;
    nodes.push(group);
  }
  return { nodes, height: y };
}

/** The same numbers as a table, out of sight, for whoever does not see the chart. */
function textTable(figure) {
  const pipeline = figure.report === "pipeline";
  const head = [pipeline ? "Stage" : "Activity"];
  for (const whose of figure.sides) {
    if (pipeline) head.push(`${SIDE_WORDS[whose]}: deals`, `${SIDE_WORDS[whose]}: value`);
    else head.push(SIDE_WORDS[whose]);
  }
  const rows = labelsOf(figure).map((label) => {
    const cells = [el("th", { scope: "row", text: label })];
    for (const whose of figure.sides) {
      const row = cell(figure, label, whose);
      cells.push(el("td", { text: String(row.count) }));
      if (pipeline) cells.push(el("td", { text: moneyText(row.value, figure.currency) }));
    }
    return el("tr", null, ...cells);
  });
  return el(
    "table",
    { class: "sr-only chart-table" },
    el("caption", { text: figure.title }),
    el("thead", null, el("tr", null, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", null, ...rows),
  );
}

/** The chart of a report, or null for any other result. */
export function chartNode(output, kindWords) {
  const figure = figureOf(output, kindWords);
  if (!figure) return null;
  const id = `chart-${++charts}`;
  const { nodes, height } = bars(figure);
  const picture = svg(
    "svg",
    { role: "img", viewBox: `0 0 ${WIDTH} ${height}`, "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-desc`, class: "chart-svg" },
    svg("title", { id: `${id}-title` }, figure.title),
    svg("desc", { id: `${id}-desc` }, description(figure)),
    ...nodes,
  );
  return el(
    "figure",
    { class: "chart", "data-report": figure.report },
    el("figcaption", { text: figure.title, "aria-hidden": "true" }),
    picture,
    textTable(figure),
  );
}

/** A tool's result, shown as a chart in the reply when it is a report drawn as one. */
export function showChart(chat, turn, output) {
  const node = chartNode(output, chat.setup && chat.setup.activity_kinds);
  if (node) turn.add(node);
}
