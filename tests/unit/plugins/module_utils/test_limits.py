# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the input bounds (_limits)."""

from __future__ import annotations

import os

import pytest

from ansible_collections.devops.docker.plugins.module_utils import _limits as lim
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


# ---------------------------------------------------------------- integers

@pytest.mark.parametrize("value, expected", [(0, 0), (10, 10), ("15", 15), (2**31 - 1, 2**31 - 1), (-1, -1), (None, None), (3.0, 3)])
def test_stop_timeout_accepted(value, expected):
    assert lim.check_int(value, "stop_timeout", -1, lim.INT32_MAX) == expected


@pytest.mark.parametrize("value, match", [
    (99999999999999, "stop_timeout: 99999999999999 is out of range; the Engine accepts at least -1 and at most 2147483647"),
    (2**31, "out of range"),
    (-2, "at least -1"),
    # (the container module's table: stop_timeout 0..int32, a negative one says so)
    (True, "boolean"),
    ("ten", "not a whole number"),
    (1.5, "not a whole number"),
    (float("inf"), "not a whole number"),
    (10**400, "out of range"),
])
def test_stop_timeout_refused(value, match):
    with pytest.raises(SpecError, match=match):
        lim.check_int(value, "stop_timeout", -1, lim.INT32_MAX)


def test_seconds_message_says_what_to_write():
    with pytest.raises(SpecError, match="Write a number of seconds"):
        lim.check_seconds(10**12, "wait_timeout")


def test_int64_and_durations():
    assert lim.check_int64(2**63 - 1, "memory") == 2**63 - 1
    with pytest.raises(SpecError, match="memory: .* out of range"):
        lim.check_int64(2**63, "memory")
    with pytest.raises(SpecError, match="nanoseconds"):
        lim.check_duration_ns(2**63, "healthcheck.interval")
    assert lim.check_duration_ns(0, "healthcheck.interval") == 0


@pytest.mark.parametrize("options, match", [
    ({"stop_timeout": 99999999999999}, "stop_timeout"),
    ({"memory": 2**64}, "memory"),
    ({"oom_score_adj": 1001}, "oom_score_adj"),
    ({"oom_score_adj": -1001}, "oom_score_adj"),
    ({"blkio_weight": 5000}, "blkio_weight"),
    ({"memory_swappiness": 101}, "memory_swappiness"),
    ({"pids_limit": -2}, "pids_limit"),
    ({"restart_retries": 2**40}, "restart_retries"),
])
def test_int_option_table(options, match):
    with pytest.raises(SpecError, match=match):
        lim.check_int_options(options)


def test_int_option_table_accepts_normal_values_and_skips_strings():
    lim.check_int_options({"stop_timeout": 10, "memory": 512 * 1024 * 1024, "memory_swap": -1, "oom_score_adj": -500,
                           "shm_size": "64m", "unknown": 10**30})


@pytest.mark.parametrize("value", [1.5, "0.5", 0, 64])
def test_cpus_ok(value):
    assert lim.check_cpus(value) == float(value)


@pytest.mark.parametrize("value", [-1, "nan", "inf", 1e12, True, "x"])
def test_cpus_refused(value):
    with pytest.raises(SpecError, match="cpus"):
        lim.check_cpus(value)


# ---------------------------------------------------------------- env

@pytest.mark.parametrize("env, match", [
    ({"A=B": "c"}, "name 'A=B' contains '='.*would set 'A'"),
    ({"": "x"}, "empty name"),
    ({"A\x00B": "x"}, "name contains a NUL"),
    ({"NUL": "a\x00b"}, r"env.NUL: the value contains a NUL"),
])
def test_env_refused(env, match):
    with pytest.raises(SpecError, match=match):
        lim.check_env(env)


def test_env_error_never_shows_the_value():
    with pytest.raises(SpecError) as caught:
        lim.check_env({"TOKEN": "s3cr3t\x00tail"}, "secret_env")
    assert "s3cr3t" not in str(caught.value)
    assert "secret_env.TOKEN" in str(caught.value)


def test_env_ok():
    lim.check_env({"A": "1", "B": "", "C": "x=y", "lower_case.dots-ok": "ü"})
    lim.check_env(None)


def test_env_list():
    lim.check_env_list(["A=1", "B=", "PASSTHROUGH"])
    with pytest.raises(SpecError, match="NUL"):
        lim.check_env_list(["A=1\x00"])


def test_no_nul_anywhere():
    lim.check_no_nul({"command": ["sh", "-c", "true"], "labels": {"a": "b"}}, "task")
    with pytest.raises(SpecError, match=r"command\[2\]: contains a NUL"):
        lim.check_no_nul(["sh", "-c", "echo\x00"], "command")
    with pytest.raises(SpecError, match=r"labels.a: contains a NUL"):
        lim.check_no_nul({"a": "x\x00"}, "labels")
    with pytest.raises(SpecError, match="key contains a NUL"):
        lim.check_no_nul({"a\x00": "x"}, "labels")


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("name", ["web", "dt-web_1.a", "/web", "a1", "0a"])
def test_container_name_ok(name):
    assert lim.check_container_name(name) == name


@pytest.mark.parametrize("name", ["a", "-web", ".web", "web\n", "we b", "web/x", "wéb", "", None, "_x", "web:1"])
def test_container_name_refused(name):
    with pytest.raises(SpecError, match="name"):
        lim.check_container_name(name)


def test_volume_names():
    assert lim.check_volume_name("data_1") == "data_1"
    with pytest.raises(SpecError, match="local driver"):
        lim.check_volume_name("my data")
    with pytest.raises(SpecError, match="local driver"):
        lim.check_volume_name("a")
    assert lim.check_volume_name("tenant/data", driver="someplugin") == "tenant/data"
    with pytest.raises(SpecError, match="control character"):
        lim.check_volume_name("x\ny", driver="someplugin")


@pytest.mark.parametrize("name", ["my-network", "a", "tenant/net", "net with inner space", "ünïcode"])
def test_network_name_ok(name):
    assert lim.check_network_name(name) == name


@pytest.mark.parametrize("name, match", [
    ("net\nwork", "control character"),
    ("net\x00", "control character"),
    ("net\t", "control character"),
    (" net", "white space"),
    ("net ", "white space"),
    ("container", "network mode"),
    ("container:web", "network mode"),
    ("", "required"),
])
def test_network_name_refused(name, match):
    with pytest.raises(SpecError, match=match):
        lim.check_network_name(name)


def test_swarm_network_name():
    assert lim.check_network_name("front_end-1", swarm_scope=True)
    with pytest.raises(SpecError, match="swarm network"):
        lim.check_network_name("a.b", swarm_scope=True)
    with pytest.raises(SpecError, match="swarm network"):
        lim.check_network_name("a" * 64, swarm_scope=True)


@pytest.mark.parametrize("name, ok", [
    ("db_password", True), ("db.password-v2", True), ("a", True), ("a" * 64, True),
    ("a" * 65, False), ("-a", False), ("a-", False), ("a b", False), ("a\n", False), ("a/b", False),
])
def test_secret_names(name, ok):
    if ok:
        assert lim.check_swarm_object_name(name) == name
    else:
        with pytest.raises(SpecError, match="not a valid secret name"):
            lim.check_swarm_object_name(name)


@pytest.mark.parametrize("name, ok", [
    ("web", True), ("web_1-a", True), ("a" * 63, True), ("a" * 64, False), ("web.1", False), ("-web", False), ("web-", False),
])
def test_service_names(name, ok):
    if ok:
        assert lim.check_service_name(name) == name
    else:
        with pytest.raises(SpecError, match="not a valid service name"):
            lim.check_service_name(name)


def test_hostname():
    assert lim.check_hostname("web-1.example") == "web-1.example"
    assert lim.check_hostname(None) is None
    for bad in ("a" * 65, "web\n", "we b"):
        with pytest.raises(SpecError, match="hostname"):
            lim.check_hostname(bad)


# ---------------------------------------------------------------- ports

def test_port_range_limit():
    lim.check_port_range(8000, 8999, "8000-8999:8000-8999")
    with pytest.raises(SpecError, match="publishes 65535 ports; at most 1000 .* set max_port_range to 65535"):
        lim.check_port_range(1, 65535, "1-65535:1-65535")
    lim.check_port_range(1, 65535, "1-65535:1-65535", limit=65535)
    lim.check_port_range(1, 65535, "1-65535:1-65535", limit=None)
    with pytest.raises(SpecError, match="publishes 1001"):
        lim.check_port_count([0] * 1001, "x")


@pytest.mark.parametrize("spec, count", [
    ("80", 1), (80, 1), ("8080:80", 1), ("127.0.0.1:8000-8009:8000-8009", 10), ("1-65535:1-65535", 65535),
    ("[::1]:9000-9001:9000-9001/udp", 2), ("8000-9000:80", 1), ("1000-2999/tcp", 2000), ("garbage", 1),
])
def test_port_spec_count(spec, count):
    assert lim.port_spec_count(spec) == count


def test_check_ports():
    lim.check_ports(["80", "127.0.0.1:8000-8999:8000-8999", {"target": 80, "published": "8080"}])
    with pytest.raises(SpecError, match=r"ports: '1-65535:1-65535' publishes 65535 ports"):
        lim.check_ports(["80", "1-65535:1-65535"])
    with pytest.raises(SpecError, match="services.web.ports.*publishes 2000"):
        lim.check_ports([{"target": "1000-2999"}], "services.web.ports")
    lim.check_ports(["1-65535:1-65535"], limit=65535)


# ---------------------------------------------------------------- paths

def test_relative_bind_warning(tmp_path):
    base = str(tmp_path / "project")
    assert lim.relative_bind_warning("./data", base) is None
    assert lim.relative_bind_warning("data/../other", base) is None
    assert lim.relative_bind_warning("/abs/../x", base) is None
    warning = lim.relative_bind_warning("../../etc", base)
    resolved = os.path.normpath(os.path.join(base, "../../etc"))
    assert warning is not None and resolved in warning and "climbs out of" in warning and base in warning
    assert lim.relative_bind_warning("./../sibling", base, "services.web.volumes") .startswith("services.web.volumes")


# ---------------------------------------------------------------- hooked into the Compose loader

def test_compose_loader_refuses_a_huge_port_range_fast(tmp_path):
    import time

    from ansible_collections.devops.docker.plugins.module_utils._compose import _project as cl

    start = time.monotonic()
    with pytest.raises(cl.ComposeError, match=r"services.web.ports\[0\]: '1-65535:1-65535' publishes 65535 ports"):
        cl.load_project(definition={"services": {"web": {"image": "x", "ports": ["1-65535:1-65535"]}}},
                        project_src=str(tmp_path), os_env={})
    assert time.monotonic() - start < 1


def test_compose_loader_warns_about_binds_climbing_out(tmp_path):
    from ansible_collections.devops.docker.plugins.module_utils._compose import _project as cl

    project = cl.load_project(definition={"services": {"web": {"image": "x", "volumes": [
        "./data:/data", "../../etc:/host-etc:ro", {"type": "bind", "source": "../sibling", "target": "/s"}]}}},
        project_src=str(tmp_path / "proj"), os_env={})
    assert len(project.warnings) == 2
    assert "services.web.volumes[1]" in project.warnings[0]
    assert os.path.normpath(str(tmp_path / "proj" / "../../etc")) in project.warnings[0]
    assert "services.web.volumes[2]" in project.warnings[1]


def test_negative_where_zero_is_the_minimum_says_negative():
    with pytest.raises(SpecError, match="stop_timeout: -5 is out of range.*must not be negative"):
        lim.check_int_options({"stop_timeout": -5})
