# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An empty entrypoint or command (the container module and Compose), and a host port range for one container
port (container, Compose, refused for a Swarm service): the create body, the CLI text, and the comparison with
what the Engine keeps (docker inspect on Engine 20.10, see the comments)."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
from ansible_collections.devops.docker.plugins.module_utils._container._desired_compat import community_params
from ansible_collections.devops.docker.plugins.module_utils._container._manager import create_command
from ansible_collections.devops.docker.plugins.module_utils._container._table import Context, create_request, plan
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS, spec_defaults
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import (
    PortBinding,
    binding_from_mapping,
    host_port_range,
    parse_service_port,
)
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import engine_command, entrypoint_argv

IMAGE = {"Id": "sha256:" + "e" * 64, "Config": {"Entrypoint": ["sh", "-c"], "Cmd": ["sleep 901"]}}
BASE = {"name": "dt-unit", "image": "devops-test/dt-ep:latest"}


def _container(entrypoint, cmd, bindings=None):
    """A container as docker inspect shows it (Config.Image by name, the image's ID)."""
    return {
        "Id": "c" * 64, "Image": IMAGE["Id"], "State": {"Status": "running", "Running": True},
        "Config": {"Image": BASE["image"], "Entrypoint": entrypoint, "Cmd": cmd, "Labels": {}, "Env": []},
        "HostConfig": {"PortBindings": bindings or {}, "NetworkMode": "bridge", "RestartPolicy": {"Name": "no"}},
    }


def _diffs(params, container):
    return {d.option for d in plan(dict(BASE, **params), container, IMAGE)} & {"command", "entrypoint", "ports"}


# ---------------------------------------------------------------- the Engine's rule
@pytest.mark.parametrize("entrypoint, command, expected", [
    (None, None, (["sh", "-c"], ["sleep 901"])),       # nothing sent: the image's both
    ([], None, ([], ["sleep 901"])),                   # Entrypoint []: none, the image's CMD stays
    (None, [], (["sh", "-c"], ["sleep 901"])),         # Cmd [] alone: the Engine puts the image's back
    ([], [], ([], ["sleep 901"])),
    ([], ["sleep", "5"], ([], ["sleep", "5"])),
    (["top"], None, (["top"], [])),                    # an entrypoint of its own: no CMD from the image
    (["top"], [], (["top"], [])),
])
def test_engine_command(entrypoint, command, expected):
    assert engine_command(entrypoint, command, ["sh", "-c"], ["sleep 901"]) == expected


@pytest.mark.parametrize("value, expected", [(None, None), ("", []), ([], []), ([""], []), ("a b", ["a", "b"])])
def test_entrypoint_argv(value, expected):
    assert entrypoint_argv(value) == expected


# ---------------------------------------------------------------- container module: an empty entrypoint
@pytest.mark.parametrize("entrypoint", ["", [], [""]])
def test_an_empty_entrypoint_is_sent_and_shown(entrypoint):
    params = dict(BASE, entrypoint=entrypoint, command=["sleep", "5"])
    body = create_request(Context(Desired(params), IMAGE))
    assert body["Entrypoint"] == []
    assert body["Cmd"] == ["sleep", "5"]
    assert "--entrypoint=" in create_command(params, IMAGE)  # docker run --entrypoint= IMAGE: no entrypoint


def test_an_entrypoint_not_given_is_not_sent():
    body = create_request(Context(Desired(dict(BASE)), IMAGE))
    assert "Entrypoint" not in body and "Cmd" not in body
    assert not [a for a in create_command(dict(BASE), IMAGE) if a.startswith("--entrypoint")]


@pytest.mark.parametrize("params, container, changed", [
    # what the Engine 20.10 keeps for Entrypoint [] (docker inspect: Entrypoint [], Cmd the image's)
    ({"entrypoint": []}, _container([], ["sleep 901"]), set()),
    ({"entrypoint": ""}, _container([], ["sleep 901"]), set()),
    # --entrypoint '' from the CLI: Entrypoint null in docker inspect
    ({"entrypoint": [""], "command": ["sleep", "5"]}, _container(None, ["sleep", "5"]), set()),
    ({"entrypoint": [], "command": ["sleep", "5"]}, _container([], ["sleep", "5"]), set()),
    # the image's entrypoint in the container: clearing it is a change
    ({"entrypoint": []}, _container(["sh", "-c"], ["sleep 901"]), {"entrypoint"}),
    # a cleared entrypoint, then the task leaves it out: the image's comes back
    ({}, _container([], ["sleep 901"]), {"entrypoint"}),
    # command [] alone: the Engine keeps the image's CMD and ENTRYPOINT, so that is no change
    ({"command": []}, _container(["sh", "-c"], ["sleep 901"]), set()),
    ({"command": ""}, _container(["sh", "-c"], ["sleep 901"]), set()),
    # an entrypoint of its own and an empty command
    ({"entrypoint": ["sleep"], "command": []}, _container(["sleep"], None), set()),
    ({"entrypoint": ["sleep"], "command": []}, _container(["sleep"], ["5"]), {"command"}),
])
def test_empty_entrypoint_and_command_compare_with_what_the_engine_keeps(params, container, changed):
    assert _diffs(params, container) == changed


def test_command_handling_compatibility_keeps_community_dockers_not_given():
    params = community_params(dict(BASE, entrypoint=[], command=[], command_handling="compatibility"))
    assert params["entrypoint"] is None and params["command"] is None
    body = create_request(Context(Desired(params), IMAGE))
    assert "Entrypoint" not in body and "Cmd" not in body


# ---------------------------------------------------------------- container module: a host port range
def test_a_host_range_for_one_port_is_sent_whole_and_compared_with_port_bindings():
    params = dict(BASE, ports=["127.0.0.1:15150-15152:80"])
    body = create_request(Context(Desired(params), IMAGE))
    assert body["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15150-15152"}]}
    assert "127.0.0.1:15150-15152:80" in create_command(params, IMAGE)
    # HostConfig.PortBindings keeps the range as given (NetworkSettings.Ports shows the port the Engine took)
    kept = {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15150-15152"}]}
    assert _diffs({"ports": ["127.0.0.1:15150-15152:80"], "entrypoint": None}, _container(["sh", "-c"], ["sleep 901"], kept)) == set()
    assert _diffs({"ports": ["127.0.0.1:15150-15153:80"]}, _container(["sh", "-c"], ["sleep 901"], kept)) == {"ports"}
    assert _diffs({"ports": ["127.0.0.1:15150:80"]}, _container(["sh", "-c"], ["sleep 901"], kept)) == {"ports"}


def test_host_port_range():
    assert host_port_range(PortBinding(80, "tcp", "", "8000-8010")) == (8000, 8010)
    assert host_port_range(PortBinding(80, "tcp", "", "8000")) == (8000, 8000)
    assert host_port_range(PortBinding(80)) is None


def test_compose_long_syntax_keeps_the_range():
    assert binding_from_mapping({"target": 80, "published": "8000-8010"}, "ports") == [PortBinding(80, "tcp", "", "8000-8010")]
    with pytest.raises(SpecError, match="maps 2 container ports to 3 host ports"):
        binding_from_mapping({"target": "80-81", "published": "8000-8002"}, "ports")


# ---------------------------------------------------------------- Swarm services: no published range
@pytest.mark.parametrize("value", ["8000-8010:80", {"target": 80, "published": "8000-8010"}])
def test_a_service_refuses_a_published_range_for_one_port(value):
    with pytest.raises(SpecError, match="for containers only"):
        parse_service_port(value, "ports")


def test_a_service_pairs_published_and_target_ranges():
    assert [(p["PublishedPort"], p["TargetPort"]) for p in parse_service_port({"target": "80-81", "published": "8000-8001"})] \
        == [(8000, 80), (8001, 81)]
    assert [(p["PublishedPort"], p["TargetPort"]) for p in parse_service_port("8000-8001:80-81")] == [(8000, 80), (8001, 81)]


# ---------------------------------------------------------------- Compose: the create body
def _compose(service):
    params = spec_defaults(COMPOSE_ARGS)
    params.update(definition={"services": {"web": dict({"image": "devops-test/dt-ep:latest"}, **service)}},
                  project_name="dt-unit")
    manager = ComposeManager(None, params, False)
    return create_request(Context(Desired(manager.container_params("web", 1, "devops-test/dt-ep:latest", "0" * 64)), IMAGE))


@pytest.mark.parametrize("entrypoint", ["", []])
def test_compose_an_empty_entrypoint_clears_the_images(entrypoint):
    body = _compose({"entrypoint": entrypoint, "command": "sleep 5"})
    assert body["Entrypoint"] == [] and body["Cmd"] == ["sleep", "5"]  # what the Compose CLI v2 sends


def test_compose_an_empty_command_is_sent_empty():
    body = _compose({"entrypoint": ["sleep"], "command": []})
    assert body["Entrypoint"] == ["sleep"] and body["Cmd"] == []


def test_compose_no_entrypoint_key_sends_none():
    assert "Entrypoint" not in _compose({})


def test_compose_a_host_range_reaches_the_create_body():
    body = _compose({"ports": ["127.0.0.1:15150-15152:80", {"target": 81, "published": "15153-15154"}]})
    assert body["HostConfig"]["PortBindings"] == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15150-15152"}],
        "81/tcp": [{"HostIp": "", "HostPort": "15153-15154"}],
    }


def test_compose_scale_within_a_host_range():
    _compose({"ports": ["15150-15151:80"], "scale": 2})
    with pytest.raises(Exception, match="would conflict"):
        _compose({"ports": ["15150-15151:80"], "scale": 3})
