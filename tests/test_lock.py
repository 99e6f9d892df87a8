"""Every install takes its versions from constraints.txt, so a fresh machine runs what CI ran.

These tests fail when the environment was installed without the lock (a plain `pip install
-e .` picks the newest releases), or when pyproject.toml gained a dependency the lock lacks.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, Requirement]:
    pins: dict[str, Requirement] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                pins[canonicalize_name(requirement.name)] = requirement
    return pins


def test_every_installed_locked_package_has_the_locked_version() -> None:
    wrong = []
    for name, requirement in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # an extra this environment did not install (bench)
        if installed not in requirement.specifier:
            wrong.append(f"{name} {installed} (locked {requirement.specifier})")
    assert not wrong, "installed without constraints.txt: " + ", ".join(wrong)


def test_the_lock_covers_every_dependency_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared.extend(extra)
    pins = _pins()
    missing = []
    for line in declared:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            missing.append(requirement.name)
            continue
        (locked,) = pin.specifier
        if locked.version not in requirement.specifier:
            wants = requirement.specifier
            missing.append(f"{requirement.name} (locked {locked.version}, wants {wants})")
    assert not missing, "run ./dev lock: constraints.txt lacks " + ", ".join(missing)
