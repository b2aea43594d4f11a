# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Compose loader against the specification's rules, on project files kept in
fixtures/compose/: merge (sequences, unique keys, !reset, !override), extends (other files, chains,
relative paths, cycles), include (own project directory and env file, conflicts), interpolation of the
variables the spec defines, secrets and configs, and every key that cannot be honoured in one message."""

from __future__ import annotations

import os
import re
import time

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose import _build, _files
from ansible_collections.devops.docker.plugins.module_utils._compose._parallel import run_graph
from ansible_collections.devops.docker.plugins.module_utils._compose._project import build_project, load_project
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "compose")


def _load(folder: str, **kwargs):
    kwargs.setdefault("os_env", {})
    return load_project(project_src=os.path.join(FIXTURES, folder), **kwargs)


# ---------------------------------------------------------------- merge
def test_merge_rules_and_tags():
    project = _load("merge", project_name="shop")
    app = project.services["app"]
    assert "old" not in project.services  # old: !reset
    assert app["command"] == ["serve", "--verbose"]  # a command is replaced
    assert app["container"]["dns"] == ["10.0.0.1", "10.0.0.2"]  # a sequence appends
    assert [p["published"] for p in app["ports"]] == [18443]  # ports: !override
    assert [(v["source"], v["target"]) for v in app["volumes"]] == [
        (os.path.join(FIXTURES, "merge", "static"), "/srv/static"), ("other", "/var/cache"),
    ]  # volumes merge by target: the override's volume replaces the base's one
    assert app["environment"] == {"MODE": "override", "KEEP": "yes"}  # DROP_ME: !reset
    assert app["labels"] == {"tier": "front", "owner": "platform"}  # list and mapping syntax merge by key
    assert app["healthcheck"]["test"] == ["CMD", "false"]
    assert app["healthcheck"]["interval"] == 30.0  # the rest of the healthcheck mapping is kept
    assert app["cap_add"] == ["NET_ADMIN", "SYS_TIME"]  # unique values
    assert app["expose"] == []


def test_reset_without_a_base_removes_the_key():
    project = build_project({"services": {"a": {"image": "x"}}}, "/p", {}, "p")
    assert project.services["a"]["ports"] == []


# ---------------------------------------------------------------- extends
def test_extends_other_file_chain_and_relative_paths():
    project = _load("extends")
    common = os.path.join(FIXTURES, "extends", "common")
    web = project.services["web"]
    assert web["image"] == "shop/base:1"  # from base, two levels up
    assert web["build"]["context"] == os.path.join(common, "app")  # relative to the extended file
    assert web["volumes"][0]["source"] == os.path.join(common, "conf")
    assert web["env_file"] == [os.path.join(common, "webapp.env")]
    assert web["environment"] == {"FROM_FILE": "yes", "ROLE": "web", "LEVEL": "1"}
    worker = project.services["worker"]  # extends a service of its own file that extends another file
    assert worker["command"] == ["work"]
    assert worker["environment"]["ROLE"] == "web"
    assert "loop-a" not in project.services


def test_extends_cycle_is_named():
    with pytest.raises(ComposeError, match=r"circular reference .*a .*-> b .*-> c .*-> a"):
        _load("extends", files=["cycle.yaml"])


def test_extends_missing_service():
    doc = {"services": {"a": {"extends": "nope", "image": "x"}}}
    with pytest.raises(ComposeError, match="service 'nope' is not defined"):
        load_project(definition=doc, project_src="/tmp", os_env={})


# ---------------------------------------------------------------- include
def test_include_own_directory_and_env_file():
    project = _load("include", os_env={"PROXY_TAG": "2"})
    root = os.path.join(FIXTURES, "include")
    assert project.name == "shop"
    assert project.services["proxy"]["image"] == "shop/proxy:2"
    api = project.services["api"]
    assert api["image"] == "shop/api:from-backend-dotenv"  # the included project's own .env
    assert api["volumes"][0]["source"] == os.path.join(root, "backend", "data")  # relative to its own folder
    assert project.secrets["token"]["data"] == b"s3cr3t\n"
    ui = project.services["ui"]
    assert ui["image"] == "shop/ui:from-front-env"  # env_file of the include entry
    assert ui["labels"] == {"project": "shop"}  # COMPOSE_PROJECT_NAME is set for interpolation
    assert project.order() == ["api", "ui", "proxy"]


def test_include_conflict_is_an_error():
    with pytest.raises(ComposeError, match="services.api from .* is also defined by the including project"):
        _load("include", files=["conflict.yaml"])


# ---------------------------------------------------------------- interpolation and variables
@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "shop-api"),
        ({"COMPOSE_PROJECT_NAME": "fromenv"}, "fromenv-api"),
    ],
)
def test_project_name_precedence(env, expected):
    doc = {"name": "shop", "services": {"api": {"image": "x", "labels": {"n": "${COMPOSE_PROJECT_NAME}-api"}}}}
    project = load_project(definition=doc, project_src="/tmp", os_env=env)
    assert project.services["api"]["labels"]["n"] == expected


def test_project_name_option_wins_and_profiles_from_env():
    doc = {"name": "shop", "services": {"api": {"image": "x"}, "debug": {"image": "x", "profiles": ["dev"]}}}
    project = load_project(definition=doc, project_src="/tmp", project_name="Given", os_env={"COMPOSE_PROFILES": "dev"})
    assert project.name == "given"
    assert sorted(project.services) == ["api", "debug"]


def test_cycle_through_a_disabled_profile_is_not_a_cycle():
    doc = {"services": {
        "a": {"image": "x", "depends_on": {"b": {"condition": "service_started", "required": False}}},
        "b": {"image": "x", "profiles": ["debug"], "depends_on": ["a"]},
    }}
    project = build_project(doc, "/p", {}, "p")
    assert list(project.services) == ["a"]
    with pytest.raises(ComposeError, match="dependency cycle"):
        build_project(doc, "/p", {}, "p", profiles=["debug"])


# ---------------------------------------------------------------- secrets and configs
def test_secrets_and_configs(tmp_path, monkeypatch):
    monkeypatch.setenv(_files.STATE_ENV, str(tmp_path))
    project = _load("secrets", os_env={"SHOP_API_KEY": "k-123"}, project_name="shop")
    db = project.services["db"]
    assert db["secrets"] == [
        {"source": "db_password", "target": "/run/secrets/db_password", "uid": None, "gid": None, "mode": 0o444},
        {"source": "api_key", "target": "/etc/api/key", "uid": "999", "gid": "999", "mode": 0o440},
    ]
    assert [c["target"] for c in db["configs"]] == ["/site", "/etc/inline.conf"]
    assert project.secrets["api_key"]["data"] == b"k-123"
    assert project.configs["site"]["data"] == b"server_name shop.local;\n"
    mounts = _files.file_mounts("shop", "db", db)
    assert all(m.endswith(":ro") and m.startswith(str(tmp_path)) for m in mounts)
    assert _files.files_differ("shop", "db", db, project.secrets, project.configs)
    if os.geteuid() == 0:
        assert _files.write_files("shop", "db", db, project.secrets, project.configs)
        assert not _files.files_differ("shop", "db", db, project.secrets, project.configs)
        assert not _files.write_files("shop", "db", db, project.secrets, project.configs)
        key = _files.mount_path("shop", "db", "secrets", db["secrets"][1])
        info = os.stat(key)
        assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (999, 999, 0o440)


def test_secret_from_missing_variable():
    with pytest.raises(ComposeError, match="SHOP_API_KEY is not set"):
        _load("secrets", os_env={})


def test_external_secret_in_use_is_an_error():
    doc = {"services": {"a": {"image": "x", "secrets": ["s"]}}, "secrets": {"s": {"external": True}}}
    with pytest.raises(ComposeError, match="exist only in a Swarm"):
        build_project(doc, "/p", {}, "p")


# ---------------------------------------------------------------- service keys
def test_service_keys_become_container_options():
    svc = {
        "image": "x", "platform": "linux/amd64", "sysctls": ["net.core.somaxconn=1024"],
        "ulimits": {"nproc": 512, "nofile": {"soft": 1024, "hard": 2048}}, "devices": ["/dev/null:/dev/mynull:rw"],
        "shm_size": "64m", "dns": "1.1.1.1", "dns_search": ["example.org"], "dns_opt": ["ndots:2"],
        "security_opt": ["no-new-privileges:true"], "pid": "host", "ipc": "shareable", "uts": "host",
        "cgroup_parent": "machine.slice", "storage_opt": {"size": "1G"}, "mac_address": "02:42:ac:11:00:09",
        "domainname": "example.org", "group_add": ["audio"], "oom_score_adj": 100, "pids_limit": 64,
        "cpu_shares": 512, "cpu_quota": 50000, "cpu_period": 100000, "cpuset": "0", "mem_reservation": "32m",
        "memswap_limit": "256m", "mem_swappiness": 10, "blkio_config": {"weight": 300, "device_read_bps": [{"path": "/dev/sda", "rate": "1mb"}]},
        "gpus": "all", "oom_kill_disable": True,
    }
    c = build_project({"services": {"a": svc}}, "/p", {}, "p").services["a"]["container"]
    assert c["sysctls"] == {"net.core.somaxconn": "1024"}
    assert c["ulimits"] == ["nofile=1024:2048", "nproc=512"]
    assert c["devices"] == ["/dev/null:/dev/mynull:rw"]
    assert c["shm_size"] == str(64 * 1024 * 1024)
    assert c["dns"] == ["1.1.1.1"] and c["dns_opts"] == ["ndots:2"]
    assert c["security_opts"] == ["no-new-privileges:true"]
    assert (c["pid_mode"], c["ipc_mode"], c["uts"]) == ("host", "shareable", "host")
    assert c["groups"] == ["audio"] and c["cpuset_cpus"] == "0" and c["memory_swappiness"] == 10
    assert c["blkio_weight"] == 300 and c["device_read_bps"] == [{"path": "/dev/sda", "rate": "1mb"}]
    assert c["device_requests"] == [{"driver": "nvidia", "count": -1, "capabilities": [["gpu"]]}]
    assert c["oom_killer"] is True


def test_service_references_are_dependencies():
    doc = {"services": {
        "a": {"image": "x"},
        "b": {"image": "x", "volumes_from": ["a:ro"], "network_mode": "service:a", "ipc": "service:a"},
    }}
    project = build_project(doc, "/p", {}, "p")
    b = project.services["b"]
    assert b["depends_on"]["a"]["condition"] == "service_started"
    assert b["refs"]["volumes_from"] == [{"service": "a", "mode": "ro"}]
    assert b["refs"]["network_mode"] == "a" and b["refs"]["ipc_mode"] == "a"
    assert project.order() == ["a", "b"]


@pytest.mark.parametrize(
    "policy, every",
    [("daily", 86400.0), ("weekly", 604800.0), ("every_12h", 43200.0), ("every_1h30m", 5400.0), ("every_90", 90.0)],
)
def test_pull_policy_intervals(policy, every):
    svc = build_project({"services": {"a": {"image": "x", "pull_policy": policy}}}, "/p", {}, "p").services["a"]
    assert (svc["pull_policy"], svc["pull_every"]) == ("every", every)


def test_pull_times(tmp_path, monkeypatch):
    monkeypatch.setenv(_files.STATE_ENV, str(tmp_path))
    assert _build.pull_due("x:1", 60)
    _build.record_pull("x:1", now=1000.0)
    assert not _build.pull_due("x:1", 60, now=1030.0)
    assert _build.pull_due("x:1", 60, now=1061.0)


def test_develop_and_swarm_keys_warn():
    doc = {"services": {"a": {"image": "x", "develop": {"watch": []}, "deploy": {"placement": {"constraints": ["x"]}}}}}
    project = build_project(doc, "/p", {}, "p")
    assert any("docker compose watch" in w for w in project.warnings)
    assert any("placement" in w and "Swarm" in w for w in project.warnings)


def test_every_unsupported_key_in_one_message():
    doc = {"services": {
        "a": {"image": "x", "cpu_count": 1, "credential_spec": {}},
        "b": {"image": "x", "build": {"context": ".", "additional_contexts": {"x": "."}}, "bogus": 1},
    }}
    with pytest.raises(ComposeError) as exc:
        build_project(doc, "/p", {}, "p")
    message = str(exc.value)
    for key in ("services.a.cpu_count", "services.a.credential_spec", "services.b.build.additional_contexts", "services.b.bogus"):
        assert key in message
    assert message.startswith("4 keys")


def test_build_keys_of_the_classic_builder_and_link_local_ips():
    project = _load("build_keys")
    app = project.services["app"]
    assert app["build"]["tags"] == ["shop/app:latest", "registry.local:5000/shop/app:1"]  # each name once
    # an image name as it is, and a registry cache by its ref: the classic builder's cachefrom
    assert app["build"]["cache_from"] == ["shop/app:cache", "registry.local:5000/shop/app:buildcache"]
    assert app["build"]["extra_hosts"] == {"mirror.local": "10.0.0.5", "proxy.local": "10.0.0.6"}
    assert app["networks"]["back"]["link_local_ips"] == ["169.254.10.5", "169.254.10.6"]
    # not written: not in the normalized build, so a project written before these keys keeps its config hash
    assert not {"tags", "cache_from", "extra_hosts"} & set(project.services["plain"]["build"])
    assert "link_local_ips" not in project.services["plain"]["networks"]["default"]


def test_buildkit_keys_are_one_error_naming_key_service_and_what_to_do():
    with pytest.raises(ComposeError) as exc:
        _load("build_keys", files=[os.path.join(FIXTURES, "build_keys", "buildkit.yaml")])
    message = str(exc.value)
    for key in ("services.app.build.ssh", "services.app.build.secrets", "services.app.build.cache_to",
                "services.worker.build.additional_contexts", "services.worker.build.cache_from[1] (a type=local cache"):
        assert key in message
    assert "services.worker.build.cache_from[0]" not in message  # an image name is fine
    assert message.startswith("5 keys")
    assert message.count("needs BuildKit") == 5 and "docker buildx build" in message and "pull_policy: never" in message


@pytest.mark.parametrize("tags, fragment", [
    (["shop/app@sha256:" + "a" * 64], "has a digest"),
    (["Shop/App"], "tags[0]"),
    ("", "tags[0]"),
])
def test_build_tags_errors(tags, fragment):
    doc = {"services": {"a": {"image": "x", "build": {"context": ".", "tags": tags}}}}
    with pytest.raises(ComposeError, match=re.escape(fragment)):
        build_project(doc, "/p", {}, "p")


def test_blkio_weight_device_and_throttles_become_container_options():
    blkio = {
        "weight": 300, "weight_device": [{"path": "/dev/sda", "weight": 400}],
        "device_read_bps": [{"path": "/dev/sda", "rate": "1mb"}], "device_write_bps": [{"path": "/dev/sda", "rate": 2048}],
        "device_read_iops": [{"path": "/dev/sda", "rate": 100}], "device_write_iops": [{"path": "/dev/sda", "rate": "200"}],
    }
    c = build_project({"services": {"a": {"image": "x", "blkio_config": blkio}}}, "/p", {}, "p").services["a"]["container"]
    assert c["blkio_weight"] == 300
    assert c["blkio_weight_device"] == [{"path": "/dev/sda", "weight": 400}]
    assert c["device_read_bps"] == [{"path": "/dev/sda", "rate": "1mb"}]
    assert c["device_write_bps"] == [{"path": "/dev/sda", "rate": "2048"}]
    assert c["device_read_iops"] == [{"path": "/dev/sda", "rate": "100"}]
    assert c["device_write_iops"] == [{"path": "/dev/sda", "rate": "200"}]


@pytest.mark.parametrize("entry, fragment", [
    ({"path": "/dev/sda"}, "weight_device[0]"),
    ({"path": "/dev/sda", "weight": 5}, "between 10 and 1000"),
    ({"weight": 500}, "weight_device[0]"),
])
def test_blkio_weight_device_errors(entry, fragment):
    doc = {"services": {"a": {"image": "x", "blkio_config": {"weight_device": [entry]}}}}
    with pytest.raises(ComposeError, match=re.escape(fragment)):
        build_project(doc, "/p", {}, "p")


# ---------------------------------------------------------------- parallel runs
def test_run_graph_order_and_parallelism():
    deps = {"db": [], "cache": [], "api": ["db", "cache"], "web": ["api"]}
    started: dict[str, float] = {}

    def job(name, tracker):
        started[name] = time.monotonic()
        time.sleep(0.2)
        tracker.action("docker", "container", "start", name)
        return name

    tracker = Tracker()
    begin = time.monotonic()
    run_graph(None, ["cache", "db", "api", "web"], lambda n: deps[n], job, tracker)
    assert abs(started["db"] - started["cache"]) < 0.15  # independent: at once
    assert started["api"] >= max(started["db"], started["cache"]) + 0.19
    assert started["web"] >= started["api"] + 0.19
    assert time.monotonic() - begin < 0.8
    assert tracker.actions == [f"docker container start {n}" for n in ("cache", "db", "api", "web")]


def test_run_graph_stops_scheduling_after_an_error():
    ran = []

    def job(name, tracker):
        ran.append(name)
        tracker.action("x", name)
        if name == "a":
            raise ComposeError("boom")

    tracker = Tracker()
    with pytest.raises(ComposeError, match="boom"):
        run_graph(None, ["a", "b"], lambda n: ["a"] if n == "b" else [], job, tracker)
    assert ran == ["a"]
    assert tracker.actions == ["x a"]
