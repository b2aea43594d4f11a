# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container task (module and Compose service) is bounded before any request (_limits in Desired)."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


# ---------------------------------------------------------------- hooked into the container task (Desired)

def _container(**params):
    from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
    from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults

    return Desired({**container_defaults(), "name": "web", "image": "busybox", **params})


@pytest.mark.parametrize("params, match", [
    ({"env": {"NUL": "a\x00b"}}, r"env.NUL: the value contains a NUL"),
    ({"env": {"A=B": "c"}}, "contains '='"),
    ({"secret_env": {"TOKEN": "s3cr\x00t"}}, r"secret_env.TOKEN"),
    ({"stop_timeout": 99999999999999}, "stop_timeout: 99999999999999 is out of range"),
    ({"ports": ["1-65535:1-65535"]}, "publishes 65535 ports"),
    ({"name": "web\nx"}, "not a valid container name"),
    ({"name": "-web"}, "not a valid container name"),
    ({"hostname": "h" * 65}, "hostname"),
    ({"labels": {"a": "b\x00"}}, r"labels.a: contains a NUL"),
    ({"command": ["sh", "-c", "x\x00"]}, r"command\[2\]: contains a NUL"),
    ({"memory": "99999999999999g"}, "memory"),
    ({"cpus": 1e12}, "cpus"),
    ({"restart_policy": "on-failure", "restart_retries": 2**40}, "restart_retries"),
    ({"healthcheck": {"test": ["CMD", "true"], "interval": "999999999999h"}}, "healthcheck.interval"),
])
def test_container_task_refused_before_any_request(params, match):
    with pytest.raises(SpecError, match=match) as caught:
        _container(**params)
    assert "s3cr" not in str(caught.value)


def test_container_max_port_range_raises_the_limit():
    assert len(_container(ports=["1-2000:1-2000"], max_port_range=2000).parsed["ports"]) == 2000
    with pytest.raises(SpecError, match="max_port_range"):
        _container(ports=["1-2000:1-2000"])


# ---------------------------------------------------------------- volume and network names

@pytest.mark.parametrize("name, driver, ok", [
    ("data", None, True), ("data_1.x-y", "local", True), ("my data", None, False), ("d\nx", None, False),
    ("a", None, False), ("tenant/data", "some-plugin", True), ("x\ny", "some-plugin", False),
])
def test_volume_manager_checks_the_name_before_any_request(name, driver, ok):
    from ansible_collections.devops.docker.plugins.module_utils._volume import VolumeManager

    params = {"name": name, "state": "present", "recreate": "never", "driver": driver, "driver_options": None, "labels": None}
    if ok:
        VolumeManager(object(), params, check_mode=True)
    else:
        with pytest.raises(SpecError, match="name"):
            VolumeManager(object(), params, check_mode=True)


# ---------------------------------------------------------------- Swarm services

@pytest.mark.parametrize("params, match", [
    ({"env": {"NUL": "a\x00b"}}, r"env.NUL: the value contains a NUL"),
    ({"env": {"A=B": "c"}}, "contains '='"),
    ({"secret_env": {"TOKEN": "s3cr\x00t"}}, r"secret_env.TOKEN"),
    ({"stop_grace_period": "99999999999999s"}, "stop_grace_period"),
    ({"ports": ["1-65535:1-65535"]}, "publishes 65535 ports"),
    ({"name": "web\nx"}, "not a valid service name"),
    ({"name": "web.1"}, "not a valid service name"),
    ({"hostname": "h" * 65}, "hostname"),
    ({"replicas": 99999999999999999999}, "replicas"),
    ({"command": ["sleep", "3\x00"]}, r"command\[1\]: contains a NUL"),
])
def test_service_task_refused_before_any_request(params, match):
    from ansible_collections.devops.docker.plugins.module_utils._swarm._service import DesiredService

    with pytest.raises(SpecError, match=match) as caught:
        DesiredService({"name": "web", "image": "busybox", **params})
    assert "s3cr" not in str(caught.value)


@pytest.mark.parametrize("name, driver, ok", [
    ("my-network", None, True), ("tenant/net", None, True), ("front_end-1", "overlay", True),
    ("net\nwork", None, False), (" net", None, False), ("container:web", None, False), ("a.b", "overlay", False),
])
def test_network_manager_checks_the_name_before_any_request(name, driver, ok):
    from ansible_collections.devops.docker.plugins.module_utils._network._manager import NetworkManager
    from ansible_collections.devops.docker.tests.unit.conftest import FakeModule, manager_for

    params = {"name": name, "state": "present", "force": False, "exclusive": False, "recreate": "never",
              "driver": driver, "labels": None, "options": None, "connected": None}
    if ok:
        manager_for(NetworkManager, FakeModule(object(), params, check_mode=True))
    else:
        with pytest.raises(SpecError, match="name"):
            manager_for(NetworkManager, FakeModule(object(), params, check_mode=True))
    # absent still works for a name the daemon holds (created elsewhere), e.g. to clean it up
    manager_for(NetworkManager, FakeModule(object(), {**params, "state": "absent"}, check_mode=True))


def test_container_relative_bind_climbing_out_warns(tmp_path, monkeypatch):
    from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
    from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults

    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    warnings: list[str] = []
    params = {**container_defaults(), "name": "web", "image": "busybox",
              "volumes": ["./data:/data", "../outside:/outside", "named:/named"]}
    ContainerManager(object(), params, True, warn=warnings.append)
    assert len(warnings) == 1
    assert str(tmp_path / "outside") in warnings[0] and "climbs out of" in warnings[0]
