# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the README and docs/developing.md promise about every module, checked
against each module's own DOCUMENTATION (attributes), RETURN and code:

- every module documents ``check_mode`` and ``diff_mode`` support, consistent
  with the ``supports_check_mode`` its code passes;
- every module's RETURN documents ``actions``, returned always;
- the README's table of exceptions lists exactly the modules whose check mode
  or diff support is not full, with the support their attributes state;
- docs/developing.md names the modules that change things without a diff.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import typing as t
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[4]
MODULES = sorted(p for p in (ROOT / "plugins" / "modules").glob("*.py") if not p.name.startswith("_"))
SUPPORTS = {"full", "partial", "none", "N/A"}


def _doc_fragments() -> dict[str, dict[str, t.Any]]:
    """'devops.docker.attributes.INFO' -> the parsed fragment (plugins/doc_fragments/attributes.py, INFO)."""
    fragments: dict[str, dict[str, t.Any]] = {}
    for path in sorted((ROOT / "plugins" / "doc_fragments").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for node in cls.body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    name = node.targets[0].id  # type: ignore[attr-defined]
                    key = f"devops.docker.{path.stem}" + ("" if name == "DOCUMENTATION" else f".{name}")
                    fragments[key] = yaml.safe_load(node.value.value) or {}
    return fragments


FRAGMENTS = _doc_fragments()


class Module:
    """One module file: its parsed docs and the supports_check_mode its code passes."""

    def __init__(self, path: Path) -> None:
        self.name = path.stem
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = {
            node.targets[0].id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)
        }
        self.error = ""
        self.doc: dict[str, t.Any] = {}
        self.returns: dict[str, t.Any] = {}
        try:
            self.doc = yaml.safe_load(strings["DOCUMENTATION"]) or {}
            self.returns = yaml.safe_load(strings["RETURN"]) or {}
        except (KeyError, yaml.YAMLError) as exc:
            self.error = f"{self.name}: DOCUMENTATION or RETURN is missing or not valid YAML: {exc}"
        self.supports_check_mode = True  # DockerModule's default
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "supports_check_mode":
                assert isinstance(node.value, ast.Constant), f"{self.name}: supports_check_mode is not a constant"
                self.supports_check_mode = bool(node.value.value)

    @property
    def attributes(self) -> dict[str, dict[str, t.Any]]:
        """The attributes as ansible-doc shows them: the fragments', then the module's own on top."""
        merged: dict[str, dict[str, t.Any]] = {}
        for fragment in self.doc.get("extends_documentation_fragment") or []:
            for key, value in (FRAGMENTS.get(fragment, {}).get("attributes") or {}).items():
                merged[key] = dict(value)
        for key, value in (self.doc.get("attributes") or {}).items():
            merged[key] = {**merged.get(key, {}), **(value or {})}
        return merged

    def support(self, attribute: str) -> str:
        return str(self.attributes.get(attribute, {}).get("support"))


ALL = [Module(p) for p in MODULES]
IDS = [m.name for m in ALL]


def test_every_module_found() -> None:
    assert len(ALL) >= 19, IDS


@pytest.mark.parametrize("module", ALL, ids=IDS)
def test_attributes_check_and_diff_mode(module: Module) -> None:
    assert not module.error, module.error
    attributes = module.attributes
    for key in ("check_mode", "diff_mode", "idempotent"):
        assert key in attributes, f"{module.name}: attributes.{key} missing"
        assert module.support(key) in SUPPORTS, f"{module.name}: attributes.{key}.support is {module.support(key)!r}"
    if module.supports_check_mode:
        assert module.support("check_mode") != "none", f"{module.name}: the code supports check mode, the docs say none"
    else:
        assert module.support("check_mode") == "none", f"{module.name}: the code refuses check mode, the docs say otherwise"
    for key in ("check_mode", "diff_mode", "idempotent"):
        if module.support(key) in ("partial", "none"):
            assert attributes[key].get("details"), f"{module.name}: attributes.{key} is {module.support(key)} without details"


@pytest.mark.parametrize("module", ALL, ids=IDS)
def test_actions_returned(module: Module) -> None:
    assert not module.error, module.error
    actions = module.returns.get("actions")
    assert actions, f"{module.name}: RETURN does not document actions"
    # raw only where an actions_format option gives community.docker's {what, id, status} shape instead of the CLI text
    elements = "raw" if "actions_format" in (module.doc.get("options") or {}) else "str"
    assert actions.get("type") == "list" and actions.get("elements") == elements, f"{module.name}: actions must be a list of {elements}"
    assert actions.get("returned") in ("always", "success"), f"{module.name}: actions returned {actions.get('returned')!r}"
    assert actions.get("description")


def _readme_claims() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- claims:[^>]*-->\n(.*?)<!-- claims: end -->", text, re.S)
    assert match, "README.md: the table of check mode / diff exceptions is missing (<!-- claims: ... -->)"
    rows: dict[str, tuple[str, str]] = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        rows[cells[0]] = (cells[1].split(":")[0], cells[2].split(":")[0])
    return rows


def test_readme_sentences() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Every module returns `actions`" in text
    # Said once, in the Requirements section.
    assert text.count("Both ends of") == 1


def test_readme_claims_table_matches_the_attributes() -> None:
    """Each row names a module, or a pattern like `*_info` that stands for every module it matches."""
    claims: dict[str, tuple[str, str]] = {}
    for name, support in _readme_claims().items():
        pattern = name.split(" ")[0].strip("`")
        matched = [m.name for m in ALL if fnmatch.fnmatchcase(m.name, pattern)]
        assert matched, f"README.md: {name} matches no module"
        for module in matched:
            claims.setdefault(module, support)
    expected = {
        m.name: (m.support("check_mode"), m.support("diff_mode"))
        for m in ALL
        if (m.support("check_mode"), m.support("diff_mode")) != ("full", "full")
    }
    wrong = sorted(set(claims.items()) ^ set(expected.items()))
    assert not wrong, (
        "README.md's table of check mode / diff exceptions (between the <!-- claims --> markers) disagrees with the "
        f"modules' attributes; the attributes say {dict((k, v) for k, v in expected.items() if (k, v) in wrong)}, "
        f"the README says {dict((k, v) for k, v in claims.items() if (k, v) in wrong)}"
    )


def test_developing_names_the_modules_without_diff() -> None:
    text = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    assert "Every module returns `actions`" in text
    for module in ALL:
        if module.support("diff_mode") == "none":
            assert f"`{module.name}`" in text, f"docs/developing.md: does not say that {module.name} has no diff"


def _descriptions(options: dict[str, t.Any], where: str) -> t.Iterator[tuple[str, t.Any]]:
    for name, spec in (options or {}).items():
        spec = spec or {}
        yield f"{where}{name}", spec.get("description")
        for key in ("suboptions", "contains"):
            if isinstance(spec.get(key), dict):
                yield from _descriptions(spec[key], f"{where}{name}.")


@pytest.mark.parametrize("module", ALL, ids=IDS)
def test_descriptions_are_text(module: Module) -> None:
    """A ': ' in an unquoted YAML line turns a sentence into a mapping; ansible-doc then shows a dict."""
    assert not module.error, module.error
    found = list(_descriptions(module.doc.get("options") or {}, "option "))
    found += list(_descriptions(module.returns, "return value "))
    found.append(("description", module.doc.get("description")))
    for where, text in found:
        items = text if isinstance(text, list) else [text]
        assert items and all(isinstance(i, str) and i for i in items), f"{module.name}: {where} description is not text: {text!r}"
