"""What `--model` (with `--record` / `--replay`) means: a model per trial, and its clock.

    offline                 the deterministic offline model (the default without a key)
    claude-... (any id)     Claude, or any Anthropic-compatible endpoint (ANTHROPIC_BASE_URL)
    --record FILE           a Claude run whose HTTP exchanges are kept in FILE
    --replay FILE           the run kept in FILE, answered from it with no network; the run
                            fails (EvalError) if a trial's requests differ from the recording

Each trial gets its own model (for Claude, its own HTTP client), so a recording keeps each
trial's exchanges apart however many trials run at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx2

from coworker.config import Settings
from coworker.errors import EvalError
from coworker.evals.cassette import Cassette, Player, Recorder
from coworker.llm.base import Model

OFFLINE = "offline"


def _same_moment(_key: str, run_start: datetime) -> datetime:
    return run_start


@dataclass
class ModelChoice:
    """How to make each trial's model, the moment its world starts (given the run's start:
    a replay says its recorded one instead), and what to do at the end."""

    name: str
    make: Callable[[str], Model]
    start: Callable[[str, datetime], datetime] = _same_moment
    finish: Callable[[], None] = field(default=lambda: None)


def choose_model(
    settings: Settings,
    model: str | None,
    *,
    record: Path | None = None,
    replay: Path | None = None,
    replay_keys: list[str] | None = None,
) -> ModelChoice:
    """The model to evaluate: `model`, else Claude with a key, else offline."""
    if record is not None and replay is not None:
        raise EvalError("--record and --replay go one at a time")
    if replay is not None:
        return _replaying(replay, replay_keys or [])
    key = settings.anthropic_api_key.get_secret_value() if settings.anthropic_api_key else None
    if model is None:
        model = (settings.model or _default_claude()) if key else OFFLINE
    if model == OFFLINE:
        if record is not None:
            raise EvalError("--record keeps a Claude run; the offline model needs no recording")
        from coworker.llm.offline import OfflineModel

        return ModelChoice(OFFLINE, lambda _key: OfflineModel())
    if key is None:
        raise EvalError(
            f"--model {model} needs ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another "
            "Anthropic-compatible endpoint); use --model offline to run without one"
        )
    return _claude(settings, model, key, record)


def _default_claude() -> str:
    from coworker.llm.anthropic import DEFAULT_MODEL

    return DEFAULT_MODEL


def _claude(settings: Settings, model: str, key: str, record: Path | None) -> ModelChoice:
    from coworker.llm.anthropic import AnthropicModel

    if record is None:
        return ModelChoice(
            f"claude:{model}",
            lambda _key: AnthropicModel(key, model=model, base_url=settings.anthropic_base_url),
        )
    cassette = Cassette(model)

    def start(trial_key: str, run_start: datetime) -> datetime:
        cassette.start(trial_key, run_start)
        return run_start

    def make(trial_key: str) -> Model:
        http = httpx2.AsyncClient(transport=Recorder(cassette.tapes[trial_key]))
        return AnthropicModel(
            key, model=model, base_url=settings.anthropic_base_url, http_client=http
        )

    return ModelChoice(f"claude:{model}", make, start, lambda: cassette.save(record))


def _replaying(path: Path, keys: list[str]) -> ModelChoice:
    from coworker.llm.anthropic import AnthropicModel

    cassette = Cassette.load(path)
    missing = [k for k in keys if k not in cassette.tapes]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise EvalError(
            f"{path} has no recording of {shown}: replay the cases and trials that were "
            "recorded (same --cases, --tags and --trials)",
            path=str(path),
        )

    players: dict[str, Player] = {}

    def make(trial_key: str) -> Model:
        player = players[trial_key] = Player(cassette.tapes[trial_key], trial_key)
        # No key is needed or sent; the SDK insists on one. No retries: the player skips the
        # attempts the recorded run retried, and serves the failures it gave up on.
        return AnthropicModel(
            "replay-no-key",
            model=cassette.model,
            base_url="http://cassette.replay",
            http_client=httpx2.AsyncClient(transport=player),
            max_retries=0,
        )

    def start(trial_key: str, _run_start: datetime) -> datetime:
        return cassette.now(trial_key)

    def finish() -> None:
        """A replay that does not match its recording measures nothing: fail the run."""
        problems = [p for key in sorted(players) if (p := players[key].unplayed()) is not None]
        if problems:
            more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
            shown = "; ".join(problems[:5]) + more
            raise EvalError(
                f"the replay of {path} does not match the recording: {shown}. Replay the same "
                "cases, steps and coworker version that were recorded, or record again",
                path=str(path),
            )

    return ModelChoice(f"claude:{cassette.model} (replay)", make, start, finish)
