# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._diff import REDACTED
from ansible_collections.devops.docker.plugins.module_utils._swarm._service import (
    DesiredService,
    build_create_spec,
    create_cli,
    field_differences,
    norm_image,
    parse_network_refs,
    plan_labels,
    service_env_differences,
)
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import mount_from_volume as parse_service_mount
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_service_port
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    SECRET_ENV_HASH_LABEL as SECRET_HASH_LABEL,
    SECRET_ENV_KEYS_LABEL as SECRET_KEYS_LABEL,
    secret_hash,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


def desired(**params):
    params.setdefault("name", "web")
    return DesiredService(params)


@pytest.mark.parametrize("value, expected", [
    ("8080:80", [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}]),
    ("53:53/udp", [{"Protocol": "udp", "TargetPort": 53, "PublishedPort": 53, "PublishMode": "ingress"}]),
    ("80", [{"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress"}]),
    (80, [{"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress"}]),
    ("8000-8001:80-81", [
        {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8000, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8001, "PublishMode": "ingress"},
    ]),
    ({"published": 8080, "target": 80, "mode": "host"},
     [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "host"}]),
])
def test_parse_service_port(value, expected):
    assert parse_service_port(value) == expected


@pytest.mark.parametrize("value, match", [
    ("127.0.0.1:8080:80", "no host IP"),
    ("8080:80/icmp", "protocol"),
    ("99999:80", "out of range"),
    ({"target": 80, "mode": "bridge"}, "ingress"),
    ({"target": 80, "host_ip": "1.2.3.4"}, "unknown key"),
    ("8000-8002:80-81", "different lengths"),
    (True, "not a port"),
])
def test_parse_service_port_errors(value, match):
    with pytest.raises(SpecError, match=match):
        parse_service_port(value, "ports")


def test_parse_service_mount():
    assert parse_service_mount("data:/data:ro") == {"Type": "volume", "Source": "data", "Target": "/data", "ReadOnly": True}
    assert parse_service_mount("/srv:/srv") == {"Type": "bind", "Source": "/srv", "Target": "/srv"}
    assert parse_service_mount({"type": "tmpfs", "target": "/tmp"}) == {"Type": "tmpfs", "Target": "/tmp"}


def test_replicas_on_a_global_service_is_an_error():
    with pytest.raises(SpecError, match="global"):
        desired(mode="global", replicas=2, image="busybox")


@pytest.mark.parametrize("params, match", [
    ({"image": "my app:1"}, "image"),
    ({"env": {"A": "1"}, "secret_env": {"A": "2"}}, "secret_env"),
    ({"labels": {SECRET_HASH_LABEL: "x"}}, "reserved"),
    ({"restart_policy": {"condition": "always"}}, "restart_policy.condition"),
    ({"update_config": {"order": "random"}}, "update_config.order"),
    ({"update_config": {"failure_action": "explode"}}, "update_config.failure_action"),
    ({"update_config": {"max_failure_ratio": 2}}, "max_failure_ratio"),
    ({"placement": {"constraints": ["node.role"]}}, "placement.constraints"),
    ({"resources": {"limits": {"cpus": 0}}}, "resources.limits.cpus"),
    ({"resources": {"limits": {"gpus": 1}}}, "unknown key"),
    ({"mounts": ["a:/x", "b:/x"]}, "mounted twice"),
    ({"ports": ["8080:80", "8080:81"]}, "published twice"),
    ({"replicas": -1}, "replicas"),
    ({"endpoint_mode": "dnsrr", "ports": ["8080:80"]}, "mode: host"),
])
def test_bad_options(params, match):
    with pytest.raises(SpecError, match=match):
        desired(**params)


SPEC = {
    "Name": "web",
    "Labels": {"app": "web"},
    "Mode": {"Replicated": {"Replicas": 3}},
    "TaskTemplate": {
        "ContainerSpec": {
            "Image": "busybox:latest@sha256:" + "a" * 64,
            "Args": ["httpd", "-f"],
            "Env": ["A=1"],
            "Mounts": [{"Type": "volume", "Source": "data", "Target": "/data", "ReadOnly": False}],
        },
        "Resources": {"Limits": {"MemoryBytes": 67108864}},
        "RestartPolicy": {"Condition": "any", "MaxAttempts": 0},
        "Placement": {"Constraints": ["node.role==worker", "node.labels.zone==a"]},
    },
    "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause", "Order": "stop-first"},
    "EndpointSpec": {"Mode": "vip", "Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}]},
}


@pytest.mark.parametrize("params, options", [
    ({}, []),
    ({"image": "busybox"}, []),  # the digest the CLI pinned and the implicit tag do not matter
    ({"image": "busybox:1.36"}, ["image"]),
    ({"command": "httpd -f"}, []),
    ({"command": ["httpd"]}, ["command"]),
    ({"mounts": ["data:/data"]}, []),
    ({"mounts": ["data:/data:ro"]}, ["mounts"]),
    ({"resources": {"limits": {"memory": "64m"}}}, []),
    ({"resources": {"limits": {"memory": "128m"}}}, ["resources.limits.memory"]),
    ({"restart_policy": {"condition": "any", "max_attempts": 0}}, []),
    ({"restart_policy": {"delay": "5s"}}, ["restart_policy.delay"]),
    ({"placement": {"constraints": ["node.labels.zone==a", "node.role==worker"]}}, []),  # order does not matter
    ({"placement": {"constraints": []}}, ["placement.constraints"]),
    ({"update_config": {"order": "stop-first", "failure_action": "pause"}}, []),
    ({"update_config": {"order": "start-first"}}, ["update_config.order"]),
    ({"ports": ["8080:80"]}, []),
    ({"ports": [{"published": 8080, "target": 80, "mode": "host"}]}, ["ports"]),
    ({"ports": []}, ["ports"]),
    ({"endpoint_mode": "vip"}, []),
    ({"endpoint_mode": "dnsrr", "ports": [{"published": 8080, "target": 80, "mode": "host"}]}, ["ports", "endpoint_mode"]),
])
def test_field_differences(params, options):
    assert [f.name for f, _b, _a in field_differences(SPEC, desired(**params).fields)] == options


def test_norm_image():
    assert norm_image("busybox") == norm_image("busybox:latest@sha256:" + "b" * 64)
    assert norm_image("sha256:" + "c" * 64) == norm_image("sha256:" + "c" * 64)
    assert norm_image(None) is None


def test_env_differences_keep_secrets_out_of_the_diff():
    secret = {"TOKEN": "s3cr3t"}
    labels = {SECRET_KEYS_LABEL: "TOKEN", SECRET_HASH_LABEL: secret_hash(secret)}
    env = ["A=1", "TOKEN=s3cr3t"]
    # same values: no difference
    assert service_env_differences(env, ["A=1", "TOKEN=s3cr3t"], labels, secret, True)[0] is False
    # a changed secret value is a difference, shown redacted
    differ, before, after = service_env_differences(env, ["A=1", "TOKEN=other"], labels, {"TOKEN": "other"}, True)
    assert differ and before == {"A": "1", "TOKEN": REDACTED} and after == {"A": "1", "TOKEN": REDACTED}
    assert "s3cr3t" not in repr((before, after)) and "other" not in repr((before, after))
    # env not given: plain variables are not compared
    assert service_env_differences(["A=1", "B=2", "TOKEN=s3cr3t"], ["TOKEN=s3cr3t"], labels, secret, False)[0] is False
    # secret_env not given: the secret ones are not compared
    assert service_env_differences(env, ["A=1"], labels, {}, True, secret_given=False)[0] is False
    # secret_env given empty: the old secret goes away
    assert service_env_differences(env, ["A=1"], labels, {}, True, secret_given=True)[0] is True


def test_plan_labels():
    current = {"app": "web", SECRET_KEYS_LABEL: "T", SECRET_HASH_LABEL: "h"}
    assert plan_labels(current, None, {}, secret_given=False) == current
    assert plan_labels(current, {"app": "api"}, {}, secret_given=False) == {"app": "api", SECRET_KEYS_LABEL: "T", SECRET_HASH_LABEL: "h"}
    assert plan_labels(current, None, {}, secret_given=True) == {"app": "web"}
    planned = plan_labels({}, {"app": "web"}, {"T": "v"})
    assert planned[SECRET_KEYS_LABEL] == "T" and planned[SECRET_HASH_LABEL] == secret_hash({"T": "v"})


def test_create_spec_and_cli():
    d = desired(image="busybox", command=["httpd", "-f"], replicas=2, env={"A": "1"}, secret_env={"T": "hidden"},
                ports=["8080:80"], labels={"app": "web"}, networks=["net"],
                restart_policy={"condition": "on-failure", "max_attempts": 3})
    nets = [{"Target": "netid"}]
    spec = build_create_spec(d, nets)
    assert spec["Name"] == "web"
    assert spec["Mode"] == {"Replicated": {"Replicas": 2}}
    assert spec["TaskTemplate"]["ContainerSpec"]["Env"] == ["A=1", "T=hidden"]
    assert spec["TaskTemplate"]["Networks"] == nets
    assert spec["TaskTemplate"]["RestartPolicy"] == {"Condition": "on-failure", "MaxAttempts": 3}
    assert spec["Labels"]["app"] == "web" and spec["Labels"][SECRET_KEYS_LABEL] == "T"
    cli = create_cli(d, nets)
    assert "hidden" not in " ".join(cli)
    assert cli[:5] == ["docker", "service", "create", "--name", "web"]
    assert cli[-3:] == ["busybox", "httpd", "-f"]
    assert "--env" in cli and "T" in cli
    assert build_create_spec(desired(image="busybox", mode="global"), None)["Mode"] == {"Global": {}}
    rr = desired(image="busybox", endpoint_mode="dnsrr")
    assert build_create_spec(rr, None)["EndpointSpec"] == {"Mode": "dnsrr"}
    assert "--endpoint-mode" in create_cli(rr, None)
    assert build_create_spec(desired(image="busybox"), None)["Mode"] == {"Replicated": {"Replicas": 1}}


def test_parse_network_refs():
    assert parse_network_refs(["a", {"name": "b", "aliases": ["x"]}]) == [
        {"name": "a", "aliases": [], "options": {}}, {"name": "b", "aliases": ["x"], "options": {}},
    ]
    assert parse_network_refs(None) is None
    with pytest.raises(SpecError):
        parse_network_refs([{"aliases": ["x"]}])


def test_network_driver_options():
    # community.docker's "Set networks as a dictionary": name, aliases and the attachment's driver options.
    from ansible_collections.devops.docker.plugins.module_utils._swarm._service import norm_networks
    from ansible_collections.devops.docker.plugins.module_utils._swarm._service_networks import resolve_networks
    from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

    refs = parse_network_refs([{"name": "net", "aliases": ["a"], "options": {"foo": "bar", "on": True}}])
    assert refs == [{"name": "net", "aliases": ["a"], "options": {"foo": "bar", "on": "true"}}]
    api = FakeDaemon(networks=[{"Name": "net", "Id": "nid", "Driver": "overlay", "Scope": "swarm"}])
    wanted = resolve_networks(api, refs, "svc")
    assert wanted == [{"Target": "nid", "Aliases": ["a"], "DriverOpts": {"foo": "bar", "on": "true"}}]
    assert norm_networks(wanted) != norm_networks([{"Target": "nid", "Aliases": ["a"]}])
    assert norm_networks(wanted) == norm_networks([{"Target": "nid", "Aliases": ["a"], "DriverOpts": {"on": "true", "foo": "bar"}}])


def test_network_not_yet_allocated_is_asked_again():
    # Right after a stack creates its overlay network, the manager can show it without a Driver until the swarm
    # allocator has processed it: asked again rather than refused as "not an overlay network".
    from ansible_collections.devops.docker.plugins.module_utils._swarm._service_networks import inspect_swarm_network

    class Api:
        def __init__(self, answers):
            self.answers = list(answers)
            self.calls = 0

        def inspect_network(self, _name):
            self.calls += 1
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    pending = {"Name": "net", "Id": "nid", "Driver": "", "Scope": "swarm"}
    ready = dict(pending, Driver="overlay")
    api = Api([pending, pending, ready])
    assert inspect_swarm_network(api, "net", sleep=lambda _s: None) == ready
    assert api.calls == 3
    # a local network is not waited for, and the waiting has an end
    local = {"Name": "b", "Id": "bid", "Driver": "bridge", "Scope": "local"}
    api = Api([local])
    assert inspect_swarm_network(api, "b", sleep=lambda _s: None) == local and api.calls == 1
    api = Api([pending])
    assert inspect_swarm_network(api, "net", tries=4, sleep=lambda _s: None) == pending and api.calls == 4
    api = Api([None])
    assert inspect_swarm_network(api, "net", sleep=lambda _s: None) is None and api.calls == 1


def test_task_matches_template():
    from ansible_collections.devops.docker.plugins.module_utils._swarm._service import task_matches_template

    template = {"ContainerSpec": {"Image": "b:2", "Args": ["x"]}, "ForceUpdate": 1, "Placement": {}}
    assert task_matches_template({"Spec": {"ContainerSpec": {"Args": ["x"], "Image": "b:2"}, "ForceUpdate": 1}}, template)
    assert not task_matches_template({"Spec": {"ContainerSpec": {"Image": "b:1", "Args": ["x"]}, "ForceUpdate": 1}}, template)
    assert not task_matches_template({"Spec": {"ContainerSpec": {"Image": "b:2", "Args": ["x"]}}}, template)


@pytest.mark.parametrize("health, argv", [
    (None, ()),
    ({"Test": ["NONE"]}, ("--no-healthcheck",)),
    ({"Test": ["CMD-SHELL", "wget -q localhost"], "Interval": 5_000_000_000, "Retries": 2},
     ("--health-cmd", "wget -q localhost", "--health-interval", "5s", "--health-retries", "2")),
    ({"Test": ["CMD", "sh", "-c", "true"]}, ("--health-cmd", '["sh", "-c", "true"]')),
])
def test_healthcheck_cli(health, argv):
    from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import healthcheck_to_cli

    assert tuple(healthcheck_to_cli(health)) == argv
