# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_ARGS,
    LABEL_HASH,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
    spec_defaults,
)
from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired


def compose_params(**params):
    full = spec_defaults(COMPOSE_ARGS)
    full.update(params)
    return full


def _manager(definition, **params):
    return ComposeManager(None, compose_params(definition=definition, project_name="dt-unit", **params), False)


def test_service_becomes_container_options(tmp_path):
    manager = _manager(
        {
            "services": {
                "web": {
                    "image": "devops-test/busybox:latest",
                    "command": "httpd -f",
                    "environment": {"A": "1", "DB_PASSWORD": "s3cret"},
                    "ports": ["127.0.0.1:15500:80"],
                    "volumes": ["data:/data:ro", "./conf:/conf", {"type": "tmpfs", "target": "/cache", "tmpfs": {"size": "1m"}}],
                    "networks": {"front": {"aliases": ["www"]}},
                    "restart": "unless-stopped",
                    "labels": {"team": "a"},
                    "extra_hosts": ["db.local:10.0.0.1"],
                    "stop_grace_period": "3s",
                    "deploy": {"resources": {"limits": {"memory": "64m", "cpus": "0.5"}}},
                }
            },
            "networks": {"front": {}},
            "volumes": {"data": {"name": "custom-data"}},
        },
        project_src=str(tmp_path),
    )
    params = manager.container_params("web", 2, manager.image_ref("web"), "f" * 64)
    assert params["name"] == "dt-unit-web-2"
    assert params["image"] == "devops-test/busybox:latest"
    assert params["command"] == ["httpd", "-f"]
    assert params["env"] == {"A": "1"}
    assert params["secret_env"] == {"DB_PASSWORD": "s3cret"}
    assert [b.cli() for b in params["ports"]] == ["127.0.0.1:15500:80"]
    assert params["volumes"] == ["custom-data:/data:ro", f"{tmp_path}/conf:/conf"]
    assert params["tmpfs"] == ["/cache:size=1048576"]
    assert params["networks"] == [{"name": "dt-unit_front", "aliases": ["web", "www"]}]
    assert params["restart_policy"] == "unless-stopped"
    assert params["extra_hosts"] == ["db.local:10.0.0.1"]
    assert params["stop_timeout"] == 3
    assert params["memory"] == 64 * 1024**2 and params["cpus"] == 0.5
    labels = params["labels"]
    assert labels["team"] == "a"
    assert labels[LABEL_PROJECT] == "dt-unit"
    assert labels[LABEL_SERVICE] == "web"
    assert labels[LABEL_NUMBER] == "2"
    assert labels[LABEL_ONEOFF] == "False"
    assert labels[LABEL_HASH] == "f" * 64
    # The container module accepts the translation as it is.
    Desired(params)


def test_build_service_image_name_and_container_name():
    manager = _manager({"services": {"api": {"build": ".", "container_name": "my-api"}}})
    assert manager.image_ref("api") == "dt-unit-api"
    assert manager.container_name("api", 1) == "my-api"


@pytest.mark.parametrize(
    "changes, same",
    [
        ({}, True),
        ({"environment": {"A": "2"}}, False),
        ({"command": "sleep 2"}, False),
        ({"scale": 3}, True),
    ],
)
def test_config_hash_follows_config(changes, same):
    base = {"image": "devops-test/busybox:latest", "command": "sleep 1", "environment": {"A": "1"}}
    one = _manager({"services": {"s": base}})._service_hash("s")
    two = _manager({"services": {"s": {**base, **changes}}})._service_hash("s")
    assert (one == two) is same


def test_services_limit_adds_dependencies():
    manager = _manager(
        {"services": {"db": {"image": "x"}, "app": {"image": "x", "depends_on": ["db"]}, "other": {"image": "x"}}},
        services=["app"],
    )
    assert manager.selected == ["db", "app"]


@pytest.mark.parametrize(
    "definition, params, fragment",
    [
        ({"services": {"web": {"image": "x"}}}, {"services": ["nope"]}, "'nope' is not a service"),
        ({"services": {"web": {"image": "x", "secrets": ["a"]}}}, {}, "services.web.secrets: 'a' is not declared"),
    ],
)
def test_errors_before_any_request(definition, params, fragment):
    with pytest.raises(DockerError) as exc:
        _manager(definition, **params)
    assert fragment in exc.value.msg
    assert "Nothing was changed" in exc.value.msg


def test_project_source_required():
    with pytest.raises(DockerError, match="project_src"):
        ComposeManager(None, compose_params(), False)


def test_expose_becomes_exposed_ports():
    manager = _manager({"services": {"web": {"image": "x", "expose": ["80", "9000-9001/udp"]}}})
    params = manager.container_params("web", 1, "x", "0" * 64)
    assert params["exposed_ports"] == ["80/tcp", "9000/udp", "9001/udp"]


def test_link_local_ips_and_weight_device_reach_the_create_request(tmp_path):
    from ansible_collections.devops.docker.plugins.module_utils._container._table import Context, create_request

    manager = _manager(
        {
            "services": {"web": {
                "image": "devops-test/busybox:latest",
                "networks": {"back": {"ipv4_address": "10.229.90.10", "link_local_ips": ["169.254.10.5"]}},
                "blkio_config": {"weight_device": [{"path": "/dev/sda", "weight": 400}]},
            }},
            "networks": {"back": {"ipam": {"config": [{"subnet": "10.229.90.0/24"}]}}},
        },
        project_src=str(tmp_path),
    )
    params = manager.container_params("web", 1, manager.image_ref("web"), "f" * 64)
    assert params["networks"] == [{"name": "dt-unit_back", "aliases": ["web"], "ipv4_address": "10.229.90.10",
                                   "link_local_ips": ["169.254.10.5"]}]
    body = create_request(Context(Desired(params), {"Id": "sha256:x", "Config": {}}))
    ipam = body["NetworkingConfig"]["EndpointsConfig"]["dt-unit_back"]["IPAMConfig"]
    assert ipam == {"IPv4Address": "10.229.90.10", "LinkLocalIPs": ["169.254.10.5"]}
    assert body["HostConfig"]["BlkioWeightDevice"] == [{"Path": "/dev/sda", "Weight": 400}]


@pytest.mark.parametrize("check_mode", [False, True])
def test_build_tags_point_at_the_built_image(tmp_path, check_mode):
    from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

    api = FakeDaemon(images={"shop/app:latest": {"Id": "sha256:old"}, "shop/app:stable": {"Id": "sha256:new"}})
    definition = {"services": {"app": {"image": "shop/app:1", "build": {
        "context": ".", "tags": ["shop/app:latest", "shop/app:stable", "localhost:5001/shop/app"]}}}}
    manager = ComposeManager(api, compose_params(definition=definition, project_name="dt-unit", project_src=str(tmp_path)), check_mode)
    manager.image_ids["app"] = "sha256:new"
    manager._tag_built("app", "shop/app:1")
    # shop/app:stable is the built image already; the two others are tagged (docker image tag)
    assert manager.tracker.actions == ["docker image tag shop/app:1 shop/app:latest",
                                       "docker image tag shop/app:1 localhost:5001/shop/app"]
    assert manager.tracker.changed
    tags = [q[2] for q in api.queries if q[0] == "POST"]
    assert tags == ([] if check_mode else [{"repo": "shop/app", "tag": "latest"}, {"repo": "localhost:5001/shop/app", "tag": "latest"}])
    manager.tracker.actions.clear()
    api.images.update({"shop/app:latest": {"Id": "sha256:new"}, "localhost:5001/shop/app": {"Id": "sha256:new"}})
    before = len(manager.tracker.actions)
    manager._tag_built("app", "shop/app:1")
    assert len(manager.tracker.actions) == before  # a second run: nothing to tag
