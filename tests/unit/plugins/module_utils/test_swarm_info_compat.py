# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's docker_node_info and docker_swarm_service_info over a fake manager."""

from __future__ import annotations

import types

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._swarm._info_compat import (
    NODE_INFO_ARGS,
    SERVICE_INFO_ARGS,
    node_info,
    node_info_actions,
    service_info,
    service_info_actions,
)
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

MANAGER = {"Swarm": {"LocalNodeState": "active", "ControlAvailable": True, "NodeID": "n1"}}
N1 = {"ID": "n1", "Spec": {"Role": "manager", "Availability": "active"}, "Description": {"Hostname": "host-one"}}
N2 = {"ID": "n2", "Spec": {"Role": "worker", "Availability": "drain"}, "Description": {"Hostname": "host-two"}}


def module(params, answers):
    return types.SimpleNamespace(api=FakeDaemon(answers={("GET", "/info"): MANAGER, **answers}), params=params)


def test_options_are_community_dockers():
    assert NODE_INFO_ARGS == {"name": {"type": "list", "elements": "str"}, "self": {"type": "bool", "default": False}}
    assert SERVICE_INFO_ARGS == {"name": {"type": "str", "required": True}}


def test_every_node_without_name():
    m = module({"name": None, "self": False}, {("GET", "/nodes"): [N1, N2]})
    assert node_info(m) == {"nodes": [N1, N2]}
    assert node_info_actions(m.params, {}) == ["docker node ls --quiet", "docker node inspect $(docker node ls --quiet)"]


def test_self_is_the_engines_own_node_and_ignores_name():
    m = module({"name": ["host-two"], "self": True}, {("GET", "/nodes/n1"): N1})
    assert node_info(m) == {"nodes": [N1]}
    assert node_info_actions(m.params, {}) == ["docker node inspect self"]


def test_names_by_id_or_hostname_missing_ones_left_out():
    m = module({"name": ["n1", "host-two", "nope", "host-one"], "self": False},
               {("GET", "/nodes/n1"): N1, ("GET", "/nodes"): [N1, N2]})
    assert node_info(m) == {"nodes": [N1, N2]}
    assert m.api.calls.count(("GET", "/nodes")) == 1  # the list is read once
    assert node_info_actions(m.params, {}) == ["docker node inspect n1 host-two nope host-one"]


def test_service_exists_or_not():
    service = {"ID": "s1", "Spec": {"Name": "web"}}
    m = module({"name": "web"}, {("GET", "/services/web"): service})
    assert service_info(m) == {"exists": True, "service": service}
    m = module({"name": "gone"}, {})
    assert service_info(m) == {"exists": False, "service": None}
    assert service_info_actions({"name": "my svc"}, {}) == ["docker service inspect 'my svc'"]


@pytest.mark.parametrize("swarm, words", [
    ({"LocalNodeState": "inactive"}, "not in a swarm"),
    ({"LocalNodeState": "active", "ControlAvailable": False}, "is a worker"),
])
def test_not_a_manager_is_a_clear_error(swarm, words):
    m = module({"name": None, "self": False}, {("GET", "/info"): {"Swarm": swarm}})
    m.api.base_url = "unix:///var/run/docker.sock"
    with pytest.raises(DockerError, match=words):
        node_info(m)
    with pytest.raises(DockerError, match=words):
        service_info(types.SimpleNamespace(api=m.api, params={"name": "web"}))
