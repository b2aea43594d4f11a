# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The option-table engine, and the bugs that hide in option tables.

Each of the last three groups plants nothing: it pins a rule that a one-line change once broke
without any unit test noticing (swarm autolock normalization, the service ports' default
PublishMode, MemorySwap in the in-place container update).
"""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults, plan as container_plan
from ansible_collections.devops.docker.plugins.module_utils._engine import (
    ALLOW_MORE_PRESENT,
    IGNORE,
    RECREATE,
    STRICT,
    UNMANAGED,
    UPDATE,
    Option,
    Pair,
    check_comparisons,
    create_body,
    create_cli,
    given,
    is_superset,
    path_option,
    plan,
    update_request,
)
from ansible_collections.devops.docker.plugins.module_utils._swarm._service import DesiredService, field_differences
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import apply_settings, parse_settings, settings_differences
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_service_port
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

LABELS = Option(
    "labels",
    read=lambda ctx: dict(ctx.current.get("Labels") or {}),
    want=given("labels"),
    body=lambda ctx, body: body.update(Labels=ctx.wanted.get("labels") or {}),
    cli=lambda ctx: [x for k, v in sorted((ctx.wanted.get("labels") or {}).items()) for x in ("--label", f"{k}={v}")],
)
DRIVER = Option("driver", read=lambda ctx: ctx.current.get("Driver"), want=given("driver"),
                body=lambda ctx, body: body.update(Driver=ctx.wanted.get("driver") or "local"),
                cli=lambda ctx: ["--driver", ctx.wanted.get("driver") or "local"])
TABLE = (DRIVER, LABELS)


# ---------------------------------------------------------------- the engine
def test_an_option_the_task_does_not_give_is_not_compared():
    assert plan(TABLE, Pair({"Driver": "local", "Labels": {"a": "1"}}, {"driver": None, "labels": None})) == []


@pytest.mark.parametrize("mode, current, wanted, differs", [
    (STRICT, {"a": "1", "b": "2"}, {"a": "1"}, True),
    (ALLOW_MORE_PRESENT, {"a": "1", "b": "2"}, {"a": "1"}, False),
    (ALLOW_MORE_PRESENT, {"a": "1"}, {"a": "1", "b": "2"}, True),
    (ALLOW_MORE_PRESENT, {"a": "2"}, {"a": "1"}, True),
    (IGNORE, {"x": "y"}, {"a": "1"}, False),
])
def test_comparison_modes(mode, current, wanted, differs):
    diffs = plan(TABLE, Pair({"Labels": current}, {"labels": wanted}), {"labels": mode})
    assert bool(diffs) is differs


def test_star_sets_the_mode_of_every_option_and_a_name_wins_over_it():
    ctx = Pair({"Driver": "local", "Labels": {"a": "1", "b": "2"}}, {"driver": "other", "labels": {"a": "1"}})
    assert [d.option for d in plan(TABLE, ctx, {"*": ALLOW_MORE_PRESENT})] == ["driver"]
    assert plan(TABLE, ctx, {"*": IGNORE}) == []
    assert [d.option for d in plan(TABLE, ctx, {"*": IGNORE, "labels": STRICT})] == ["labels"]


def test_superset_of_lists_and_nested_mappings():
    assert is_superset(["a", "b", "c"], ["c", "a"])
    assert not is_superset(["a"], ["a", "b"])
    assert is_superset({"x": {"a": 1, "b": 2}}, {"x": {"a": 1}})


@pytest.mark.parametrize("value, words", [
    ("strict", "mapping"),
    ({"nope": "strict"}, "not an option that is compared"),
    ({"labels": "sometimes"}, "is not one of"),
])
def test_comparisons_are_checked(value, words):
    with pytest.raises(SpecError, match=words):
        check_comparisons(value, ["labels", "driver"])


def test_create_body_and_cli_come_from_the_same_values():
    ctx = Pair({}, {"driver": None, "labels": {"b": "2", "a": "1"}})
    assert create_body(TABLE, ctx, {"Name": "v"}) == {"Name": "v", "Driver": "local", "Labels": {"b": "2", "a": "1"}}
    assert create_cli(TABLE, ctx) == ["--driver", "local", "--label", "a=1", "--label", "b=2"]


def test_path_option_compares_through_its_normalizer_and_reports_raw_values():
    option = path_option("autolock", ("EncryptionConfig", "AutoLockManagers"), False, norm=bool, cli=["--autolock=false"])
    assert plan([option], {}) == []
    diff, = plan([option], {"EncryptionConfig": {"AutoLockManagers": True}})
    assert (diff.option, diff.before, diff.after, diff.how) == ("autolock", True, False, UPDATE)
    body, argv = update_request([option], {}, [diff], {"Raft": {}})
    assert body == {"Raft": {}, "EncryptionConfig": {"AutoLockManagers": False}} and argv == ["--autolock=false"]
    assert path_option("x", ("X",), None).want(None) is UNMANAGED


# ---------------------------------------------------------------- swarm: autolock normalization
def test_a_swarm_that_never_had_autolock_is_not_different_from_autolock_false():
    wanted = parse_settings({"autolock": False})
    assert settings_differences({}, wanted) == []
    assert settings_differences({"EncryptionConfig": {}}, wanted) == []


def test_autolock_true_and_false_differ_and_apply():
    assert settings_differences({}, parse_settings({"autolock": True})) == [("autolock", False, True)]
    assert settings_differences({"EncryptionConfig": {"AutoLockManagers": True}}, parse_settings({"autolock": False})) == [
        ("autolock", True, False)]
    assert apply_settings({"Raft": {"SnapshotInterval": 1}}, parse_settings({"autolock": True})) == {
        "Raft": {"SnapshotInterval": 1}, "EncryptionConfig": {"AutoLockManagers": True}}


# ---------------------------------------------------------------- service ports: the default PublishMode
def test_service_ports_carry_the_default_publish_mode():
    assert parse_service_port("8080:80") == [{"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress", "PublishedPort": 8080}]
    assert parse_service_port({"target": 53, "protocol": "udp"}) == [{"Protocol": "udp", "TargetPort": 53, "PublishMode": "ingress"}]


@pytest.mark.parametrize("current, differs", [
    ([{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080}], False),  # the daemon may leave the mode out
    ([{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}], False),
    ([{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "host"}], True),
])
def test_service_port_mode_compared_with_ingress_as_the_default(current, differs):
    spec = {"EndpointSpec": {"Ports": current}}
    names = [f.name for f, _b, _a in field_differences(spec, DesiredService({"name": "web", "ports": ["8080:80"]}).fields)]
    assert (names == ["ports"]) is differs


# ---------------------------------------------------------------- container: MemorySwap in the in-place update
def _container(memory: int) -> dict:
    return {
        "Id": "c" * 64, "Name": "/dt-unit", "Image": "sha256:" + "a" * 64,
        "Config": {"Image": "devops-test/busybox:latest", "Env": [], "Labels": {}, "Cmd": ["sleep", "60"], "Hostname": "cccccccccccc"},
        "HostConfig": {"Memory": memory, "MemorySwap": 2 * memory, "NetworkMode": "bridge", "ShmSize": 64 * 1024 * 1024,
                       "RestartPolicy": {"Name": "no"}, "LogConfig": {"Type": "json-file"}},
        "NetworkSettings": {"Networks": {"bridge": {}}},
        "State": {"Status": "running"},
    }


def test_raising_memory_updates_in_place_with_memory_swap():
    params = container_defaults()
    params.update(name="dt-unit", image="devops-test/busybox:latest", command="sleep 60", memory="128m")
    image = {"Id": "sha256:" + "a" * 64, "Config": {"Cmd": ["sh"]}}
    daemon = FakeDaemon(containers=[_container(64 * 1024 * 1024)], images={"devops-test/busybox:latest": image},
                        answers={("POST", "/containers/" + "c" * 64 + "/update"): {"Warnings": []}})
    diffs = container_plan(params, daemon.containers["dt-unit"], image)
    assert [(d.option, d.how) for d in diffs] == [("memory", UPDATE)]
    result = ContainerManager(daemon, params, check_mode=False).run()
    assert result["actions"] == [f"docker container update --memory {128 * 1024 * 1024} --memory-swap {256 * 1024 * 1024} dt-unit"]
    (_method, path, body), = daemon.writes()
    assert path.endswith("/update")
    assert body == {"Memory": 128 * 1024 * 1024, "MemorySwap": 256 * 1024 * 1024}


def test_lifting_the_memory_limit_recreates():
    params = container_defaults()
    params.update(name="dt-unit", image="devops-test/busybox:latest", command="sleep 60")
    diffs = container_plan(params, _container(64 * 1024 * 1024), {"Id": "sha256:" + "a" * 64, "Config": {}})
    assert [(d.option, d.how) for d in diffs] == [("memory", RECREATE)]
