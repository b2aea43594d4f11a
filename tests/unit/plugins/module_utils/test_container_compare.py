# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the container comparison: image defaults vs task values, removals, secrets, update kinds."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager, create_command, shown
from ansible_collections.devops.docker.plugins.module_utils._container._table import (
    Context,
    container_argument_spec,
    container_defaults,
    create_request,
    plan,
)
from ansible_collections.devops.docker.plugins.module_utils._engine import NETWORK, RECREATE, UPDATE
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    SECRET_ENV_HASH_LABEL as SECRET_HASH_LABEL,
    SECRET_ENV_KEYS_LABEL as SECRET_KEYS_LABEL,
    secret_hash,
)
from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

IMAGE = {
    "Id": "sha256:" + "a" * 64,
    "Config": {
        "Env": ["PATH=/bin", "FROM_IMAGE=1"],
        "Cmd": ["httpd", "-f"],
        "Entrypoint": None,
        "Labels": {"org.image": "yes"},
        "ExposedPorts": {"8080/tcp": {}},
        "Volumes": {"/vol": {}},
        "WorkingDir": "/www",
        "User": "nobody",
        "StopSignal": "SIGUSR1",
        "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 5_000_000_000},
    },
}


def params(**kwargs):
    p = container_defaults()
    p.update(name="dt-unit", image="devops-test/busybox:latest")
    p.update(kwargs)
    return p


def daemon_create(p, image=None, cid="c" * 64):
    """What the daemon's inspect shows for a container created from p: the create body merged with the image."""
    image = image or IMAGE
    ctx = Context(Desired(p), image)
    body = create_request(ctx)
    ic = image["Config"]
    cfg = {k: v for k, v in body.items() if k not in ("HostConfig", "NetworkingConfig")}
    env = dict(e.split("=", 1) for e in ic.get("Env") or [])
    env.update(dict(e.split("=", 1) for e in cfg.get("Env") or []))
    cfg["Env"] = [f"{k}={v}" for k, v in env.items()]
    if not cfg.get("Entrypoint"):
        if not cfg.get("Cmd"):
            cfg["Cmd"] = ic.get("Cmd")
        if cfg.get("Entrypoint") is None:
            cfg["Entrypoint"] = ic.get("Entrypoint")
    cfg["Labels"] = {**(ic.get("Labels") or {}), **(cfg.get("Labels") or {})}
    cfg["ExposedPorts"] = {**(ic.get("ExposedPorts") or {}), **(cfg.get("ExposedPorts") or {})}
    cfg["Volumes"] = {**(ic.get("Volumes") or {}), **(cfg.get("Volumes") or {})}
    for key in ("WorkingDir", "User", "StopSignal"):
        cfg[key] = cfg.get(key) or ic.get(key) or ""
    if cfg.get("Healthcheck") is None:
        cfg["Healthcheck"] = ic.get("Healthcheck")
    cfg.setdefault("Hostname", cid[:12])
    hc = body["HostConfig"]
    hc["NetworkMode"] = hc.get("NetworkMode") or "default"
    hc.setdefault("RestartPolicy", {"Name": "", "MaximumRetryCount": 0})
    hc.setdefault("LogConfig", {"Type": "json-file", "Config": {}})
    hc.setdefault("IpcMode", "private")
    hc.setdefault("ShmSize", 67108864)
    networks = {}
    mode = hc["NetworkMode"]
    if mode not in ("host", "none") and not mode.startswith("container:"):
        primary = "bridge" if mode == "default" else mode
        eps = (body.get("NetworkingConfig") or {}).get("EndpointsConfig") or {}
        networks[primary] = {**eps.get(primary, {}), "Aliases": [*(eps.get(primary, {}).get("Aliases") or []), cid[:12]]}
        for net in p.get("networks") or []:
            if net["name"] != primary:
                networks[net["name"]] = {"Aliases": list(net.get("aliases") or []) + [cid[:12]],
                                         "IPAMConfig": {"IPv4Address": net.get("ipv4_address") or ""}}
    return {"Id": cid, "Name": "/" + p["name"], "Image": image["Id"], "Config": cfg, "HostConfig": hc,
            "State": {"Status": "running"}, "NetworkSettings": {"Networks": networks}}


def options(diffs):
    return sorted(d.option for d in diffs)


FULL = dict(
    command="sleep 60", entrypoint=None, env={"A": "1"}, secret_env={"S": "hush"},
    ports=["127.0.0.1:15100:80", "53:53/udp"], publish_all=False, volumes=["data:/data:ro", "/srv:/srv"],
    mounts=[{"type": "tmpfs", "target": "/t", "tmpfs_size": "1m"}], tmpfs=["/run:size=1m"],
    restart_policy="on-failure:3", labels={"app": "web"},
    healthcheck={"test": "wget -q localhost", "interval": "10s"}, user="1000", working_dir="/app",
    hostname="web", memory="64m", cpus=0.5, log_driver="json-file", log_options={"max-size": "1m"},
    init=True, cap_add=["net_admin"], cap_drop=["CAP_MKNOD"], read_only=True, stop_signal="term", stop_timeout=5,
    extra_hosts={"db": "10.0.0.2"}, dns=["10.0.0.53"], sysctls={"net.core.somaxconn": "1024"},
    ulimits=["nofile=1024:2048"], shm_size="128m",
)


@pytest.mark.parametrize("extra", [
    {},
    FULL,
    {"entrypoint": ["sh", "-c"], "command": None},
    {"networks": [{"name": "dt-net", "aliases": ["web"]}, {"name": "dt-other"}]},
    {"network_mode": "host"},
])
def test_created_container_compares_equal(extra):
    p = params(**extra)
    assert plan(p, daemon_create(p), IMAGE) == []


@pytest.mark.parametrize("option, image_value, container_key", [
    ("env", ["PATH=/bin", "FROM_IMAGE=1"], "Env"),
    ("labels", {"org.image": "yes"}, "Labels"),
    ("command", ["httpd", "-f"], "Cmd"),
    ("working_dir", "/www", "WorkingDir"),
    ("user", "nobody", "User"),
    ("stop_signal", "SIGUSR1", "StopSignal"),
])
def test_image_values_never_differ(option, image_value, container_key):
    p = params()
    container = daemon_create(p)
    assert container["Config"][container_key] == image_value or option in ("env", "labels")
    assert plan(p, container, IMAGE) == []


def test_task_value_over_image_value():
    p = params(env={"FROM_IMAGE": "2"}, working_dir="/app", user="root")
    container = daemon_create(params())
    assert options(plan(p, container, IMAGE)) == ["env", "user", "working_dir"]


@pytest.mark.parametrize("option, before, after_value", [
    ("env", {"env": {"A": "1", "B": "2"}}, {"env": {"A": "1"}}),
    ("labels", {"labels": {"a": "1", "b": "2"}}, {"labels": {"a": "1"}}),
    ("ports", {"ports": ["15100:80", "15101:81"]}, {"ports": ["15100:80"]}),
    ("volumes", {"volumes": ["a:/a", "b:/b"]}, {"volumes": ["a:/a"]}),
    ("mounts", {"mounts": [{"source": "a", "target": "/a"}]}, {"mounts": []}),
    ("tmpfs", {"tmpfs": ["/run"]}, {"tmpfs": None}),
    ("healthcheck", {"healthcheck": {"test": "true", "interval": "1s"}}, {"healthcheck": None}),
    ("hostname", {"hostname": "web"}, {"hostname": None}),
    ("cap_add", {"cap_add": ["NET_ADMIN"]}, {"cap_add": []}),
    ("log_options", {"log_options": {"max-size": "1m"}}, {"log_options": None}),
    ("command", {"command": "sleep 1"}, {"command": None}),
    ("stop_timeout", {"stop_timeout": 3}, {"stop_timeout": None}),
])
def test_removal_is_a_difference(option, before, after_value):
    container = daemon_create(params(**before))
    diffs = plan(params(**after_value), container, IMAGE)
    assert option in options(diffs)
    assert all(d.how == RECREATE for d in diffs if d.option == option)


def test_removed_port_keeps_image_exposed_port():
    container = daemon_create(params(ports=["15100:80"]))
    diffs = plan(params(), container, IMAGE)
    (ports,) = [d for d in diffs if d.option == "ports"]
    assert ports.after == {}
    (exposed,) = [d for d in diffs if d.option == "exposed_ports"]
    assert exposed.after == ["8080/tcp"]
    assert exposed.before == ["80/tcp", "8080/tcp"]


def test_exposed_ports_round_trip_and_removal():
    container = daemon_create(params(exposed_ports=["9000", "53/udp"], ports=["15100:80"]))
    assert set(container["Config"]["ExposedPorts"]) == {"80/tcp", "8080/tcp", "9000/tcp", "53/udp"}
    assert plan(params(exposed_ports=["9000/tcp", "53/udp"], ports=["15100:80"]), container, IMAGE) == []
    (exposed,) = [d for d in plan(params(ports=["15100:80"]), container, IMAGE) if d.option == "exposed_ports"]
    assert exposed.how == RECREATE
    assert exposed.after == ["80/tcp", "8080/tcp"]


@pytest.mark.parametrize(
    "value, fragment",
    [("8080:80", "publishes a port"), ("80/icmp", "unknown protocol"), ("0", "out of range"), ("", "empty port")],
)
def test_bad_exposed_ports(value, fragment):
    with pytest.raises(SpecError, match=fragment):
        Desired(params(exposed_ports=[value]))


def test_exposed_ports_cli():
    p = params(exposed_ports=["9000"])
    argv = create_command(p, IMAGE)
    assert argv[argv.index("--expose") + 1] == "9000/tcp"


def _net(name, aliases=None):
    return {"name": name, "aliases": aliases, "ipv4_address": None, "links": None}


def test_network_connected_elsewhere_is_kept_when_not_exclusive():
    container = daemon_create(params(networks=[_net("dt-a"), _net("dt-b")]))
    # Exclusive (the default): dt-b is not listed, so it is a difference to undo.
    (diff,) = plan(params(networks=[_net("dt-a")]), container, IMAGE)
    assert diff.option == "networks" and diff.how == NETWORK and "dt-b" in diff.before and "dt-b" not in diff.after
    # Not exclusive: dt-b is left alone, nothing to do.
    assert plan(params(networks=[_net("dt-a")], networks_exclusive=False), container, IMAGE) == []
    # Not exclusive still connects what is listed and missing.
    (diff,) = plan(params(networks=[_net("dt-a"), _net("dt-c")], networks_exclusive=False), container, IMAGE)
    assert "dt-c" in diff.after and "dt-b" not in diff.before


def test_name_only_networks_add_and_keep_the_others():
    # community.docker's "Add container to networks": name and networks only; other connections stay.
    container = daemon_create(params(networks=[_net("dt-a"), _net("dt-b")]))
    (diff,) = plan(params(image=None, networks=[_net("dt-c")]), container, IMAGE)
    assert diff.option == "networks" and list(diff.after) == ["dt-c"] and diff.before == {}
    assert plan(params(image=None, networks=[_net("dt-a")]), container, IMAGE) == []
    # Asked for: strict, or networks_exclusive, or a task with the image.
    (diff,) = plan(params(image=None, networks=[_net("dt-a")], comparisons={"networks": "strict"}), container, IMAGE)
    assert "dt-b" in diff.before and "dt-b" not in diff.after
    (diff,) = plan(params(image=None, networks=[_net("dt-a")], networks_exclusive=True), container, IMAGE)
    assert "dt-b" in diff.before and "dt-b" not in diff.after
    (diff,) = plan(params(networks=[_net("dt-a")]), container, IMAGE)
    assert "dt-b" in diff.before and "dt-b" not in diff.after


def test_no_networks_with_strict_comparison_leaves_every_network():
    # community.docker's documented "Remove container from all networks": name and comparisons only.
    container = daemon_create(params(networks=[_net("dt-a"), _net("dt-b")]))
    task = params(image=None, comparisons={"networks": "strict"})
    (diff,) = plan(task, container, IMAGE)
    assert diff.option == "networks" and diff.how == NETWORK and diff.after == {}
    assert sorted(diff.before) == ["dt-a", "dt-b"]
    container["NetworkSettings"]["Networks"] = {}
    assert plan(task, container, IMAGE) == []
    # Without the strict comparison, a name-only task leaves the networks alone.
    container = daemon_create(params(networks=[_net("dt-a")]))
    assert plan(params(image=None), container, IMAGE) == []


def test_unknown_env_var_in_container_is_removed():
    container = daemon_create(params())
    container["Config"]["Env"].append("ADDED_BY_HAND=1")
    (diff,) = plan(params(), container, IMAGE)
    assert diff.option == "env" and "ADDED_BY_HAND" in diff.before and "ADDED_BY_HAND" not in diff.after


def test_new_image_behind_same_tag_recreates():
    container = daemon_create(params())
    newer = copy.deepcopy(IMAGE)
    newer["Id"] = "sha256:" + "b" * 64
    (diff,) = plan(params(), container, newer)
    assert (diff.option, diff.how) == ("image", RECREATE)


def test_image_to_be_pulled_recreates():
    container = daemon_create(params())
    assert [(d.option, d.how) for d in plan(params(), container, None)][0] == ("image", RECREATE)


@pytest.mark.parametrize("before, after, kinds", [
    ({"restart_policy": "no"}, {"restart_policy": "always"}, {"restart_policy": UPDATE}),
    ({"restart_policy": "on-failure:2"}, {"restart_policy": "on-failure", "restart_retries": 5}, {"restart_policy": UPDATE}),
    ({"memory": "64m"}, {"memory": "128m"}, {"memory": UPDATE}),
    ({}, {"memory": "64m"}, {"memory": UPDATE}),
    ({"memory": "64m"}, {}, {"memory": RECREATE}),
    ({"cpus": 0.5}, {"cpus": 1.0}, {"cpus": UPDATE}),
    ({"cpus": 0.5}, {}, {"cpus": RECREATE}),
    ({}, {"networks": [{"name": "bridge"}, {"name": "dt-net"}], "network_mode": "bridge"}, {"networks": NETWORK}),
    ({"networks": [{"name": "dt-a"}, {"name": "dt-b"}]}, {"networks": [{"name": "dt-a"}]}, {"networks": NETWORK}),
    ({"networks": [{"name": "dt-a"}, {"name": "dt-b", "aliases": ["x"]}]},
     {"networks": [{"name": "dt-a"}, {"name": "dt-b", "aliases": ["y"]}]}, {"networks": NETWORK}),
    ({}, {"network_mode": "host"}, {"network_mode": RECREATE, "networks": NETWORK}),
    ({}, {"labels": {"com.docker.compose.project": "p"}}, {"labels": RECREATE}),
    ({}, {"privileged": True}, {"privileged": RECREATE}),
    ({}, {"user": "1:1"}, {"user": RECREATE}),
])
def test_in_place_or_recreate(before, after, kinds):
    container = daemon_create(params(**before))
    diffs = plan(params(**after), container, IMAGE)
    got = {d.option: d.how for d in diffs}
    if "networks" in kinds and after.get("network_mode") == "host":
        kinds = {"network_mode": RECREATE}  # host mode: networks are not compared
    assert got == kinds


def test_secret_hash_and_labels():
    assert secret_hash({"B": "2", "A": "1"}) == secret_hash({"A": "1", "B": "2"})
    assert secret_hash({"A": "1"}) != secret_hash({"A": "2"})
    desired = Desired(params(secret_env={"S": "hush", "T": "x"}))
    labels = desired.task_labels()
    assert labels[SECRET_KEYS_LABEL] == "S,T"
    assert labels[SECRET_HASH_LABEL] == secret_hash({"S": "hush", "T": "x"})
    assert "hush" not in str(labels)


def test_secret_change_recreates_and_is_redacted():
    container = daemon_create(params(secret_env={"S": "old-secret"}))
    manager = ContainerManager(None, params(secret_env={"S": "new-secret"}), check_mode=True)
    diffs = plan(params(secret_env={"S": "new-secret"}), container, IMAGE)
    assert {d.option for d in diffs} == {"env", "labels"}
    assert all(d.how == RECREATE for d in diffs)
    shown_diffs = str([shown(d, container, manager.params["image"], manager.secret_keys(container)) for d in diffs])
    assert "old-secret" not in shown_diffs and "new-secret" not in shown_diffs
    redacted = str(manager.redacted(container))
    assert "old-secret" not in redacted
    assert "S=********" in redacted


def test_removed_secret_is_redacted_in_diff():
    container = daemon_create(params(secret_env={"S": "gone-secret"}))
    manager = ContainerManager(None, params(), check_mode=True)
    diffs = plan(params(), container, IMAGE)
    assert "gone-secret" not in str([shown(d, container, None, manager.secret_keys(container)) for d in diffs])


def test_create_cli_hides_secrets():
    p = params(secret_env={"S": "cli-secret"}, env={"A": "1"}, ports=["127.0.0.1:15100:80"])
    argv = create_command(p, IMAGE)
    assert "cli-secret" not in " ".join(argv)
    assert argv[-1] == "devops-test/busybox:latest"
    assert ["-e", "S"] == argv[argv.index("S") - 1:argv.index("S") + 1]
    assert "-p" in argv and "127.0.0.1:15100:80" in argv


@pytest.mark.parametrize("bad, message", [
    ({"ports": ["80:abc"]}, "ports"),
    ({"volumes": ["data:relative"]}, "volumes"),
    ({"restart_policy": "sometimes"}, "restart_policy"),
    ({"env": {"FLAG": None}}, "env: 'FLAG' has no value"),
    ({"labels": {SECRET_HASH_LABEL: "x"}}, "reserved"),
    ({"network_mode": "host", "networks": [{"name": "dt-net"}]}, "network_mode"),
    ({"links": ["db"], "network_mode": "dt-net"}, "links"),
    ({"auto_remove": True, "restart_policy": "always"}, "auto_remove"),
    ({"detach": False, "state": "stopped"}, "detach"),
    ({"volumes": ["a:/x"], "mounts": [{"source": "b", "target": "/x"}]}, "more than once"),
    ({"networks": [{"name": "a"}, {"name": "a"}]}, "listed twice"),
    ({"memory": "lots"}, "memory"),
    ({"ulimits": ["nofile"]}, "ulimits"),
    ({"healthcheck": {"test": "x", "interval": "never"}}, "healthcheck.interval"),
])
def test_bad_input_raises_before_anything(bad, message):
    with pytest.raises(SpecError) as exc:
        Desired(params(**bad))
    assert message in str(exc.value)


def test_argument_spec_and_defaults():
    spec = container_argument_spec()
    assert spec["secret_env"]["no_log"] is True
    assert spec["name"]["required"] is True
    defaults = container_defaults()
    assert set(defaults) == set(spec)
    assert defaults["state"] == "started" and defaults["pull"] == "missing" and defaults["detach"] is True
    for option in ("image", "command", "entrypoint", "env", "secret_env", "env_file", "ports", "publish_all", "volumes",
                   "mounts", "networks", "network_mode", "links", "restart_policy", "labels", "healthcheck", "user",
                   "working_dir", "hostname", "memory", "cpus", "log_driver", "log_options", "auto_remove", "detach",
                   "interactive", "tty", "init", "privileged", "cap_add", "cap_drop", "read_only", "tmpfs",
                   "stop_signal", "stop_timeout", "wait_timeout", "restart", "recreate"):
        assert option in spec, option


def daemon_with(container, image):
    """The shared fake daemon holding the container (when there is one), the image under every name the manager
    looks it up by, and the networks a task names; what a test does not plan for fails it."""
    images = {}
    if image is not None:
        for ref in ("devops-test/busybox:latest", "devops-test/registry:latest", image["Id"], (container or {}).get("Image")):
            if ref:
                images[ref] = image
    networks = [{"Name": name, "Id": name} for name in ("bridge", "dt-net", "dt-other")]
    return FakeDaemon(containers=[container] if container else [], images=images, networks=networks)


@pytest.mark.parametrize("extra", [{}, FULL, {"state": "stopped"}, {"state": "present"}])
def test_noop_run_makes_two_requests(extra):
    p = params(**extra)
    container = daemon_create(p)
    if extra.get("state") == "stopped":
        container["State"] = {"Status": "exited"}
    api = daemon_with(container, IMAGE)
    result = ContainerManager(api, p, check_mode=False).run()
    assert result["changed"] is False
    assert result["actions"] == []
    assert api.calls == [("GET", "/containers/dt-unit"), ("GET", "/images/devops-test/busybox:latest")]
    assert "hush" not in str(result)


@pytest.mark.parametrize("change, actions", [
    # a recreate: the new container is created (under a temporary name) before the old one is stopped,
    # started right after, and takes the name once the old one is removed
    ({"env": {"A": "2"}}, ["docker container create", "docker container stop", "docker container start",
                           "docker container rm", "docker container rename"]),
    ({"restart_policy": "always"}, ["docker container update"]),
    ({"state": "paused"}, ["docker container pause"]),
    ({"state": "stopped"}, ["docker container stop"]),
    ({"state": "absent"}, ["docker container stop", "docker container rm"]),
])
def test_check_mode_predicts_without_side_effects(change, actions):
    p = params(env={"A": "1"})
    api = daemon_with(daemon_create(p), IMAGE)
    result = ContainerManager(api, params(**{"env": {"A": "1"}, **change}), check_mode=True).run()
    assert result["changed"] is True
    assert api.writes() == []
    assert [" ".join(a.split()[:3]) for a in result["actions"]] == actions


def test_check_mode_create_and_pull():
    api = daemon_with(None, None)
    result = ContainerManager(api, params(ports=["127.0.0.1:15100:80"]), check_mode=True).run()
    assert result["changed"] is True
    assert api.writes() == []
    assert result["actions"][0] == "docker image pull devops-test/busybox:latest"
    assert result["actions"][1].startswith("docker container create --name dt-unit -p 127.0.0.1:15100:80 ")
    assert result["diff"] == {"before": {"state": "absent"}, "after": {"state": "started"}}


def test_pull_never_fails_clearly():
    api = daemon_with(None, None)
    with pytest.raises(DockerError) as exc:
        ContainerManager(api, params(pull="never"), check_mode=False).run()
    assert "pull is 'never'" in exc.value.msg and "devops.docker.image" in exc.value.msg


def test_other_repository_is_a_conflict_unless_recreate():
    container = daemon_create(params())
    api = daemon_with(container, IMAGE)
    with pytest.raises(DockerError, match="already exists and runs image"):
        ContainerManager(api, params(image="devops-test/registry:latest"), check_mode=True).run()
    result = ContainerManager(daemon_with(container, IMAGE), params(image="devops-test/registry:latest", recreate=True),
                              check_mode=True).run()
    assert result["changed"] is True
    other = {**IMAGE, "Id": "sha256:" + "d" * 64}
    result = ContainerManager(daemon_with(container, other), params(image="devops-test/registry:latest"),
                              check_mode=True, replace_other_image=True).run()
    assert result["changed"] is True
    assert result["diff"]["before"]["image"].startswith("devops-test/busybox:latest")


def test_paused_for_a_stopped_container_fails():
    container = daemon_create(params())
    container["State"] = {"Status": "exited"}
    with pytest.raises(DockerError, match="only a running container can be paused"):
        ContainerManager(daemon_with(container, IMAGE), params(state="paused"), check_mode=True).run()


def test_yaml_booleans_in_string_maps_become_true_and_false():
    """The one boolean rule: labels and env values written as YAML booleans are 'true'/'false' everywhere."""
    parsed = Desired(params(env={"FLAG": True}, labels={"on": False})).parsed
    assert parsed["env"] == {"FLAG": "true"}
    assert parsed["labels"] == {"on": "false"}
