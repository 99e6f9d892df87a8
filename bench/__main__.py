"""Run every benchmark under bench/ and write bench/RESULTS.md: `python -m bench` (or
`./dev bench`, which installs the `bench` extra first).

Quick sizes keep the whole run within a few minutes on 2 cores; `--full` uses the sizes
the README's figures were taken at. `--only NAME` (repeatable) runs some of them and, unless
`--out` is given, prints their figures instead of replacing RESULTS.md with a partial one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import describe_machine, render
from bench.suite import BENCHMARKS, Benchmark

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
TIMEOUT_S = 900  # one benchmark; the slowest quick one takes about a minute


def _last_json(text: str) -> dict[str, Any]:
    """The last JSON object a benchmark printed (they print one, possibly after other output)."""
    for match in reversed(list(re.finditer(r"(?m)^\{", text))):
        try:
            value = json.loads(text[match.start() :])
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise ValueError("no JSON result on stdout")


def run_one(bench: Benchmark, full: bool) -> tuple[dict[str, Any] | None, str, float]:
    """(its JSON, or None and why it failed; seconds). Its stderr passes through."""
    command = [sys.executable, *bench.command(full)[1:]]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    print(f"== {bench.name}: {' '.join(bench.command(full))}", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return None, f"no result within {TIMEOUT_S} s", time.monotonic() - started
    took = time.monotonic() - started
    if done.returncode != 0:
        return None, f"exit status {done.returncode}", took
    try:
        return _last_json(done.stdout), "", took
    except ValueError as error:
        return None, str(error), took


def main() -> None:
    names = [bench.name for bench in BENCHMARKS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", choices=names, help="run just this one")
    parser.add_argument("--full", action="store_true", help="the README's sizes (slower)")
    parser.add_argument("--out", type=Path, help=f"where to write (default {RESULTS})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args()
    if args.list:
        for bench in BENCHMARKS:
            print(f"{bench.name:18} {' '.join(bench.command(args.full))}")
        return
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    out: Path | None = args.out or (None if args.only else RESULTS)

    machine = describe_machine()
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    clock = time.monotonic()
    runs = []
    for bench in chosen:
        result, failure, took = run_one(bench, args.full)
        print(f"   {bench.name}: {'ok' if result else failure} ({took:.0f} s)", file=sys.stderr)
        runs.append((bench, result, failure, took))
    report = render(
        runs,
        machine=machine,
        started=started,
        seconds=time.monotonic() - clock,
        full=args.full,
        load=(load_before, os.getloadavg()),
    )
    if out is None:
        print(report)
    else:
        out.write_text(report + "\n")
        print(f"wrote {out}", file=sys.stderr)
    if any(result is None for _, result, _, _ in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
