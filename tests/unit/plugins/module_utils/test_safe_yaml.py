# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the bounded YAML loader (_safe_yaml)."""

from __future__ import annotations

import time

import pytest
import yaml

from ansible_collections.devops.docker.plugins.module_utils import _safe_yaml as sy

# The requirement is 2 s. Measured as CPU time (time.process_time): the work the loader does,
# not how busy the shared machine is.
BOUND = 2.0


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9, width: int = 9) -> str:
    """The same bomb through << merge keys (flatten_mapping copies the pairs)."""
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(width)) + "}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level}\n  <<: [" + ", ".join([f"*m{level - 1}"] * width) + "]\n  own{level}: x")
    return "\n".join(lines) + "\n"


COMPOSE_FILES = [
    """
services:
  web:
    image: devops-test/busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    ports:
      - "127.0.0.1:18080:8080"
      - target: 8081
        published: 18081
    environment:
      A: "1"
      B: 2
      C: yes
      D:
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    networks:
      front:
        aliases: [www]
networks:
  front: {}
volumes:
  data:
""",
    """
x-common: &common
  restart: unless-stopped
  labels:
    team: a
services:
  api:
    <<: *common
    image: api
    depends_on: [db]
  db:
    <<: [*common]
    restart: "no"
    image: db
    environment:
      - MARIADB_ROOT_PASSWORD=${PW:-x}
""",
    "services: {}\n",
    "",
    "# only a comment\n",
    "key: ~\nother: 0x1f\nflt: 1.5e3\nd: 2001-12-14\nb: !!binary aGVsbG8=\n",
    "? complex\n: value\nlist:\n- - a\n  - b\n- {x: [1, 2]}\n",
]


@pytest.mark.parametrize("text", COMPOSE_FILES)
def test_same_as_safe_load(text):
    assert sy.load(text, "compose.yaml") == yaml.safe_load(text)


def test_alias_bomb_fails_fast():
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="expands to more than"):
        sy.load(alias_bomb(), "bomb.yaml")
    assert time.process_time() - start < BOUND


def test_merge_key_bomb_fails_fast():
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="expands to more than"):
        sy.load(merge_bomb(), "bomb.yaml")
    assert time.process_time() - start < BOUND


def test_small_alias_use_is_fine():
    assert sy.load(alias_bomb(3, 3))["a2"] == [[["lol"] * 3] * 3] * 3


def test_50mb_file_fails_fast(tmp_path):
    path = tmp_path / "compose.yaml"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("services:\n  web:\n    image: x\n    labels:\n")
        chunk = "".join(f"      l{i}: '{'v' * 80}'\n" for i in range(1000))
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="more than the limit"):
        sy.load_file(str(path))
    assert time.process_time() - start < BOUND
    text = path.read_text(encoding="utf-8")
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="refused before parsing"):
        sy.load(text, "compose.yaml")
    assert time.process_time() - start < BOUND


def test_many_nodes_under_byte_limit_fail_fast():
    text = "a: [" + ",".join(["1"] * 3_000_000) + "]"  # 6 MB, under max_bytes
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="more than 50000 nodes"):
        sy.load(text, "compose.yaml")
    assert time.process_time() - start < BOUND


def test_huge_scalar_expansion():
    text = "a: &a '" + "x" * 1_000_000 + "'\nb: [" + ",".join(["*a"] * 40) + "]\n"
    with pytest.raises(sy.SafeYamlError, match="characters of values"):
        sy.load(text)


@pytest.mark.parametrize("text", ["[" * 100000 + "]" * 100000, "a:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 80))])
def test_deep_nesting(text):
    start = time.process_time()
    # libyaml >= 0.2.5 stops at 1000 flow levels itself; either way a SafeYamlError
    with pytest.raises(sy.SafeYamlError, match="nesting deeper than 64|maximum nesting depth"):
        sy.load(text, "deep.yaml")
    assert time.process_time() - start < BOUND


def test_depth_limit_is_configurable():
    text = "[" * 10 + "]" * 10
    assert sy.load(text, limits=sy.YamlLimits(max_depth=10)) == yaml.safe_load(text)
    with pytest.raises(sy.SafeYamlError):
        sy.load(text, limits=sy.YamlLimits(max_depth=9))


def test_recursive_alias_refused():
    with pytest.raises(sy.SafeYamlError, match="recursive"):
        sy.load("a: &x\n  b: *x\n")


@pytest.mark.parametrize("text,match", [
    ("a: 1\nb: 2\na: 3\n", "'a' is written twice"),
    ("services:\n  web:\n    image: x\n    image: y\n", "'image' is written twice in one mapping .first on line 3"),
    ("a: *nope\n", "undefined alias"),
    ("--- 1\n--- 2\n", "single document"),
    ("a: [1\n", "not valid YAML"),
    ("a: !python/object:os.system x\n", "not valid YAML"),
])
def test_errors(text, match):
    with pytest.raises(sy.SafeYamlError, match=match):
        sy.load(text, "compose.yaml")


def test_merge_key_may_be_overridden():
    assert sy.load("b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n")["c"] == {"x": 3, "y": 2}


def test_alias_limit():
    text = "a: &a 1\nb: [" + ",".join(["*a"] * 11) + "]\n"
    with pytest.raises(sy.SafeYamlError, match="more than 10 aliases"):
        sy.load(text, limits=sy.YamlLimits(max_aliases=10))


def test_error_is_spec_error():
    """The client turns SpecError into fail_json with the message."""
    from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
    assert issubclass(sy.SafeYamlError, SpecError)


def test_custom_tags_through_subclass():
    class ComposeLoader(sy.BoundedSafeLoader):
        pass

    ComposeLoader.add_constructor("!reset", lambda loader, node: ("RESET", loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None))
    data = sy.load("ports: !reset []\nimage: !reset x\n", loader=ComposeLoader)
    assert data == {"ports": ("RESET", None), "image": ("RESET", "x")}
    with pytest.raises(sy.SafeYamlError, match="not valid YAML"):
        sy.load("ports: !reset []\n")  # the base class is untouched


def test_read_file_errors(tmp_path):
    with pytest.raises(sy.SafeYamlError, match="cannot read"):
        sy.read_file(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"a: \xe9t\xe9\n")
    with pytest.raises(sy.SafeYamlError, match="not UTF-8"):
        sy.read_file(str(bad))
    good = tmp_path / "ok.yaml"
    good.write_text("a: b\n", encoding="utf-8")
    assert sy.load_file(str(good)) == {"a": "b"}


class PurePythonLoader(yaml.SafeLoader):
    """The same bounds over PyYAML's pure-Python parser (hosts without libyaml)."""

    allow_duplicate_keys = False


@pytest.mark.parametrize("text", COMPOSE_FILES)
def test_pure_python_parser_same_as_safe_load(text):
    assert sy.load(text, loader=PurePythonLoader) == yaml.safe_load(text)


def test_pure_python_parser_bomb_and_depth():
    start = time.process_time()
    with pytest.raises(sy.SafeYamlError, match="expands to more than"):
        sy.load(alias_bomb(), loader=PurePythonLoader)
    with pytest.raises(sy.SafeYamlError, match="nesting deeper than 64"):
        sy.load("[" * 5000 + "]" * 5000, loader=PurePythonLoader)
    assert time.process_time() - start < BOUND


# -- the Compose loader reads through it ---------------------------------------------------------

def test_compose_loader_refuses_the_bomb_and_the_big_file(tmp_path):
    from ansible_collections.devops.docker.plugins.module_utils._compose import _project as cl

    (tmp_path / "compose.yaml").write_text(alias_bomb() + "services: {web: {image: x}}\n", encoding="utf-8")
    start = time.process_time()
    with pytest.raises(cl.ComposeError, match="expands to more than"):
        cl.load_project(project_src=str(tmp_path), os_env={})
    big = tmp_path / "big"
    big.mkdir()
    with open(big / "compose.yaml", "w", encoding="utf-8") as handle:
        handle.write("services: {web: {image: x}}\n# " + "x" * (50 * 1024 * 1024) + "\n")
    with pytest.raises(cl.ComposeError, match="more than the limit"):
        cl.load_project(project_src=str(big), os_env={})
    assert time.process_time() - start < 2 * BOUND


def test_compose_loader_refuses_duplicate_keys(tmp_path):
    from ansible_collections.devops.docker.plugins.module_utils._compose import _project as cl

    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: a\n    image: b\n", encoding="utf-8")
    with pytest.raises(cl.ComposeError, match="'image' is written twice"):
        cl.load_project(project_src=str(tmp_path), os_env={})


def test_stack_reads_through_the_bounded_loader(tmp_path):
    from ansible_collections.devops.docker.plugins.module_utils._swarm import _stack

    (tmp_path / "compose.yaml").write_text(alias_bomb() + "services: {web: {image: x}}\n", encoding="utf-8")
    with pytest.raises(Exception, match="expands to more than") as caught:
        _stack.load_stack({"project_src": str(tmp_path), "files": None, "definition": None, "env": None,
                           "env_files": None})
    assert isinstance(caught.value, sy.SpecError)
    with open(tmp_path / "compose.yaml", "w", encoding="utf-8") as handle:
        handle.write("services: {web: {image: x}}\n# " + "x" * (9 * 1024 * 1024) + "\n")
    with pytest.raises(sy.SpecError, match="more than the limit"):
        _stack.load_stack({"project_src": str(tmp_path), "files": None, "definition": None, "env": None,
                           "env_files": None})
