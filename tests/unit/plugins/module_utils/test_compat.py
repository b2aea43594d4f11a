# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's option names mapped onto ours: prune's per-kind filters, host_info's, stack's compose."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compat import (
    host_info_filters,
    prune,
    prune_groups,
    stack_compose,
    swarm_info_summaries,
)
from ansible_collections.devops.docker.tests.unit.conftest import FakeModule

PRUNE_DEFAULTS = {
    "containers": False, "images": False, "networks": False, "volumes": False, "builder": False,
    "images_dangling_only": True, "volumes_all": False, "builder_all": False, "filters": None,
    "containers_filters": None, "images_filters": None, "networks_filters": None, "volumes_filters": None,
    "builder_cache_filters": None,
}


def params(**kw: t.Any) -> dict[str, t.Any]:
    return {**PRUNE_DEFAULTS, **kw}


def kinds(run: dict[str, t.Any]) -> list[str]:
    return [k for k in ("containers", "networks", "volumes", "images", "builder") if run[k]]


def test_one_run_when_no_kind_has_its_own_filters() -> None:
    runs = prune_groups(params(containers=True, images=True, filters={"label": ["a"]}))
    assert len(runs) == 1 and kinds(runs[0]) == ["containers", "images"] and runs[0]["filters"] == {"label": ["a"]}


def test_kinds_with_own_filters_run_apart_in_system_prune_order() -> None:
    runs = prune_groups(params(images=True, containers=True, networks=True, containers_filters={"until": "24h"}))
    assert [kinds(r) for r in runs] == [["containers"], ["networks", "images"]]
    assert runs[0]["filters"] == {"until": "24h"} and runs[1]["filters"] is None


def test_same_own_filters_share_a_run_and_merge_over_filters() -> None:
    runs = prune_groups(params(containers=True, networks=True, filters={"label": ["x"]},
                               containers_filters={"until": "1h"}, networks_filters={"until": "1h"}))
    assert len(runs) == 1 and runs[0]["filters"] == {"label": ["x"], "until": "1h"}


@pytest.mark.parametrize("value, dangling_only", [(False, False), ("false", False), (True, True), (["true"], True)])
def test_images_filters_dangling(value: t.Any, dangling_only: bool) -> None:
    (run,) = prune_groups(params(images=True, images_filters={"dangling": value}))
    assert run["images_dangling_only"] is dangling_only and run["filters"] == {}


def test_volumes_filters_all() -> None:
    (run,) = prune_groups(params(volumes=True, volumes_filters={"all": "true", "label": "k"}))
    assert run["volumes_all"] is True and run["filters"] == {"label": "k"}


class FakeManager:
    seen: list[dict[str, t.Any]] = []

    def __init__(self, api: t.Any, params: dict[str, t.Any], check_mode: bool, warn: t.Any = None) -> None:
        self.params = params
        FakeManager.seen.append(params)

    def run(self) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {"changed": self.params["containers"], "actions": [], "space_reclaimed": 5}
        if self.params["containers"]:
            out.update(containers_deleted=["c1"], actions=["docker container prune --force"])
        if self.params["images"]:
            out.update(images_deleted=["sha256:i"])
        return out


def test_prune_merges_runs_and_adds_community_keys() -> None:
    FakeManager.seen = []
    module = FakeModule(None, params(containers=True, images=True, containers_filters={"until": "1h"}), diff_mode=False)
    res = prune(module, FakeManager)
    assert len(FakeManager.seen) == 2
    assert res["changed"] and res["actions"] == ["docker container prune --force"]
    assert res["containers"] == ["c1"] and res["images"] == ["sha256:i"] and res["space_reclaimed"] == 10


def test_host_info_filters() -> None:
    p = {"filters": {"label": "a"}, "images_filters": {"dangling": True}, "containers_filters": None}
    assert host_info_filters(p, "images") == {"dangling": True}
    assert host_info_filters(p, "containers") == {"label": "a"}


def test_stack_compose_files_and_definitions() -> None:
    p: dict[str, t.Any] = {"compose": ["/a.yml", "/b.yml"], "files": None, "definition": None, "project_src": None}
    stack_compose(p)
    assert p["files"] == ["/a.yml", "/b.yml"]
    p = {"compose": [{"services": {"web": {"image": "x"}}}, {"services": {"web": {"replicas": 2}}}],
         "files": None, "definition": None, "project_src": None}
    stack_compose(p)
    assert p["definition"] == {"services": {"web": {"image": "x", "replicas": 2}}}
    with pytest.raises(DockerError, match="mixing"):
        stack_compose({"compose": ["/a.yml", {"services": {}}], "files": None, "definition": None, "project_src": None})


class NodesAPI:
    def get(self, path: str, params: t.Any = None) -> t.Any:
        assert path == "/nodes"
        return [{"ID": "n1", "Description": {"Hostname": "host-1"}}]


def test_swarm_info_summaries_add_short_keys_and_keep_api_values() -> None:
    result = {
        "nodes": [{"ID": "n1", "Description": {"Hostname": "host-1", "Engine": {"EngineVersion": "20.10"}},
                   "Spec": {"Availability": "active"}, "Status": {"State": "ready"}}],
        "services": [{"ID": "s1", "Spec": {"Name": "web", "Mode": {"Replicated": {"Replicas": 2}},
                                           "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}}],
        "tasks": [{"ID": "t1", "NodeID": "n1", "DesiredState": "running",
                   "Status": {"State": "running", "ContainerStatus": {"ContainerID": "c1"}},
                   "Spec": {"ContainerSpec": {"Image": "busybox"}}}],
    }
    swarm_info_summaries(NodesAPI(), result)
    node, svc, task = result["nodes"][0], result["services"][0], result["tasks"][0]
    assert (node["Hostname"], node["Availability"], node["EngineVersion"]) == ("host-1", "active", "20.10")
    assert node["Status"] == {"State": "ready"}  # the API's value stays
    assert (svc["Name"], svc["Mode"], svc["Replicas"], svc["Image"], svc["Ports"]) == ("web", "Replicated", 2, "busybox", [])
    assert (task["Node"], task["ContainerID"], task["CurrentState"], task["Error"]) == ("host-1", "c1", "running", None)
