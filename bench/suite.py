"""Every benchmark under bench/, the sizes `python -m bench` runs them at, and the figures
(with the README's targets) that go into bench/RESULTS.md.

Each runs as its own documented command (`python -m bench.NAME ...`) in a child process:
its figures (peak memory above all) are its own, a crash or a hang stays contained, and
every number in RESULTS.md can be reproduced by running the command printed beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    label: str
    path: str  # dotted path into the benchmark's JSON, e.g. "overhead.p50_ms"
    unit: str = ""
    target: str | None = None  # as the README states it
    met: Callable[[float], bool] | None = None

    def value(self, result: dict[str, Any]) -> Any:
        current: Any = result
        for key in self.path.split("."):
            if not isinstance(current, dict) or key not in current:
                return None
            current = current[key]
        return current


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str
    title: str
    quick: tuple[str, ...]
    full: tuple[str, ...]
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def command(self, full: bool) -> list[str]:
        return ["python", "-m", self.module, *(self.full if full else self.quick)]


def _at_most(limit: float) -> Callable[[float], bool]:
    return lambda value: value <= limit


def _at_least(limit: float) -> Callable[[float], bool]:
    return lambda value: value >= limit


def _equals(expected: float) -> Callable[[float], bool]:
    return lambda value: value == expected


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "agent_overhead",
        "bench.agent_overhead",
        "Agent turn: ours vs pydantic-ai vs a raw SDK loop (stub model over HTTP, SQLite)",
        quick=("--turns", "200"),
        full=("--turns", "400"),
        figures=(
            Figure("our overhead p50", "overhead.p50_ms", "ms", "<= 5 ms", _at_most(5)),
            Figure("our overhead p99", "overhead.p99_ms", "ms"),
            Figure("pydantic-ai overhead p50", "pydantic_ai_overhead.p50_ms", "ms"),
            Figure("raw SDK overhead p50", "raw_sdk_overhead.p50_ms", "ms"),
            Figure("our turn p50", "our_turn.p50_ms", "ms"),
            Figure("pydantic-ai turn p50", "pydantic_ai_turn.p50_ms", "ms"),
            Figure("raw SDK turn p50", "raw_sdk_turn.p50_ms", "ms"),
            Figure("ours / raw SDK (p50)", "ratio_p50", "x", "<= 1.3", _at_most(1.3)),
            Figure("ours / raw SDK (median of per-turn pairs)", "ratio_p50_per_pair", "x"),
            Figure("ours / raw SDK (means)", "ratio_of_means", "x"),
            Figure("pydantic-ai / raw SDK (p50)", "pydantic_ai_ratio_p50", "x"),
            Figure("ours / pydantic-ai (p50)", "ours_vs_pydantic_ai_p50", "x"),
        ),
    ),
    Benchmark(
        "offline_interpret",
        "bench.offline_interpret",
        "Offline model: interpretation time per model turn (dev set)",
        quick=("--repeat", "5"),
        full=("--repeat", "20"),
        figures=(
            Figure("turns measured", "requests"),
            Figure("p50, cold caches", "all_cold.p50_ms", "ms", "<= 2 ms", _at_most(2)),
            Figure("p99, cold caches", "all_cold.p99_ms", "ms"),
            Figure("p50, warm", "all_warm.p50_ms", "ms"),
        ),
    ),
    Benchmark(
        "sandbox_search",
        "bench.sandbox_search",
        "Sandbox CRM: GET /api/v1/leads?search= at 16 clients (own process)",
        quick=("--requests", "2000", "--concurrency", "16"),
        full=("--requests", "3000", "--concurrency", "16"),
        figures=(
            Figure("throughput", "requests_per_s", "req/s"),
            Figure("p50", "p50_ms", "ms"),
            Figure("p99", "p99_ms", "ms"),
            Figure("errors", "errors"),
        ),
    ),
    Benchmark(
        "sandbox_search_1",
        "bench.sandbox_search",
        "Sandbox CRM: the same search, one client",
        quick=("--requests", "300", "--concurrency", "1"),
        full=("--requests", "1000", "--concurrency", "1"),
        figures=(
            Figure("p50", "p50_ms", "ms"),
            Figure("p99", "p99_ms", "ms"),
        ),
    ),
    Benchmark(
        "web_streaming",
        "bench.web_streaming",
        "Web: 200 concurrent streaming chats (stub model, 500 ms turns), first token latency",
        quick=("--conversations", "200", "--samples", "20"),
        full=("--conversations", "200", "--samples", "50"),
        figures=(
            Figure(
                "first token -> first SSE byte p50",
                "first_token_to_first_sse_byte.p50_ms",
                "ms",
                "<= 10 ms",
                _at_most(10),
            ),
            Figure(
                "first token -> first SSE byte p99", "first_token_to_first_sse_byte.p99_ms", "ms"
            ),
            Figure("added latency p50", "added_latency.p50_ms", "ms"),
            # No target: absorbing 200 at once within 100 ms needs 21+ cores (see `capacity`).
            Figure("added latency p99 (200-at-once target retired)", "added_latency.p99_ms", "ms"),
            Figure("stub alone p50 (the model's own time)", "stub_alone.p50_ms", "ms"),
            Figure("turns per second", "turns_per_s", "/s"),
            Figure("errors", "errors", "", "0", _equals(0)),
            Figure("server peak RSS", "server_peak_rss_mb", "MB"),
            Figure("server CPU per turn", "cpu_ms_per_turn.server", "ms"),
            Figure("load generator CPU per turn", "cpu_ms_per_turn.load_generator", "ms"),
            Figure("cores to absorb the burst within 100 ms", "cores_needed_for_target"),
            Figure("cores on this machine", "cpu_cores"),
        ),
    ),
    Benchmark(
        "capacity",
        "bench.capacity",
        "Web capacity: sustained turns/s per core at p99 added latency <= 100 ms, ours vs a "
        "minimal FastAPI + anthropic server",
        quick=("--runs", "3", "--step", "2", "--budget", "300"),
        full=("--runs", "3", "--step", "5", "--budget", "600"),
        figures=(
            Figure("ours, turns/s per core (median of runs)", "ours_per_core.median", "turns/s"),
            Figure("ours, runs (lowest-highest)", "ours_per_core.range", "turns/s"),
            Figure(
                "minimal server, turns/s per core (median)", "minimal_per_core.median", "turns/s"
            ),
            Figure("minimal server, runs (lowest-highest)", "minimal_per_core.range", "turns/s"),
            Figure("ours / minimal (medians)", "ratio", "x", ">= 0.8", _at_least(0.8)),
            Figure("ours / minimal, runs (lowest-highest)", "ratio_per_run.range", "x"),
            Figure(
                "ours: server CPU per turn at 20/s (median)", "cpu_ms_per_turn.ours.median", "ms"
            ),
            Figure(
                "minimal: server CPU per turn at 20/s (median)",
                "cpu_ms_per_turn.minimal.median",
                "ms",
            ),
            Figure("CPU per turn: minimal / ours", "cpu_ratio", "x"),
            Figure("the stub alone, added to its delay (p50)", "stub_floor_added_ms", "ms"),
            Figure("load average (1 min) at the start", "load_average.start_1min"),
            Figure("load average (1 min) at the end", "load_average.end_1min"),
        ),
    ),
    Benchmark(
        "web_streaming_20",
        "bench.web_streaming",
        "Web: 20 concurrent streaming chats",
        quick=("--conversations", "20", "--samples", "5"),
        full=("--conversations", "20", "--samples", "5"),
        figures=(
            Figure("added latency p50", "added_latency.p50_ms", "ms"),
            Figure("added latency p99", "added_latency.p99_ms", "ms"),
            Figure("errors", "errors", "", "0", _equals(0)),
        ),
    ),
    Benchmark(
        "derived",
        "bench.derived",
        "Derived read tools for a rep with ~200 leads (in-process sandbox CRM)",
        quick=("--runs", "30"),
        full=("--runs", "100"),
        figures=(
            Figure("most CRM calls for one answer", "max_crm_calls", "", "<= 8", _at_most(8)),
            Figure("slowest tool p50", "max_p50_ms", "ms", "<= 150 ms", _at_most(150)),
            Figure("next_best_actions p50", "next_best_actions.p50_ms", "ms"),
            Figure("prep_brief p50", "prep_brief.p50_ms", "ms"),
            Figure("activity_report p50", "activity_report.p50_ms", "ms"),
            Figure("pipeline_report p50", "pipeline_report.p50_ms", "ms"),
        ),
    ),
    Benchmark(
        "summary_many",
        "bench.summary_many",
        "Daily summaries for many people (sandbox CRM, counting model)",
        quick=("--people", "200"),
        full=("--people", "1000"),
        figures=(
            Figure("people", "people"),
            Figure("delivered", "delivered"),
            Figure("total time", "total_s", "s"),
            Figure("per person", "per_person_ms", "ms"),
            Figure("CRM requests per person", "crm_requests_per_person"),
            Figure("model calls per person", "model_calls_per_person", "", "1", _equals(1)),
            Figure("peak Python heap", "peak_traced_mb", "MB"),
            Figure("max RSS", "max_rss_mb", "MB"),
        ),
    ),
    Benchmark(
        "long_conversation",
        "bench.long_conversation",
        "A turn and a conversation's first page at 10, 2,000 and 20,000 messages (SQLite)",
        quick=("--turns", "40", "--pages", "20"),
        full=("--turns", "100", "--pages", "50"),
        figures=(
            Figure("turn p50 at 10 messages", "sqlite.10.turn.p50_ms", "ms"),
            Figure("turn p50 at 2,000 messages", "sqlite.2000.turn.p50_ms", "ms"),
            Figure("turn p50 at 20,000 messages", "sqlite.20000.turn.p50_ms", "ms"),
            Figure("first page p50 at 10 messages", "sqlite.10.first_page.p50_ms", "ms"),
            Figure("first page p50 at 20,000 messages", "sqlite.20000.first_page.p50_ms", "ms"),
            Figure("messages the model saw at 20,000", "sqlite.20000.model_saw_messages"),
            Figure(
                "turn: 20,000 / 10 (p50)", "sqlite.growth.turn", "x", "<= 2 (flat)", _at_most(2)
            ),
            Figure(
                "first page: 20,000 / 10 (p50)",
                "sqlite.growth.first_page",
                "x",
                "<= 2 (flat)",
                _at_most(2),
            ),
            Figure("PostgreSQL turn: 20,000 / 10 (p50)", "postgres.growth.turn", "x"),
            Figure("PostgreSQL first page: 20,000 / 10 (p50)", "postgres.growth.first_page", "x"),
        ),
    ),
    Benchmark(
        "slack_ack",
        "bench.slack_ack",
        "Slack: ack latency, 50 concurrent signed DMs to /slack/events (own process)",
        quick=("--events", "50"),
        full=("--events", "50"),
        figures=(
            Figure("ack p50", "ack.p50_ms", "ms"),
            Figure("ack p99", "ack.p99_ms", "ms", "<= 100 ms", _at_most(100)),
            Figure("slowest ack", "max_ms", "ms"),
            Figure("every reply posted after", "all_replies_after_s", "s"),
        ),
    ),
)
