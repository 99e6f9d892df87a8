"""The report of a run: a terminal table, a JSON file and a Markdown file, all from the
same summary (`summary.summarize`), so the three never disagree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

MAX_PROBLEMS_SHOWN = 2


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _headline(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The figures every report shows, as (label, value) pairs."""
    injection = summary["injection"]
    ids = summary["hallucinated_ids"]
    tokens = summary["tokens"]
    latency = summary["latency_seconds"]
    violations = len(summary["confirmation_violations"])
    wrong = summary["wrong_writes"]
    rows = [(f"pass^{k}", _pct(v)) for k, v in summary["pass_hat_k"].items()]
    rows += [
        ("trials passed", f"{summary['passed_trials']} / {summary['trials']}"),
        ("confirmation violations (must be 0)", str(violations)),
        (
            "wrong writes (unexpected CRM changes)",
            f"{wrong['count']} in {wrong['trials']} trial(s)",
        ),
        (
            "injection attack success",
            f"{injection['attacks_achieved']} / {injection['trials']} "
            f"({_pct(injection['attack_success_rate'])})",
        ),
        (
            "hallucinated ids",
            f"{ids['hallucinated']} / {ids['id_arguments']} id arguments ({_pct(ids['rate'])})",
        ),
        ("tool-selection F1", "-" if summary["tool_f1"] is None else f"{summary['tool_f1']:.3f}"),
        ("model turns per trial", f"{summary['turns']['per_trial']:.2f}"),
        (
            "tokens (in / out / cache read / cache write)",
            f"{tokens['input_tokens']:,} / {tokens['output_tokens']:,} / "
            f"{tokens['cache_read_input_tokens']:,} / {tokens['cache_creation_input_tokens']:,}",
        ),
        ("estimated cost (USD)", f"${summary['estimated_cost_usd']['total']:.4f}"),
        (
            "latency per step p50 / p95",
            f"{latency['step_p50'] * 1000:.0f} ms / {latency['step_p95'] * 1000:.0f} ms",
        ),
    ]
    return rows


def _title(summary: dict[str, Any]) -> str:
    return (
        f"{summary['model']}: {summary['cases']} cases x {summary['trials_per_case']} "
        f"trial(s), {summary['seconds']:.1f} s (concurrency {summary['concurrency']})"
    )


def _failures(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for case in summary["case_results"]:
        if case["passed"] == case["trials"]:
            continue
        failed = next(t for t in case["trial_results"] if not t["passed"])
        why = failed["violations"] + failed["problems"]
        rows.append(
            (case["id"], f"{case['passed']}/{case['trials']}", "; ".join(why[:MAX_PROBLEMS_SHOWN]))
        )
    return rows


def print_report(summary: dict[str, Any], console: Console) -> None:
    head = Table(title=f"Evals: {_title(summary)}", show_header=False)
    head.add_column("measure")
    head.add_column("value", justify="right")
    for label, value in _headline(summary):
        head.add_row(label, value)
    console.print(head)
    tags = Table(title="pass^k by tag")
    tags.add_column("tag")
    tags.add_column("cases", justify="right")
    for k in summary["pass_hat_k"]:
        tags.add_column(f"pass^{k}", justify="right")
    for tag, row in summary["by_tag"].items():
        tags.add_row(tag, str(row["cases"]), *(_pct(v) for v in row["pass_hat_k"].values()))
    console.print(tags)
    failures = _failures(summary)
    if failures:
        table = Table(title="Cases that did not always pass")
        table.add_column("case")
        table.add_column("passed", justify="right")
        table.add_column("why (first failing trial)")
        for row in failures:
            table.add_row(*row)
        console.print(table)
    for item in summary["confirmation_violations"]:
        console.print(f"[bold red]SAFETY[/] {item['trial']}: {item['violation']}")
    for item in summary["injection"]["achieved"]:
        console.print(f"[bold red]INJECTION[/] {item['trial']}: {item['goal']}")
    for item in summary["wrong_writes"]["listed"]:
        # A write's values may hold brackets ("tags: ['hot']"): shown as text, not markup.
        console.print(f"[yellow]WRONG WRITE[/] {escape(item['trial'])}: {escape(item['write'])}")


def write_json(summary: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(summary: dict[str, Any]) -> str:
    ks = list(summary["pass_hat_k"])
    lines = [f"# Evals: {_title(summary)}", "", "| measure | value |", "| --- | ---: |"]
    lines += [f"| {label} | {_cell(value)} |" for label, value in _headline(summary)]
    lines += ["", "## pass^k by tag", ""]
    lines.append("| tag | cases | " + " | ".join(f"pass^{k}" for k in ks) + " |")
    lines.append("| --- | ---: |" + " ---: |" * len(ks))
    for tag, row in summary["by_tag"].items():
        values = " | ".join(_pct(v) for v in row["pass_hat_k"].values())
        lines.append(f"| {tag} | {row['cases']} | {values} |")
    failures = _failures(summary)
    if failures:
        lines += ["", "## Cases that did not always pass", "", "| case | passed | why |"]
        lines.append("| --- | ---: | --- |")
        lines += [f"| {c} | {p} | {_cell(w)} |" for c, p, w in failures]
    if summary["confirmation_violations"] or summary["injection"]["achieved"]:
        lines += ["", "## Safety", ""]
        lines += [
            f"- **violation** {v['trial']}: {v['violation']}"
            for v in summary["confirmation_violations"]
        ]
        lines += [
            f"- **injection achieved** {a['trial']}: {a['goal']}"
            for a in summary["injection"]["achieved"]
        ]
    if summary["wrong_writes"]["listed"]:
        lines += ["", "## Wrong writes", ""]
        lines += [f"- {w['trial']}: {_cell(w['write'])}" for w in summary["wrong_writes"]["listed"]]
    return "\n".join(lines) + "\n"


def write_markdown(summary: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(summary), "utf-8")
