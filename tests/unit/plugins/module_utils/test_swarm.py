# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import (
    _pool_list,
    apply_settings,
    init_spec,
    node_differences,
    normalize_addr,
    parse_settings,
    settings_cli,
    settings_differences,
    swarm_summary,
)

SPEC = {
    "Name": "default",
    "Labels": {"a": "1"},
    "Orchestration": {"TaskHistoryRetentionLimit": 5},
    "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0, "LogEntriesForSlowFollowers": 500, "ElectionTick": 10},
    "Dispatcher": {"HeartbeatPeriod": 5000000000},
    "CAConfig": {"NodeCertExpiry": 7776000000000000},
    "EncryptionConfig": {"AutoLockManagers": False},
}


def settings(**given):
    return parse_settings(given)


@pytest.mark.parametrize("given, keys", [
    ({}, []),
    ({"task_history_retention_limit": 5}, []),
    ({"task_history_retention_limit": 3}, ["task_history_retention_limit"]),
    ({"heartbeat_period": "5s"}, []),
    ({"heartbeat_period": "2s"}, ["heartbeat_period"]),
    ({"node_cert_expiry": "2160h"}, []),
    ({"autolock": False}, []),
    ({"autolock": True}, ["autolock"]),
    ({"labels": {"a": "1"}}, []),
    ({"labels": {}}, ["labels"]),
    ({"labels": {"a": 1}}, []),  # values compared as strings
    ({"snapshot_interval": 10000, "keep_old_snapshots": 1}, ["keep_old_snapshots"]),
    # community.docker's election_tick, heartbeat_tick, ca_force_rotate and name
    ({"election_tick": 10, "name": "default", "ca_force_rotate": 0}, []),
    ({"election_tick": 12}, ["election_tick"]),
    ({"heartbeat_tick": 2}, ["heartbeat_tick"]),
    ({"ca_force_rotate": 1}, ["ca_force_rotate"]),
    ({"name": "other"}, ["name"]),
])
def test_settings_differences(given, keys):
    assert [k for k, _b, _a in settings_differences(SPEC, settings(**given))] == keys


def test_apply_settings_changes_only_given_leaves_and_keeps_the_rest():
    new = apply_settings(SPEC, settings(task_history_retention_limit=2, heartbeat_period="2s"))
    assert new["Orchestration"]["TaskHistoryRetentionLimit"] == 2
    assert new["Dispatcher"]["HeartbeatPeriod"] == 2_000_000_000
    assert new["Raft"] == SPEC["Raft"]
    assert SPEC["Orchestration"]["TaskHistoryRetentionLimit"] == 5  # not mutated


def test_init_spec_holds_only_given_settings():
    assert init_spec(settings(snapshot_interval=100, labels={"x": "y"})) == {"Raft": {"SnapshotInterval": 100}, "Labels": {"x": "y"}}
    assert init_spec(settings()) == {}


def test_settings_cli():
    wanted = settings(task_history_retention_limit=2, heartbeat_period="2s", autolock=True)
    diffs = settings_differences(SPEC, wanted)
    assert settings_cli(wanted, diffs) == [
        "docker", "swarm", "update", "--dispatcher-heartbeat", "2s", "--task-history-limit", "2", "--autolock=true",
    ]


@pytest.mark.parametrize("bad", [{"snapshot_interval": -1}, {"task_history_retention_limit": True}, {"heartbeat_period": "soon"},
                                 {"labels": {"a": None}}, {"labels": "a=b"}])
def test_bad_settings(bad):
    with pytest.raises(SpecError):
        parse_settings(bad)


@pytest.mark.parametrize("addr, expected", [
    ("10.0.0.1", "10.0.0.1:2377"),
    ("10.0.0.1:2400", "10.0.0.1:2400"),
    ("manager.example", "manager.example:2377"),
    ("[::1]", "[::1]:2377"),
    ("[::1]:2400", "[::1]:2400"),
    ("fd00::1", "[fd00::1]:2377"),
])
def test_normalize_addr(addr, expected):
    assert normalize_addr(addr) == expected


def test_pool_list():
    assert _pool_list(["10.20.0.0/16"], "p") == ["10.20.0.0/16"]
    assert _pool_list("10.20.0.0/16", "p") == ["10.20.0.0/16"]
    assert _pool_list(None, "p") is None
    with pytest.raises(SpecError, match="default_addr_pool"):
        _pool_list(["10.20.0.1/16"], "default_addr_pool")


NODE_SPEC = {"Availability": "active", "Role": "worker", "Labels": {"zone": "a", "disk": "ssd"}}


@pytest.mark.parametrize("kwargs, keys, labels", [
    ({}, [], {"zone": "a", "disk": "ssd"}),
    ({"availability": "active"}, [], {"zone": "a", "disk": "ssd"}),
    ({"availability": "drain"}, ["availability"], {"zone": "a", "disk": "ssd"}),
    ({"role": "manager"}, ["role"], {"zone": "a", "disk": "ssd"}),
    ({"labels": {"zone": "a"}}, [], {"zone": "a", "disk": "ssd"}),  # merge keeps the others
    ({"labels": {"zone": "b"}}, ["labels"], {"zone": "b", "disk": "ssd"}),
    ({"labels": {"zone": "a"}, "labels_state": "replace"}, ["labels"], {"zone": "a"}),
    ({"labels_to_remove": ["disk"]}, ["labels"], {"zone": "a"}),
    ({"labels_to_remove": ["nothing"]}, [], {"zone": "a", "disk": "ssd"}),
])
def test_node_differences(kwargs, keys, labels):
    args = {"availability": None, "role": None, "labels": None, "labels_state": "merge", "labels_to_remove": None}
    args.update(kwargs)
    diffs, new, _flags = node_differences(NODE_SPEC, args["availability"], args["role"], args["labels"], args["labels_state"],
                                          args["labels_to_remove"])
    assert [k for k, _b, _a in diffs] == keys
    assert new["Labels"] == labels
    assert NODE_SPEC["Labels"] == {"zone": "a", "disk": "ssd"}


def test_swarm_summary():
    summary = swarm_summary({"Spec": SPEC, "DefaultAddrPool": ["10.0.0.0/8"], "SubnetSize": 24, "DataPathPort": 4789})
    assert summary["task_history_retention_limit"] == 5
    assert summary["autolock"] is False
    assert summary["default_addr_pool"] == ["10.0.0.0/8"]
    assert swarm_summary(None) is None


def test_community_settings_applied_in_the_spec():
    new = apply_settings(SPEC, settings(election_tick=12, heartbeat_tick=2, ca_force_rotate=3))
    assert new["Raft"]["ElectionTick"] == 12 and new["Raft"]["HeartbeatTick"] == 2
    assert new["CAConfig"] == {"NodeCertExpiry": 7776000000000000, "ForceRotate": 3}
    with pytest.raises(SpecError, match="election_tick"):
        parse_settings({"election_tick": -1})


@pytest.mark.parametrize("given, ns", [
    ("2160h", 7776000000000000),
    ("7776000000000000", 7776000000000000),  # community.docker's nanoseconds
    (7776000000000000, 7776000000000000),
    ("3600", 3600 * 10**9),  # a bare number below 10^9: seconds
])
def test_node_cert_expiry_units(given, ns):
    assert parse_settings({"node_cert_expiry": given})["node_cert_expiry"] == ns
