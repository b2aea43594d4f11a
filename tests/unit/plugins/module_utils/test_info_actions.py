# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The actions of the read-only modules: the commands that read the same."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._info_actions import (
    filter_args,
    host_info_actions,
    image_info_actions,
    network_info_actions,
    registry_info_actions,
    swarm_info_actions,
    volume_info_actions,
)


@pytest.mark.parametrize(
    "filters, expected",
    [
        (None, []),
        ({}, []),
        ({"label": "app=web"}, ["--filter", "label=app=web"]),
        ({"dangling": True, "label": ["a", "b=c"]}, ["--filter", "dangling=true", "--filter", "label=a", "--filter", "label=b=c"]),
    ],
)
def test_filter_args(filters: t.Any, expected: list[str]) -> None:
    assert filter_args(filters) == expected


@pytest.mark.parametrize(
    "params, result, expected",
    [
        ({"name": ["web:1", "db"]}, {}, ["docker image inspect web:1 db"]),
        ({"name": None, "filters": {"reference": "dt-*"}, "all": True}, {"images": []}, ["docker image ls --all --filter 'reference=dt-*' --no-trunc"]),
        ({"name": [], "filters": None}, {"images": [{"Id": "sha256:1"}, {"Id": "sha256:2"}]},
         ["docker image ls --no-trunc", "docker image inspect sha256:1 sha256:2"]),
    ],
)
def test_image_info_actions(params: dict, result: dict, expected: list[str]) -> None:
    assert image_info_actions(params, result) == expected


def test_network_info_actions() -> None:
    assert network_info_actions({"name": "my-network"}, {}) == ["docker network inspect my-network"]
    listed = {"networks": [{"Id": "n1"}]}
    assert network_info_actions({"filters": {"driver": "bridge"}, "containers": True}, listed) == [
        "docker network ls --filter driver=bridge --no-trunc",
        "docker network inspect n1",
    ]
    assert network_info_actions({"filters": None, "containers": False}, listed) == ["docker network ls --no-trunc"]


def test_volume_info_actions() -> None:
    assert volume_info_actions({"name": "db-data"}, {}) == ["docker volume inspect db-data", "docker ps --all --filter volume=db-data"]
    assert volume_info_actions({"filters": {"dangling": True}}, {}) == ["docker volume ls --filter dangling=true", "docker ps --all --no-trunc"]


def test_host_info_actions() -> None:
    assert host_info_actions({}) == ["docker version", "docker info"]
    params = {"containers": True, "containers_all": True, "images": True, "networks": True, "volumes": True, "disk_usage": True,
              "filters": {"label": "x=y"}}
    assert host_info_actions(params) == [
        "docker version",
        "docker info",
        "docker ps --all --filter label=x=y --no-trunc",
        "docker image ls --filter label=x=y --no-trunc",
        "docker network ls --filter label=x=y --no-trunc",
        "docker volume ls --filter label=x=y",
        "docker system df --verbose",
    ]


def test_swarm_info_actions() -> None:
    assert swarm_info_actions({}, {"is_manager": False}) == ["docker info --format '{{json .Swarm}}'"]
    params = {"join_tokens": True, "nodes": True, "nodes_filters": {"role": "manager"}, "services": True, "tasks": True,
              "tasks_filters": {"desired-state": "running"}}
    assert swarm_info_actions(params, {"is_manager": True}) == [
        "docker info --format '{{json .Swarm}}'",
        "docker swarm join-token -q worker",
        "docker swarm join-token -q manager",
        "docker node ls --filter role=manager",
        "docker service ls",
        "docker service ps --no-trunc --filter desired-state=running $(docker service ls -q)",
    ]


def test_registry_info_actions_never_show_the_password() -> None:
    assert registry_info_actions({"url": "http://localhost:5001/"}, {}) == ["curl --silent http://localhost:5001/v2/_catalog"]
    params = {"url": "https://reg:5000", "repository": "team/app", "tag": "1.0", "username": "bob", "password": "s3cret-value",
              "validate_certs": True, "ca_path": "/etc/ca.pem", "page_size": 10}
    actions = registry_info_actions(params, {"url": "https://reg:5000"})
    assert actions[0] == "curl --silent --user bob --cacert /etc/ca.pem 'https://reg:5000/v2/team/app/tags/list?n=10'"
    assert actions[1].startswith("curl --silent --head --user bob --cacert /etc/ca.pem --header 'Accept: ")
    assert actions[1].endswith(" https://reg:5000/v2/team/app/manifests/1.0")
    assert not any("s3cret" in a for a in actions)
    assert registry_info_actions({"url": "https://r", "validate_certs": False}, {})[0] == "curl --silent --insecure https://r/v2/_catalog"
