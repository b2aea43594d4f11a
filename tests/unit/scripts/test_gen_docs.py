# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/gen-docs.py turns Ansible's documentation markup into Markdown."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[3] / "scripts" / "gen-docs.py"
_SPEC = importlib.util.spec_from_file_location("gen_docs", _PATH)
assert _SPEC and _SPEC.loader
gen_docs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(gen_docs)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("like C(docker exec)", "like `docker exec`"),
        ("set O(name) or O(state=absent)", "set `name` or `state=absent`"),
        ("V(['sh', '-c', 'x'])", "`['sh', '-c', 'x']`"),
        ("RV(skipped=true) and RV(logs.stdout)", "`skipped=true` and `logs.stdout`"),
        ("E(DOCKER_HOST)", "`DOCKER_HOST`"),
        ("I(really) B(engine)", "*really* **engine**"),
        ("M(devops.docker.container)", "[`devops.docker.container`](container.md)"),
        ("M(ansible.builtin.command)",
         "[`ansible.builtin.command`](https://docs.ansible.com/ansible/latest/collections/ansible/builtin/command_module.html)"),
        ("O(devops.docker.node#module:labels)", "`labels` of [`devops.docker.node`](node.md)"),
        ("see L(the spec, https://example.org/x) or U(https://example.org)", "see [the spec](https://example.org/x) or <https://example.org>"),
        ("V(a\\)b)", "`a)b`"),
        ("C(a`b)", "``a`b``"),
        ("ABC(x) stays, so does FOO(bar)", "ABC(x) stays, so does FOO(bar)"),
    ],
)
def test_markdown(text: str, expected: str) -> None:
    assert gen_docs.markdown(text) == expected


def test_unclosed_markup_is_an_error() -> None:
    with pytest.raises(ValueError):
        gen_docs.markdown("C(never closed")


def test_leftover_markup_is_found_outside_code() -> None:
    page = "prose with O(x)\n\n```yaml\nC(in a block)\n```\n`C(in a span)` and V(y)\n"
    assert gen_docs.leftover_markup(page) == ["O(x)", "V(y)"]


def test_table_cells_escape_pipes() -> None:
    assert gen_docs.flat(["a C(x|y)", "b"]) == "a `x\\|y` b"
