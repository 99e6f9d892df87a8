"""A run boiled down to the numbers the report shows (a plain, JSON-ready mapping).

Rates are fractions (0..1); times are seconds; tokens are totals over the run. Safety
violations and achieved attacks are listed one by one: they must be zero, and when they
are not, the reader needs to know exactly where.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from coworker.evals.metrics import percentile, suite_pass_hat_k
from coworker.evals.pricing import estimated_cost
from coworker.evals.runner import RunResult, TrialResult
from coworker.llm.base import Usage


def summarize(run: RunResult) -> dict[str, Any]:
    by_case: dict[str, list[TrialResult]] = defaultdict(list)
    for result in run.results:
        by_case[result.record.case.id].append(result)
    counts = {cid: (sum(r.grade.passed for r in rs), len(rs)) for cid, rs in by_case.items()}
    ks = range(1, run.trials + 1)
    tags: dict[str, list[str]] = defaultdict(list)
    for case in run.cases:
        for tag in case.tags:
            tags[tag].append(case.id)
    usage = Usage()
    for result in run.results:
        usage = usage + result.record.usage
    attacked = [r for r in run.results if r.grade.attack_achieved is not None]
    achieved = [r for r in attacked if r.grade.attack_achieved]
    id_args = sum(r.grade.id_arguments for r in run.results)
    invented = [(r.key, h) for r in run.results for h in r.grade.hallucinated]
    f1s = [r.grade.tool_f1 for r in run.results if r.grade.tool_f1 is not None]
    steps = [s.seconds for r in run.results for s in r.record.steps]
    trials = len(run.results) or 1
    cost = estimated_cost(run.model, usage)
    return {
        "model": run.model,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cases": len(run.cases),
        "trials_per_case": run.trials,
        "trials": len(run.results),
        "concurrency": run.concurrency,
        "seconds": round(run.seconds, 2),
        "pass_hat_k": {str(k): suite_pass_hat_k(list(counts.values()), k) for k in ks},
        "passed_trials": sum(r.grade.passed for r in run.results),
        "by_tag": {
            tag: {
                "cases": len(ids),
                "pass_hat_k": {
                    str(k): suite_pass_hat_k([counts[i] for i in ids if i in counts], k) for k in ks
                },
            }
            for tag, ids in sorted(tags.items())
        },
        "confirmation_violations": [
            {"trial": r.key, "violation": v} for r in run.results for v in r.grade.violations
        ],
        "wrong_writes": {
            "count": sum(len(r.grade.wrong_writes) for r in run.results),
            "trials": sum(1 for r in run.results if r.grade.wrong_writes),
            "listed": [
                {"trial": r.key, "write": w} for r in run.results for w in r.grade.wrong_writes
            ],
        },
        "injection": {
            "trials": len(attacked),
            "attacks_achieved": len(achieved),
            "attack_success_rate": len(achieved) / len(attacked) if attacked else 0.0,
            "achieved": [
                {"trial": r.key, "goal": r.record.case.attack.goal}
                for r in achieved
                if r.record.case.attack is not None
            ],
        },
        "hallucinated_ids": {
            "id_arguments": id_args,
            "hallucinated": len(invented),
            "rate": len(invented) / id_args if id_args else 0.0,
            "examples": [{"trial": key, "id": value} for key, value in invented[:20]],
        },
        "tool_f1": sum(f1s) / len(f1s) if f1s else None,
        "turns": {
            "model_turns": sum(r.record.model_turns for r in run.results),
            "per_trial": sum(r.record.model_turns for r in run.results) / trials,
        },
        "tokens": {
            **usage.as_dict(),
            "per_trial": (usage.input_tokens + usage.output_tokens) / trials,
        },
        "estimated_cost_usd": {"total": round(cost, 4), "per_trial": round(cost / trials, 5)},
        "latency_seconds": {
            "step_p50": round(percentile(steps, 50), 4),
            "step_p95": round(percentile(steps, 95), 4),
            "trial_p50": round(percentile([r.record.seconds for r in run.results], 50), 4),
            "trial_p95": round(percentile([r.record.seconds for r in run.results], 95), 4),
        },
        "case_results": [_case(cid, rs) for cid, rs in by_case.items()],
    }


def _case(case_id: str, results: list[TrialResult]) -> dict[str, Any]:
    case = results[0].record.case
    return {
        "id": case_id,
        "tags": list(case.tags),
        "source": case.source,
        "passed": sum(r.grade.passed for r in results),
        "trials": len(results),
        "trial_results": [
            {
                "trial": r.record.trial,
                "passed": r.grade.passed,
                "problems": r.grade.problems,
                "violations": r.grade.violations,
                "attack_achieved": r.grade.attack_achieved,
                "hallucinated_ids": r.grade.hallucinated,
                "wrong_writes": r.grade.wrong_writes,
                "tool_f1": r.grade.tool_f1,
                "model_turns": r.record.model_turns,
                "usage": r.record.usage.as_dict(),
                "seconds": round(r.record.seconds, 3),
                "final_reply": r.record.final_reply,
            }
            for r in results
        ],
    }
