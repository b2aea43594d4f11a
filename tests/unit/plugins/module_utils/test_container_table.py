# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container table's community.docker rows: each option parsed, sent in the create body, shown as
CLI flags and compared from the same parsed value; what a task manages; community.docker's
behaviour options; the API versions options need."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
from ansible_collections.devops.docker.plugins.module_utils._container._desired_compat import (
    ALIASES,
    community_params,
    manages,
)
from ansible_collections.devops.docker.plugins.module_utils._container._manager import create_command
from ansible_collections.devops.docker.plugins.module_utils._container._table import (
    Context,
    check_api_versions,
    container_argument_spec,
    container_defaults,
    create_request,
    plan,
)
from ansible_collections.devops.docker.plugins.module_utils._container._table_host import normalize_platform
from ansible_collections.devops.docker.plugins.module_utils._engine import RECREATE, UPDATE
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

IMAGE = {
    "Id": "sha256:" + "b" * 64,
    "Os": "linux",
    "Architecture": "amd64",
    "Config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "Labels": {"from.image": "1"}, "ExposedPorts": {"8080/tcp": {}}},
}

# Every option of community.docker's docker_container documentation (its current release).
COMMUNITY_OPTIONS = """
auto_remove blkio_weight capabilities cap_drop cgroupns_mode cgroup_parent cleanup command comparisons
container_default_behavior command_handling cpu_period cpu_quota cpus cpuset_cpus cpuset_mems cpu_shares
default_host_ip detach devices device_read_bps device_write_bps device_read_iops device_write_iops device_requests
device_cgroup_rules dns_opts dns_servers dns_search_domains domainname env env_file entrypoint etc_hosts
exposed_ports exposed expose force_kill forcekill groups healthcheck hostname image image_comparison
image_label_mismatch image_name_mismatch init interactive ipc_mode keep_volumes kill_signal kernel_memory labels
links log_driver log_options log_opt mac_address memory memory_reservation memory_swap memory_swappiness mounts
name network_mode userns_mode networks networks_cli_compatible oom_killer oom_score_adj output_logs paused pid_mode
pids_limit platform privileged publish_all_ports published_ports ports pull pull_check_mode_behavior read_only
recreate removal_wait_timeout restart restart_policy restart_retries runtime shm_size security_opts state
stop_signal healthy_wait_timeout stop_timeout storage_opts tmpfs tty ulimits sysctls user uts volumes
volume_driver volumes_from working_dir purge_networks debug ignore_image
""".split()
COMMUNITY_SUBOPTIONS = {
    "mounts": "target source type read_only consistency create_mountpoint propagation no_copy non_recursive "
              "read_only_non_recursive read_only_force_recursive labels volume_driver volume_options subpath "
              "tmpfs_size tmpfs_mode tmpfs_options",
    "networks": "name ipv4_address ipv6_address links aliases mac_address driver_opts gw_priority",
    "healthcheck": "test test_cli_compatible interval timeout retries start_period start_interval",
    "device_read_bps": "path rate",
    "device_requests": "capabilities count device_ids driver options",
}


def params(**kwargs):
    p = container_defaults()
    p.update(name="dt-unit", image="devops-test/busybox:latest")
    p.update(kwargs)
    return p


def created(p, image=None, cid="d" * 64):
    """The inspect data of a container the daemon made from the create body of ``p``."""
    image = image or IMAGE
    body = create_request(Context(Desired(p), image))
    config = {k: v for k, v in body.items() if k not in ("HostConfig", "NetworkingConfig")}
    config.setdefault("Cmd", image["Config"]["Cmd"])
    config["Env"] = list(image["Config"]["Env"]) + list(config.get("Env") or [])
    config["Labels"] = {**image["Config"]["Labels"], **(config.get("Labels") or {})}
    config["ExposedPorts"] = {**image["Config"]["ExposedPorts"], **(config.get("ExposedPorts") or {})}
    return {"Id": cid, "Name": "/dt-unit", "Image": image["Id"], "Config": config,
            "HostConfig": {"NetworkMode": "default", **body["HostConfig"]}, "State": {"Status": "running"},
            "NetworkSettings": {"Networks": {"bridge": {}}}}


def get(data, path):
    for key in path.split("."):
        data = data[key]
    return data


# (task options, where the create body holds it, the value there, a CLI fragment, a change, how it is applied)
ROWS = [
    ({"cpu_shares": 512}, "HostConfig.CpuShares", 512, "--cpu-shares 512", {"cpu_shares": 256}, UPDATE),
    ({"cpu_period": 100000}, "HostConfig.CpuPeriod", 100000, "--cpu-period 100000", {"cpu_period": 50000}, UPDATE),
    ({"cpu_quota": 50000}, "HostConfig.CpuQuota", 50000, "--cpu-quota 50000", {"cpu_quota": 40000}, UPDATE),
    ({"cpuset_cpus": "0"}, "HostConfig.CpusetCpus", "0", "--cpuset-cpus 0", {"cpuset_cpus": "0-1"}, UPDATE),
    ({"cpuset_mems": "0"}, "HostConfig.CpusetMems", "0", "--cpuset-mems 0", {"cpuset_mems": "0,1"}, UPDATE),
    ({"memory_reservation": "32m"}, "HostConfig.MemoryReservation", 32 * 2**20, "--memory-reservation 33554432",
     {"memory_reservation": "16M"}, UPDATE),
    ({"memory": "64m", "memory_swap": "128m"}, "HostConfig.MemorySwap", 128 * 2**20, "--memory-swap 134217728",
     {"memory": "64m", "memory_swap": "unlimited"}, UPDATE),
    ({"memory_swappiness": 10}, "HostConfig.MemorySwappiness", 10, "--memory-swappiness 10",
     {"memory_swappiness": 20}, RECREATE),
    ({"kernel_memory": "64m"}, "HostConfig.KernelMemory", 64 * 2**20, "--kernel-memory 67108864",
     {"kernel_memory": "128m"}, RECREATE),
    ({"oom_killer": True}, "HostConfig.OomKillDisable", True, "--oom-kill-disable", {"oom_killer": False}, RECREATE),
    ({"oom_score_adj": 100}, "HostConfig.OomScoreAdj", 100, "--oom-score-adj 100", {"oom_score_adj": -5}, RECREATE),
    ({"pids_limit": 50}, "HostConfig.PidsLimit", 50, "--pids-limit 50", {"pids_limit": 60}, UPDATE),
    ({"blkio_weight": 300, "docker_host": "tcp://remote:2376"}, "HostConfig.BlkioWeight", 300, "--blkio-weight 300",
     {"blkio_weight": 400, "docker_host": "tcp://remote:2376"}, UPDATE),
    ({"blkio_weight_device": [{"path": "/dev/sda", "weight": 400}], "docker_host": "tcp://remote:2376"},
     "HostConfig.BlkioWeightDevice", [{"Path": "/dev/sda", "Weight": 400}], "--blkio-weight-device /dev/sda:400",
     {"blkio_weight_device": [{"path": "/dev/sda", "weight": 500}], "docker_host": "tcp://remote:2376"}, RECREATE),
    ({"device_read_bps": [{"path": "/dev/sda", "rate": "20M"}]}, "HostConfig.BlkioDeviceReadBps",
     [{"Path": "/dev/sda", "Rate": 20 * 2**20}], "--device-read-bps /dev/sda:20971520",
     {"device_read_bps": [{"path": "/dev/sda", "rate": "10M"}]}, RECREATE),
    ({"device_write_bps": [{"path": "/dev/sda", "rate": "1k"}]}, "HostConfig.BlkioDeviceWriteBps",
     [{"Path": "/dev/sda", "Rate": 1024}], "--device-write-bps /dev/sda:1024",
     {"device_write_bps": [{"path": "/dev/sdb", "rate": "1k"}]}, RECREATE),
    ({"device_read_iops": [{"path": "/dev/sda", "rate": 300}]}, "HostConfig.BlkioDeviceReadIOps",
     [{"Path": "/dev/sda", "Rate": 300}], "--device-read-iops /dev/sda:300",
     {"device_read_iops": [{"path": "/dev/sda", "rate": 200}]}, RECREATE),
    ({"device_write_iops": [{"path": "/dev/sda", "rate": 300}]}, "HostConfig.BlkioDeviceWriteIOps",
     [{"Path": "/dev/sda", "Rate": 300}], "--device-write-iops /dev/sda:300", {"device_write_iops": []}, RECREATE),
    ({"device_cgroup_rules": ["c 1:3 mr"]}, "HostConfig.DeviceCgroupRules", ["c 1:3 mr"],
     "--device-cgroup-rule 'c 1:3 mr'", {"device_cgroup_rules": ["c 1:5 r"]}, RECREATE),
    ({"device_requests": [{"driver": "nvidia", "count": -1, "capabilities": [["gpu", "utility"]]}]},
     "HostConfig.DeviceRequests",
     [{"Driver": "nvidia", "Count": -1, "DeviceIDs": [], "Capabilities": [["gpu", "utility"]], "Options": {}}],
     "--gpus 'all,driver=nvidia,\"capabilities=gpu,utility\"'",
     {"device_requests": [{"device_ids": ["0", "1"]}]}, RECREATE),
    ({"storage_opts": {"size": "10G"}}, "HostConfig.StorageOpt", {"size": "10G"}, "--storage-opt size=10G",
     {"storage_opts": {"size": "20G"}}, RECREATE),
    ({"groups": ["12", "20"]}, "HostConfig.GroupAdd", ["12", "20"], "--group-add 12 --group-add 20",
     {"groups": ["12"]}, RECREATE),
    ({"security_opts": ["no-new-privileges"]}, "HostConfig.SecurityOpt", ["no-new-privileges"],
     "--security-opt no-new-privileges", {"security_opts": ["seccomp=unconfined"]}, RECREATE),
    ({"dns_opts": ["ndots:2"]}, "HostConfig.DnsOptions", ["ndots:2"], "--dns-option ndots:2",
     {"dns_opts": ["ndots:3"]}, RECREATE),
    ({"volumes_from": ["data:ro"]}, "HostConfig.VolumesFrom", ["data:ro"], "--volumes-from data:ro",
     {"volumes_from": ["other"]}, RECREATE),
    ({"userns_mode": "host"}, "HostConfig.UsernsMode", "host", "--userns host", {"userns_mode": ""}, RECREATE),
    ({"uts": "host"}, "HostConfig.UTSMode", "host", "--uts host", {"uts": ""}, RECREATE),
    ({"cgroupns_mode": "private"}, "HostConfig.CgroupnsMode", "private", "--cgroupns private",
     {"cgroupns_mode": "host"}, RECREATE),
    ({"cgroup_parent": "apps"}, "HostConfig.CgroupParent", "apps", "--cgroup-parent apps",
     {"cgroup_parent": "other"}, RECREATE),
    ({"runtime": "runc"}, "HostConfig.Runtime", "runc", "--runtime runc", {"runtime": "kata"}, RECREATE),
    ({"volume_driver": "local"}, "HostConfig.VolumeDriver", "local", "--volume-driver local",
     {"volume_driver": "other"}, RECREATE),
    ({"domainname": "example.org"}, "Domainname", "example.org", "--domainname example.org",
     {"domainname": "example.com"}, RECREATE),
    ({"mac_address": "02:42:AC:11:00:99"}, "MacAddress", "02:42:AC:11:00:99", "--mac-address 02:42:AC:11:00:99",
     {"mac_address": "02:42:ac:11:00:98"}, RECREATE),
    ({"capabilities": ["sys_time"]}, "HostConfig.CapAdd", ["SYS_TIME"], "--cap-add SYS_TIME",
     {"capabilities": ["net_admin"]}, RECREATE),
    ({"dns_servers": ["10.0.0.2"]}, "HostConfig.Dns", ["10.0.0.2"], "--dns 10.0.0.2",
     {"dns_servers": ["10.0.0.3"]}, RECREATE),
    ({"etc_hosts": {"db": "10.0.0.5"}}, "HostConfig.ExtraHosts", ["db:10.0.0.5"], "--add-host db:10.0.0.5",
     {"etc_hosts": {"db": "10.0.0.6"}}, RECREATE),
    ({"published_ports": ["127.0.0.1:8080:80"]}, "HostConfig.PortBindings",
     {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}, "-p 127.0.0.1:8080:80",
     {"published_ports": ["127.0.0.1:8081:80"]}, RECREATE),
    ({"publish_all_ports": True}, "HostConfig.PublishAllPorts", True, "--publish-all",
     {"publish_all_ports": False}, RECREATE),
    ({"exposed": ["9000"]}, "ExposedPorts", {"9000/tcp": {}}, "--expose 9000/tcp", {"exposed": ["9001"]}, RECREATE),
    ({"log_driver": "json-file", "log_opt": {"max-size": "1m"}}, "HostConfig.LogConfig",
     {"Type": "json-file", "Config": {"max-size": "1m"}}, "--log-opt max-size=1m",
     {"log_driver": "json-file", "log_opt": {"max-size": "2m"}}, RECREATE),
    ({"healthcheck": {"test": ["CMD", "true"], "start_interval": "2s"}}, "Healthcheck.StartInterval", 2_000_000_000,
     "--health-start-interval 2s", {"healthcheck": {"test": ["CMD", "true"], "start_interval": "3s"}}, RECREATE),
    ({"ulimits": ["nofile:1024:2048"]}, "HostConfig.Ulimits", [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
     "--ulimit nofile=1024:2048", {"ulimits": ["nofile=1024:4096"]}, RECREATE),
]


def _alias_params(given):
    """The task's options under our canonical names, as AnsibleModule hands them over."""
    out = {}
    for key, value in given.items():
        out[ALIASES.get(key, key)] = value
    return out


@pytest.mark.parametrize("given, path, value, cli, change, how", ROWS, ids=[next(iter(r[0])) for r in ROWS])
def test_row_body_cli_compare(given, path, value, cli, change, how):
    p = params(**_alias_params(given))
    body = create_request(Context(Desired(p), IMAGE))
    assert get(body, path) == value
    import shlex
    assert cli in shlex.join(create_command(p, IMAGE)).replace("'\"'\"'", "'")
    container = created(p)
    assert plan(p, container, IMAGE) == []
    diffs = plan(params(**_alias_params(change)), container, IMAGE)
    assert diffs, "a changed value is a difference"
    assert {d.how for d in diffs} == {how}


@pytest.mark.parametrize("given, same", [
    ({"groups": ["12", "20"]}, {"groups": ["20", "12"]}),
    ({"capabilities": ["sys_time", "net_admin"]}, {"capabilities": ["NET_ADMIN", "CAP_SYS_TIME"]}),
    ({"dns_servers": ["10.0.0.2", "10.0.0.3"]}, {"dns_servers": ["10.0.0.3", "10.0.0.2"]}),
    ({"dns_opts": ["ndots:2", "timeout:3"]}, {"dns_opts": ["timeout:3", "ndots:2"]}),
    ({"devices": ["/dev/null:/dev/xnull", "/dev/zero"]}, {"devices": ["/dev/zero", "/dev/null:/dev/xnull:rwm"]}),
    ({"ulimits": ["nofile:1024:2048"]}, {"ulimits": ["nofile=1024:2048"]}),
    ({"pids_limit": -1}, {"pids_limit": 0}),
    ({"mac_address": "02:42:AC:11:00:99"}, {"mac_address": "02:42:ac:11:00:99"}),
])
def test_same_value_written_otherwise_is_no_difference(given, same):
    container = created(params(**_alias_params(given)))
    assert plan(params(**_alias_params(same)), container, IMAGE) == []


@pytest.mark.parametrize("given", [{"privileged": True}, {"pid_mode": "host"}, {"ipc_mode": "host"}])
def test_label_disable_the_daemon_adds_is_no_difference(given):
    container = created(params(**given))
    container["HostConfig"]["SecurityOpt"] = ["label=disable"]
    assert plan(params(**given), container, IMAGE) == []
    assert plan(params(**given, security_opts=["label=disable"]), container, IMAGE) == []
    container["HostConfig"]["Privileged"] = container["HostConfig"]["PidMode"] = container["HostConfig"]["IpcMode"] = None
    assert plan(params(), container, IMAGE)


def test_memory_change_updates_swap_with_it():
    container = created(params(memory="64m", memory_swap="128m"))
    p = params(memory="96m", memory_swap="192m")
    diffs = plan(p, container, IMAGE)
    assert {d.option: d.how for d in diffs} == {"memory": UPDATE, "memory_swap": UPDATE}
    from ansible_collections.devops.docker.plugins.module_utils._container._table import OPTIONS
    from ansible_collections.devops.docker.plugins.module_utils._engine import update_request
    body, argv = update_request(OPTIONS, Context(Desired(p), IMAGE, container), diffs)
    assert body == {"Memory": 96 * 2**20, "MemorySwap": 192 * 2**20}
    assert argv[:2] == ["--memory", str(96 * 2**20)]


@pytest.mark.parametrize("kernel_has_weight", [True, False])
def test_blkio_weight_discarded_by_the_kernel(monkeypatch, kernel_has_weight):
    import os
    monkeypatch.setattr(os.path, "exists", lambda path: kernel_has_weight)
    container = created(params(blkio_weight=300))
    container["HostConfig"]["BlkioWeight"] = 0  # what a kernel without weight support leaves
    diffs = plan(params(blkio_weight=300, docker_host="unix:///var/run/docker.sock"), container, IMAGE)
    assert bool(diffs) == kernel_has_weight


# ---------------------------------------------------------------- what a task manages
CUSTOM = params(command="sleep 600", env={"A": "1"}, labels={"x": "y"}, ports=["8080:80"], cpu_shares=512,
                capabilities=["sys_time"], privileged=True, dns=["10.0.0.2"])


@pytest.mark.parametrize("state", ["started", "stopped", "present", "paused", "healthy"])
def test_name_and_state_manage_nothing_else(state):
    container = created(_alias_params(CUSTOM))
    task = {**container_defaults(), "name": "dt-unit", "state": state}
    assert plan(task, container, IMAGE) == []


def test_name_and_one_option_manage_that_option_only():
    container = created(_alias_params(CUSTOM))
    task = {**container_defaults(), "name": "dt-unit", "cpu_shares": 256}
    assert [(d.option, d.how) for d in plan(task, container, IMAGE)] == [("cpu_shares", UPDATE)]


def test_image_given_describes_the_whole_container():
    container = created(_alias_params(CUSTOM))
    task = params(command="sleep 600")
    assert {"env", "labels", "ports", "cpu_shares", "cap_add", "privileged", "dns"} <= {d.option for d in plan(task, container, IMAGE)}


@pytest.mark.parametrize("extra", [
    {"container_default_behavior": "no_defaults"},
    {"container_default_behavior": "compatibility"},
    {"comparisons": {"*": "allow_more_present", "command": "strict"}},
])
def test_community_semantics_leave_what_is_not_given(extra):
    container = created(_alias_params(CUSTOM))
    task = community_params(params(command="sleep 600", **extra))
    assert [d.option for d in plan(task, container, IMAGE) if d.option != "privileged" or
            "compatibility" not in str(extra)] == []


def test_compatibility_defaults_compare_the_old_defaults():
    container = created(_alias_params(CUSTOM))
    task = community_params(params(command="sleep 600", container_default_behavior="compatibility"))
    assert [d.option for d in plan(task, container, IMAGE)] == ["privileged"]


@pytest.mark.parametrize("params_, option, comparisons, expected", [
    ({"name": "x"}, "env", {}, False),
    ({"name": "x", "env": {}}, "env", {}, True),
    ({"name": "x", "image": "i"}, "env", {}, True),
    ({"name": "x", "image": "i"}, "env", {"env": "allow_more_present"}, False),
    ({"name": "x", "image": "i"}, "env", {"*": "allow_more_present"}, False),
    ({"name": "x", "image": "i", "container_default_behavior": "no_defaults"}, "env", {}, False),
    ({"name": "x"}, "networks", {"networks": "strict"}, True),
])
def test_manages(params_, option, comparisons, expected):
    assert manages(params_, (option,), option, comparisons) is expected


def test_comparisons_take_community_names():
    container = created(_alias_params(CUSTOM))
    task = params(command="sleep 600", env={"A": "1"}, labels={"x": "y"}, cpu_shares=512, dns=["10.0.0.2"],
                  privileged=True, ports=["8080:80"], capabilities=None,
                  comparisons={"capabilities": "ignore"})
    assert plan(task, container, IMAGE) == []


# ---------------------------------------------------------------- community.docker's behaviour options
@pytest.mark.parametrize("given, expected", [
    ({"pull": True}, {"pull": "always"}),
    ({"pull": False}, {"pull": "missing"}),
    ({"pull": "never"}, {"pull": "never"}),
    ({"paused": True, "state": "started"}, {"state": "paused"}),
    ({"paused": False, "state": "started"}, {"state": "started"}),
    ({"command": ["echo", "a b"], "command_handling": "compatibility"}, {"command": "echo a b"}),
    ({"command": [], "command_handling": "compatibility"}, {"command": None}),
    ({"command": ["echo", "a b"], "command_handling": "correct"}, {"command": ["echo", "a b"]}),
    ({"container_default_behavior": "compatibility"}, {"auto_remove": False, "detach": True, "memory": "0", "tty": False}),
    ({"ignore_image": True}, {"comparisons": {"image": "ignore"}}),
    ({"purge_networks": True}, {"comparisons": {"networks": "strict"}}),
    ({"purge_networks": False}, {"networks_exclusive": False}),
    ({"comparisons": {"published_ports": "ignore", "etc_hosts": "strict"}},
     {"comparisons": {"ports": "ignore", "extra_hosts": "strict"}}),
    ({"networks_cli_compatible": False, "networks": [{"name": "n"}]}, {"network_mode": "default"}),
    ({"default_host_ip": "127.0.0.1", "ports": ["80", "8080:80", "10.0.0.1:81:81", 82]},
     {"ports": ["127.0.0.1::80", "127.0.0.1:8080:80", "10.0.0.1:81:81", "127.0.0.1::82"]}),
    ({"default_host_ip": "::1", "ports": ["8080:80"]}, {"ports": ["[::1]:8080:80"]}),
    ({"healthy_wait_timeout": 12.5}, {"wait_timeout": 12}),
    ({"healthcheck": {"test_cli_compatible": False, "interval": "5s"}}, {"healthcheck": {"interval": "5s", "test": ["NONE"]}}),
    ({"healthcheck": {"test_cli_compatible": True, "interval": "5s"}}, {"healthcheck": {"interval": "5s"}}),
])
def test_community_params(given, expected):
    result = community_params({"name": "x", **given})
    for key, value in expected.items():
        assert result[key] == value


def test_healthy_wait_timeout_zero_waits_without_limit():
    assert community_params({"name": "x", "healthy_wait_timeout": 0})["wait_timeout"] > 10**8


def test_every_community_option_and_alias_is_accepted():
    spec = container_argument_spec()
    names = set(spec) | {a for s in spec.values() for a in s.get("aliases") or []}
    assert sorted(set(COMMUNITY_OPTIONS) - names) == []
    for option, subs in COMMUNITY_SUBOPTIONS.items():
        assert set(subs.split()) <= set(spec[option]["options"]), option
    assert set(ALIASES) <= names


def test_bool_options_have_no_default():
    spec = container_argument_spec()
    for name in ("auto_remove", "init", "interactive", "privileged", "read_only", "tty", "publish_all", "paused"):
        assert "default" not in spec[name], name


@pytest.mark.parametrize("given, fragment", [
    ({"memory_swappiness": 101}, "memory_swappiness"),
    ({"memory_swappiness": -1}, "between 0 and 100"),
    ({"blkio_weight": 5}, "between 10 and 1000"),
    ({"kernel_memory": "1m"}, "minimum is 4M"),
    ({"device_read_bps": [{"path": "/dev/sda"}]}, "path and rate"),
    ({"device_read_iops": [{"path": "/dev/sda", "rate": "fast"}]}, "whole number"),
    ({"device_requests": [{"capabilities": ["gpu"]}]}, "list of lists"),
    ({"mounts": [{"type": "volume", "target": "/x", "create_mountpoint": True}]}, "only to type bind"),
    ({"mounts": [{"type": "bind", "source": "/x", "target": "/x", "subpath": "a"}]}, "only to type volume"),
])
def test_bad_values_are_refused_before_any_request(given, fragment):
    with pytest.raises(SpecError, match=fragment):
        Desired(params(**given))


# ---------------------------------------------------------------- API versions, platform, container:NAME
@pytest.mark.parametrize("given, needs", [
    ({"healthcheck": {"test": ["CMD", "true"], "start_interval": "5s"}}, "1.44"),
    ({"networks": [{"name": "n", "mac_address": "02:42:ac:11:00:99"}]}, "1.44"),
    ({"mounts": [{"type": "bind", "source": "/x", "target": "/x", "create_mountpoint": True}]}, "1.42"),
    ({"mounts": [{"type": "volume", "source": "v", "target": "/x", "subpath": "a"}]}, "1.45"),
    ({"mounts": [{"type": "tmpfs", "target": "/x", "tmpfs_options": [{"exec": None}]}]}, "1.46"),
])
def test_options_newer_than_the_daemon_fail_naming_the_version(given, needs):
    desired = Desired(params(**given))
    old = Context(desired, IMAGE, lookup=lambda what, arg: "1.41" if what == "api_version" else None)
    with pytest.raises(DockerError, match=f"needs Docker Engine API {needs} or newer; this daemon speaks API 1.41"):
        check_api_versions(old)
    check_api_versions(Context(desired, IMAGE, lookup=lambda what, arg: "1.48" if what == "api_version" else None))


def test_options_the_daemon_has_need_no_version():
    check_api_versions(Context(Desired(params(cpu_shares=2)), IMAGE, lookup=lambda what, arg: "1.41"))


@pytest.mark.parametrize("value, expected", [
    ("linux/x86_64", "linux/amd64"), ("Linux/AMD64", "linux/amd64"), ("linux/aarch64/v8", "linux/arm64"),
    ("linux", "linux"), ("", ""),
])
def test_normalize_platform(value, expected):
    assert normalize_platform(value) == expected


@pytest.mark.parametrize("platform, different", [
    ("linux", False), ("linux/amd64", False), ("linux/x86_64", False), ("linux/arm64", True),
])
def test_platform_compares_with_the_image(platform, different):
    container = created(params())
    assert bool(plan(params(platform=platform), container, IMAGE)) is different


@pytest.mark.parametrize("option, key", [("ipc_mode", "IpcMode"), ("pid_mode", "PidMode")])
def test_container_name_equals_container_id(option, key):
    other = "e" * 64
    container = created(params(**{option: "container:db"}))
    container["HostConfig"][key] = f"container:{other}"

    def lookup(what, arg):
        return other if what == "container_id" and arg == "db" else None

    assert plan(params(**{option: "container:db"}), container, IMAGE, lookup) == []
    assert plan(params(**{option: "container:web"}), container, IMAGE, lambda what, arg: "f" * 64)


def test_image_name_mismatch_recreate():
    container = created(params())
    container["Config"]["Image"] = "devops-test/busybox:other"
    assert plan(params(), container, IMAGE) == []
    diffs = plan(params(image_name_mismatch="recreate"), container, IMAGE)
    assert [(d.option, d.how) for d in diffs] == [("image_name", RECREATE)]


def test_image_label_mismatch_fail():
    container = created(params(labels={"x": "y"}))
    with pytest.raises(SpecError, match="from.image"):
        plan(params(labels={"x": "y"}, image_label_mismatch="fail"), container, IMAGE)
    assert plan(params(labels={"x": "y", "from.image": "1"}, image_label_mismatch="fail"), container, IMAGE) == []


def test_image_comparison_current_image_merges_over_the_running_image():
    own = {"Id": "sha256:" + "c" * 64,
           "Config": {"Env": ["PATH=/bin", "OWN=1"], "Cmd": ["sh"], "Labels": {}, "ExposedPorts": {}}}
    container = created(params(env={"A": "1"}), image=own)

    def lookup(what, arg):
        return own if what == "image" else None

    task = params(env={"A": "1"}, image_comparison="current-image", comparisons={"image": "ignore"})
    assert plan(task, container, IMAGE, lookup) == []
    task = params(env={"A": "1"}, comparisons={"image": "ignore"})
    # merged over the task's image instead: its env var, label and port are wanted, the running image's not
    assert [d.option for d in plan(task, container, IMAGE, lookup)] == ["env", "exposed_ports", "labels"]
