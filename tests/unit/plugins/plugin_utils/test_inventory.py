# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The containers inventory plugin's pure helpers: filters, names, host variables, default groups."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.devops.docker.plugins.plugin_utils._inventory import (
    api_filters,
    container_name,
    default_groups,
    host_vars,
    hostname,
    name_selected,
    safe_group_name,
)

ENTRY = {
    "Id": "7e044909e4258166566b73296534ab0de41a136e3ccf39e8e347b292ec324af0",
    "Names": ["/dt-web-1"],
    "Image": "localhost:5001/shop/web:1.2",
    "ImageID": "sha256:9d78ce48826a5f054646a734ffd375c01df845009732020278576bf4760d7e1d",
    "Command": "httpd -f -p 80",
    "Created": 1795905847,
    "Ports": [
        {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 15601, "Type": "tcp"},
        {"PrivatePort": 53, "Type": "udp"},
    ],
    "Labels": {
        "com.docker.compose.project": "shop",
        "com.docker.compose.service": "web",
        "tier": "front end",
    },
    "State": "running",
    "Status": "Up 3 minutes (healthy)",
    "HostConfig": {"NetworkMode": "shop_default"},
    "NetworkSettings": {
        "Networks": {
            "shop_default": {"IPAddress": "172.20.0.2", "IPPrefixLen": 16, "Gateway": "172.20.0.1",
                             "GlobalIPv6Address": "", "MacAddress": "02:42:ac:14:00:02", "NetworkID": "abc"},
            "my-network": {"IPAddress": "172.21.0.5", "IPPrefixLen": 16, "Gateway": "172.21.0.1",
                           "GlobalIPv6Address": "", "MacAddress": "02:42:ac:15:00:05", "NetworkID": "def"},
        }
    },
    "Mounts": [{"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
                "Destination": "/data", "RW": True}],
}
DAEMON = {"name": "default", "docker_host": "unix:///var/run/docker.sock", "tls": False,
          "validate_certs": False, "ca_path": None, "client_cert": None, "client_key": None,
          "api_version": "auto", "timeout": 60}


@pytest.mark.parametrize(
    "running_only, labels, filters, expected",
    [
        (True, [], {}, {"status": ["running"]}),
        (False, [], {}, {}),
        (True, ["a=b", "c"], {}, {"label": ["a=b", "c"], "status": ["running"]}),
        (False, ["a=b"], {"label": "x=y", "network": ["n1", "n2"]},
         {"label": ["x=y", "a=b"], "network": ["n1", "n2"]}),
    ],
)
def test_api_filters(running_only, labels, filters, expected):
    assert api_filters(running_only, labels, filters) == expected


@pytest.mark.parametrize(
    "name, include, exclude, expected",
    [
        ("web-1", [], [], True),
        ("web-1", ["web-*"], [], True),
        ("db-1", ["web-*"], [], False),
        ("db-1", ["web-*", "db-?"], [], True),
        ("web-1", [], ["*-1"], False),
        ("web-1", ["web-*"], ["web-1"], False),
        ("Web-1", ["web-*"], [], False),
    ],
)
def test_name_selected(name, include, exclude, expected):
    assert name_selected(name, include, exclude) is expected


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("docker_image_devops-test/busybox:latest", "docker_image_devops_test_busybox_latest"),
        ("compose_project_shop", "compose_project_shop"),
        ("1abc", "_1abc"),
        ("a.b c", "a_b_c"),
    ],
)
def test_safe_group_name(raw, safe):
    assert safe_group_name(raw) == safe


@pytest.mark.parametrize(
    "names, expected",
    [
        (["/web"], "web"),
        (["/other/alias", "/web"], "web"),
        ([], "7e044909e425"),
    ],
)
def test_container_name(names, expected):
    entry = dict(ENTRY, Names=names)
    assert container_name(entry) == expected


def test_host_vars():
    hv = host_vars(ENTRY, DAEMON)
    assert hv["docker_id"] == ENTRY["Id"]
    assert hv["docker_short_id"] == "7e044909e425"
    assert hv["docker_name"] == "dt-web-1"
    assert hv["docker_image"] == "localhost:5001/shop/web:1.2"
    assert hv["docker_state"] == "running"
    assert hv["docker_health"] == "healthy"
    assert list(hv["docker_networks"]) == ["my-network", "shop_default"]
    assert hv["docker_ip_addresses"] == ["172.21.0.5", "172.20.0.2"]
    assert hv["docker_networks"]["my-network"]["ipv6_address"] is None
    assert hv["docker_ports"] == [
        {"container_port": 53, "protocol": "udp", "host_ip": None, "host_port": None},
        {"container_port": 80, "protocol": "tcp", "host_ip": "127.0.0.1", "host_port": 15601},
    ]
    assert hv["docker_mounts"] == [{"type": "volume", "source": "/var/lib/docker/volumes/data/_data",
                                    "name": "data", "destination": "/data", "rw": True}]
    assert hv["docker_compose_project"] == "shop"
    assert hv["docker_compose_service"] == "web"
    assert hv["ansible_connection"] == "devops.docker.docker"
    assert hv["ansible_host"] == "dt-web-1"
    assert hv["ansible_docker_docker_host"] == "unix:///var/run/docker.sock"
    assert hv["ansible_docker_tls"] is False
    assert "ansible_docker_api_version" not in hv  # auto: left to the connection's default
    assert "ansible_docker_ca_path" not in hv


def test_host_vars_without_connection_vars():
    hv = host_vars(ENTRY, DAEMON, connection_vars=False)
    assert not [key for key in hv if key.startswith("ansible_")]


@pytest.mark.parametrize(
    "status, health",
    [("Up 3 minutes (healthy)", "healthy"), ("Up 1 second (health: starting)", "starting"),
     ("Up 2 hours (unhealthy)", "unhealthy"), ("Exited (0) 2 minutes ago", None)],
)
def test_health(status, health):
    assert host_vars(dict(ENTRY, Status=status), DAEMON)["docker_health"] == health


def test_host_vars_does_not_change_its_input():
    before = copy.deepcopy(ENTRY)
    host_vars(ENTRY, DAEMON)
    assert ENTRY == before


@pytest.mark.parametrize(
    "labels, group_by, expected_extra",
    [
        (None, [], []),
        (None, ["tier"], ["docker_label_tier_front_end"]),
        (None, ["missing"], []),
        ({"flag": ""}, ["flag"], ["docker_label_flag"]),
    ],
)
def test_default_groups(labels, group_by, expected_extra):
    entry = dict(ENTRY, Labels=labels) if labels is not None else ENTRY
    groups = default_groups(host_vars(entry, DAEMON), group_by)
    base = ["docker_daemon_default", "docker_state_running", "docker_image_localhost_5001_shop_web_1_2",
            "docker_network_my_network", "docker_network_shop_default"]
    if labels is None:
        base += ["compose_project_shop", "compose_service_shop_web"]
    assert groups == base + expected_extra


@pytest.mark.parametrize(
    "style, prefix, expected",
    [("name", "", "dt-web-1"), ("id", "", ENTRY["Id"]), ("short_id", "node2-", "node2-7e044909e425")],
)
def test_hostname(style, prefix, expected):
    assert hostname(host_vars(ENTRY, DAEMON), style, prefix) == expected


def test_image_id_when_the_tag_moved():
    """docker ps shows the image ID when the tag now names another image: kept as is."""
    entry = dict(ENTRY, Image="sha256:62281d7df3cf02d838a2f22c66aad81435dc8da78b3f433a9fd488615bad2d70")
    hv = host_vars(entry, DAEMON)
    assert hv["docker_image"].startswith("sha256:")
    assert "docker_image_sha256_62281d7df3cf02d838a2f22c66aad81435dc8da78b3f433a9fd488615bad2d70" in default_groups(hv)
