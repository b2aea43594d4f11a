# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._swarm._service import DesiredService
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import NAMESPACE_LABEL, load_stack, service_params

DEFINITION = {
    "services": {
        "web": {
            "image": "${IMG:-busybox}",
            "command": "httpd -f -p 8080",
            "ports": ["8080:8080"],
            "labels": {"tier": "front"},
            "restart": "always",  # ignored by stacks, with a warning
            "networks": {"back": {"aliases": ["www"]}},
            "volumes": ["data:/data"],
            "deploy": {
                "replicas": 3,
                "labels": {"app": "web"},
                "resources": {"limits": {"cpus": "0.5", "memory": "64m"}, "reservations": {"memory": "16m"}},
                "placement": {"constraints": ["node.role==worker"], "max_replicas_per_node": 2},
                "restart_policy": {"condition": "on-failure", "delay": "5s", "max_attempts": 3},
                "update_config": {"parallelism": 2, "order": "start-first"},
            },
        },
        "agent": {"image": "busybox", "command": ["sleep", "1000"], "deploy": {"mode": "global"}},
    },
    "networks": {"back": {"attachable": True}},
    "volumes": {"data": {}},
}


def load(definition=None, **extra):
    params = {"name": "shop", "definition": definition or DEFINITION, "project_src": None, "files": None,
              "env": None, "env_files": None}
    params.update(extra)
    return load_stack(params)


def test_load_and_translate():
    project, deploys, _nets, warnings = load(env={"IMG": "app:1"})
    assert sorted(project.services) == ["agent", "web"]
    assert any("restart" in w for w in warnings)
    assert project.networks["back"]["name"] == "shop_back"
    assert project.networks["default"]["name"] == "shop_default"  # agent names no network
    web = service_params("shop", project.services["web"], deploys["web"], project.networks, project.volumes, True, 60)
    assert web["name"] == "shop_web"
    assert web["image"] == "app:1"
    assert web["command"] == ["httpd", "-f", "-p", "8080"]
    assert web["replicas"] == 3 and web["mode"] == "replicated"
    assert web["labels"] == {"app": "web", NAMESPACE_LABEL: "shop", "com.docker.stack.image": "app:1"}
    assert web["container_labels"] == {"tier": "front", NAMESPACE_LABEL: "shop"}
    assert web["networks"] == [{"name": "shop_back", "aliases": ["web", "www"]}]
    assert web["mounts"][0]["source"] == "shop_data"
    assert web["ports"] == [{"target": 8080, "protocol": "tcp", "mode": "ingress", "published": 8080}]
    assert web["restart_policy"]["condition"] == "on-failure"
    # what the service manager makes of it
    svc = DesiredService(web)
    options = {f.name: f.value for f in svc.fields}
    assert options["resources.limits.cpus"] == 500_000_000
    assert options["resources.reservations.memory"] == 16 * 1024 * 1024
    assert options["placement.max_replicas_per_node"] == 2
    assert options["restart_policy.delay"] == 5_000_000_000
    assert options["update_config.order"] == "start-first"
    agent = service_params("shop", project.services["agent"], deploys["agent"], project.networks, project.volumes, True, 60)
    assert agent["mode"] == "global" and "replicas" not in agent
    assert agent["networks"] == [{"name": "shop_default", "aliases": ["agent"]}]


@pytest.mark.parametrize("change, match", [
    ({"services": {"web": {"build": "."}}}, "cannot build"),
    ({"services": {"web": {"image": "x", "deploy": {"mode": "global", "replicas": 2}}}}, "global"),
    ({"services": {"web": {"image": "x", "deploy": {"rollback_config": {}}}}}, "rollback_config"),
    ({"services": {"web": {"image": "x", "deploy": {"bogus": 1}}}}, "bogus"),
    ({"services": {"web": {"image": "x", "networks": ["n"]}}, "networks": {"n": {"driver": "bridge"}}}, "overlay"),
    ({"services": {"web": {"image": "x", "ports": ["127.0.0.1:80:80"]}}}, "host IP"),
    ({"services": {"web": {"image": "x", "network_mode": "host"}}}, "network_mode"),
])
def test_stack_errors(change, match):
    with pytest.raises(SpecError, match=match):
        project, deploys, _n, _w = load(change)
        for name, svc in project.services.items():
            service_params("shop", svc, deploys[name], project.networks, project.volumes, True, 60)


def test_stack_spec_diff_names_the_changed_keys_of_each_service():
    from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import spec_diff

    web = {"Name": "s_web", "Labels": {"tier": "web"}, "Mode": {"Replicated": {"Replicas": 1}}}
    db = {"Name": "s_db", "Labels": {}}
    new_web = dict(web, Labels={"tier": "front"})
    cache = {"Name": "s_cache"}
    assert spec_diff({"s_web": web, "s_db": db}, {"s_web": new_web, "s_db": db, "s_cache": cache}) == {
        "s_web": {"before": {"Labels": {"tier": "web"}}, "after": {"Labels": {"tier": "front"}}},
        "s_cache": {"before": None, "after": cache},
    }
    assert spec_diff({"s_db": db}, {}) == {"s_db": {"before": db, "after": None}}
    assert spec_diff({"s_db": db}, {"s_db": dict(db)}) == {}
