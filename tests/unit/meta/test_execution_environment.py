# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The execution-environment files list exactly what the plugins import."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
# import name -> distribution name in requirements.txt
DISTRIBUTIONS = {"docker": "docker", "yaml": "pyyaml", "ansible": "ansible-core"}


def _third_party_imports() -> set[str]:
    names = set()
    for path in (ROOT / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "ansible_collections"}


def _requirements() -> set[str]:
    found = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            found.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return found


def test_execution_environment_points_at_the_dependency_files():
    ee = yaml.safe_load((ROOT / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    assert ee["version"] == 3
    assert ee["dependencies"]["python"] == "requirements.txt"
    assert ee["dependencies"]["system"] == "bindep.txt"
    assert (ROOT / "bindep.txt").is_file()


def test_every_import_is_a_listed_requirement_and_nothing_more():
    imports = _third_party_imports()
    unknown = imports - set(DISTRIBUTIONS)
    assert not unknown, f"plugins import {sorted(unknown)}: add them to requirements.txt and to DISTRIBUTIONS"
    wanted = {DISTRIBUTIONS[name] for name in imports}
    assert _requirements() == wanted, f"requirements.txt lists {sorted(_requirements())}, the plugins need {sorted(wanted)}"


def test_bindep_entries_are_well_formed():
    for line in (ROOT / "bindep.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert re.fullmatch(r"[a-z0-9.+-]+( \[[a-z0-9:_ -]+\])?", line), line
