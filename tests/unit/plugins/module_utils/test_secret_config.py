# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Swarm secrets and configs against a fake manager: fingerprints, rolling versions, cleanup, redaction."""

from __future__ import annotations

import base64
import copy
import json
import os

import pytest

from ansible_collections.devops.docker.plugins.module_utils._swarm import _secret_config as sc
from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

VALUE = "s3cr3t-Pa55word"


class FakeManager:
    """A swarm manager holding secrets/configs and services; records every write."""

    timeout = 60
    base_url = "unix:///fake.sock"
    scheme = "unix"
    socket_path = "/fake.sock"

    def __init__(self, endpoint="/secrets", objects=(), services=()):
        self.endpoint = endpoint
        self.objects = {o["ID"]: copy.deepcopy(o) for o in objects}
        self.services = list(services)
        self.writes = []
        self.seq = 0

    @staticmethod
    def url(path, *args):
        return path.format(*args)

    def get(self, path, params=None, **_kw):
        if path == "/info":
            return {"Swarm": {"LocalNodeState": "active", "ControlAvailable": True}}
        if path == "/services":
            return copy.deepcopy(self.services)
        if path == self.endpoint:
            wanted = ((params or {}).get("filters") or {}).get("name", [""])[0]
            return [copy.deepcopy(o) for o in self.objects.values() if o["Spec"]["Name"].startswith(wanted)]
        raise AssertionError(f"unexpected GET {path}")

    def get_or_none(self, path, params=None):
        ident = path.rsplit("/", 1)[1]
        found = self.objects.get(ident) or next((o for o in self.objects.values() if o["Spec"]["Name"] == ident), None)
        return copy.deepcopy(found)

    def post(self, path, params=None, body=None, **_kw):
        self.writes.append(("POST", path, copy.deepcopy(body)))
        assert path == self.endpoint + "/create"
        self.seq += 1
        ident = f"id{self.seq}"
        spec = dict(body)
        if self.endpoint == "/secrets":
            spec.pop("Data")
        self.objects[ident] = {"ID": ident, "Version": {"Index": 1}, "Spec": spec}
        return {"ID": ident}

    def request(self, method, path, params=None, body=None, **_kw):
        self.writes.append((method, path, copy.deepcopy(body)))
        ident = path.split("/")[2]
        self.objects[ident]["Spec"] = copy.deepcopy(body)

        class _Done:
            @staticmethod
            def read():
                return b""

        return _Done()

    def delete(self, path, params=None, **_kw):
        self.writes.append(("DELETE", path, None))
        del self.objects[path.rsplit("/", 1)[1]]


class FakeModule:
    def __init__(self, api, check_mode=False, **params):
        base = {
            "name": "dt-pass", "state": "present", "data": None, "data_is_b64": False, "data_src": None,
            "labels": None, "force": False, "rolling_versions": False, "versions_to_keep": 5,
            "fingerprint_key_file": None, "template_driver": None,
        }
        base.update(params)
        self.params = base
        self.api = api
        self.check_mode = check_mode
        self.diff_mode = True
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "fingerprint.key"
    monkeypatch.setenv("DEVOPS_DOCKER_FINGERPRINT_KEY_FILE", str(path))
    from ansible_collections.devops.docker.plugins.module_utils import _fingerprint

    monkeypatch.setattr(_fingerprint, "_KEY_CACHE", {})
    return path


def run(api, kind=sc.SECRET, check_mode=False, **params):
    module = FakeModule(api, check_mode=check_mode, **params)
    return sc.SecretConfigManager(module, kind).run(), module


def dump(result):
    return json.dumps(result, sort_keys=True)


def test_create_then_idempotent_and_value_never_in_result():
    api = FakeManager()
    result, _m = run(api, data=VALUE, labels={"app": "x"})
    assert result["changed"] and result["secret_name"] == "dt-pass"
    assert result["actions"] == ["docker secret create --label app=x --label 'devops.docker.fingerprint=********' dt-pass -"]
    created = api.writes[0][2]
    assert base64.b64decode(created["Data"]).decode() == VALUE
    stored = created["Labels"][sc.FINGERPRINT_LABEL]
    assert stored.startswith("hmac-sha256:v1:") and VALUE not in stored
    assert VALUE not in dump(result)
    again, _m = run(api, data=VALUE, labels={"app": "x"})
    assert not again["changed"] and again["actions"] == []
    assert len(api.writes) == 1


def test_check_mode_predicts_and_touches_nothing():
    api = FakeManager()
    result, _m = run(api, check_mode=True, data=VALUE)
    assert result["changed"] and api.writes == [] and api.objects == {}
    assert result["diff"]["after"]["secret:dt-pass"]["data"] == "********"


def test_changed_value_replaces_unused_secret():
    api = FakeManager()
    run(api, data=VALUE)
    result, _m = run(api, data=VALUE + "2")
    assert result["changed"]
    assert [w[0] for w in api.writes] == ["POST", "DELETE", "POST"]
    assert result["actions"][0] == "docker secret rm dt-pass"
    assert VALUE not in dump(result)


def test_changed_value_of_secret_in_use_fails_before_any_change():
    api = FakeManager()
    run(api, data=VALUE)
    ident = next(iter(api.objects))
    api.services = [{"ID": "s1", "Spec": {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Secrets": [{"SecretID": ident}]}}}}]
    with pytest.raises(DockerError, match="rolling_versions") as err:
        run(api, data="other")
    assert "web" in err.value.msg
    assert len(api.writes) == 1


def test_rolling_versions_new_version_and_cleanup_waits_for_users():
    api = FakeManager()
    first, _m = run(api, data="a", rolling_versions=True, versions_to_keep=1)
    assert first["secret_name"] == "dt-pass_v1"
    v1 = first["secret_id"]
    api.services = [{"ID": "s1", "Spec": {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Secrets": [{"SecretID": v1}]}}}}]
    second, _m = run(api, data="b", rolling_versions=True, versions_to_keep=1)
    assert second["secret_name"] == "dt-pass_v2" and second["in_use"] == ["dt-pass_v1"] and second["removed"] == []
    assert api.objects[second["secret_id"]]["Spec"]["Labels"][sc.VERSION_LABEL] == "2"
    # the service moved on: the next run removes v1 (a change), the one after is quiet
    api.services = [{"ID": "s1", "Spec": {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Secrets": [{"SecretID": second["secret_id"]}]}}}}]
    third, _m = run(api, data="b", rolling_versions=True, versions_to_keep=1)
    assert third["changed"] and third["removed"] == ["dt-pass_v1"] and third["secret_name"] == "dt-pass_v2"
    fourth, _m = run(api, data="b", rolling_versions=True, versions_to_keep=1)
    assert not fourth["changed"]
    assert sorted(o["Spec"]["Name"] for o in api.objects.values()) == ["dt-pass_v2"]


@pytest.mark.parametrize("keep, expected", [(-1, []), (0, ["a_v1", "a_v2"]), (1, ["a_v1", "a_v2"]), (2, ["a_v1"]), (5, [])])
def test_plan_cleanup(keep, expected):
    remove, busy = sc.plan_cleanup([(2, "a_v2"), (1, "a_v1"), (3, "a_v3")], keep, set())
    assert remove == expected and busy == []


def test_plan_cleanup_keeps_busy():
    assert sc.plan_cleanup([(1, "a_v1"), (2, "a_v2"), (3, "a_v3")], 1, {"a_v1"}) == (["a_v2"], ["a_v1"])


def test_version_of_only_counts_own_versions():
    assert sc.version_of({"Spec": {"Name": "db_v12"}}, "db") == 12
    assert sc.version_of({"Spec": {"Name": "db_main_v1"}}, "db") is None
    assert sc.version_of({"Spec": {"Name": "db"}}, "db") is None


def test_unknown_secret_is_kept_with_warning_unless_force():
    api = FakeManager(objects=[{"ID": "x1", "Spec": {"Name": "dt-pass", "Labels": {}}}])
    result, module = run(api, data=VALUE)
    assert not result["changed"] and module.warnings
    forced, _m = run(api, data=VALUE, force=True)
    assert forced["changed"] and [w[0] for w in api.writes] == ["DELETE", "POST"]


def test_labels_change_in_place():
    api = FakeManager()
    run(api, data=VALUE, labels={"a": "1"})
    result, _m = run(api, data=VALUE, labels={"a": "2"})
    assert result["changed"] and api.writes[-1][0] == "POST" and "/update" in api.writes[-1][1]
    labels = api.writes[-1][2]["Labels"]
    assert labels["a"] == "2" and labels[sc.FINGERPRINT_LABEL].startswith("hmac-sha256:")
    assert result["diff"] == {"before": {"secret:dt-pass.labels": {"a": "1"}}, "after": {"secret:dt-pass.labels": {"a": "2"}}}


def test_config_compares_data_and_hides_it():
    api = FakeManager(endpoint="/configs")
    result, _m = run(api, kind=sc.CONFIG, data="hello", template_driver="golang")
    assert result["changed"] and sc.FINGERPRINT_LABEL not in api.writes[0][2]["Labels"]
    assert api.writes[0][2]["Templating"] == {"Name": "golang"}
    assert "Data" not in result["config"]["Spec"]
    same, _m = run(api, kind=sc.CONFIG, data="hello", template_driver="golang")
    assert not same["changed"]
    other, _m = run(api, kind=sc.CONFIG, data="hello")
    assert other["changed"]  # templating removed: a new config


def test_data_sources(tmp_path):
    src = tmp_path / "value"
    src.write_bytes(b"\x00\x01binary")
    assert sc.read_data({"data_src": str(src)}) == b"\x00\x01binary"
    assert sc.read_data({"data": base64.b64encode(b"\x00x").decode(), "data_is_b64": True}) == b"\x00x"
    with pytest.raises(SpecError) as err:
        sc.read_data({"data": "not base64!" + VALUE, "data_is_b64": True})
    assert VALUE not in str(err.value)
    with pytest.raises(SpecError, match="cannot read"):
        sc.read_data({"data_src": str(tmp_path / "missing")})


def test_shared_key_file_must_exist_and_gives_same_fingerprint_everywhere(tmp_path):
    shared = tmp_path / "shared.key"
    with pytest.raises(SpecError, match="copy the same file"):
        sc.load_key(str(shared))
    shared.write_bytes(os.urandom(32))
    shared.chmod(0o600)
    api = FakeManager()
    run(api, data=VALUE, fingerprint_key_file=str(shared))
    # another manager (another per-host key) with the same shared file: no change
    from ansible_collections.devops.docker.plugins.module_utils import _fingerprint

    _fingerprint._KEY_CACHE.clear()
    again, _m = run(api, data=VALUE, fingerprint_key_file=str(shared))
    assert not again["changed"]
    # without the shared key, the host key does not match: reads as changed
    other, _m = run(api, data=VALUE)
    assert other["changed"]


def test_absent_removes_all_versions_and_refuses_in_use():
    api = FakeManager()
    run(api, data="a", rolling_versions=True)
    run(api, data="b", rolling_versions=True)
    ids = list(api.objects)
    api.services = [{"ID": "s", "Spec": {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Secrets": [{"SecretID": ids[1]}]}}}}]
    with pytest.raises(DockerError, match="in use"):
        run(api, state="absent", rolling_versions=True)
    api.services = []
    result, _m = run(api, state="absent", rolling_versions=True)
    assert sorted(result["removed"]) == ["dt-pass_v1", "dt-pass_v2"] and api.objects == {}


def test_reserved_labels_refused():
    with pytest.raises(SpecError, match="belong to devops.docker"):
        run(FakeManager(), data="x", labels={sc.FINGERPRINT_LABEL: "forged"})


@pytest.mark.parametrize("name", ["", "-bad", "bad name", "x" * 65])
def test_bad_names_refused(name):
    with pytest.raises(SpecError, match="name"):
        run(FakeManager(), data="x", name=name)


def test_labels_exclusive_false_is_community_dockers_comparison():
    # community.docker's examples: "Add a new label" (two: '2'), then "No change" without it.
    api = FakeManager()
    run(api, data=VALUE, labels={"bar": "baz", "one": "1"})
    added, _m = run(api, data=VALUE, labels={"bar": "baz", "one": "1", "two": "2"}, labels_exclusive=False)
    assert added["changed"]
    same, _m = run(api, data=VALUE, labels={"bar": "baz", "one": "1"}, labels_exclusive=False)
    assert not same["changed"]
    unset, _m = run(api, data=VALUE, labels_exclusive=False)
    assert not unset["changed"]
    (obj,) = api.objects.values()
    assert {k: v for k, v in obj["Spec"]["Labels"].items() if k not in sc.INTERNAL_LABELS} == {"bar": "baz", "one": "1", "two": "2"}
    changed, _m = run(api, data=VALUE, labels={"bar": "monkey"}, labels_exclusive=False)
    assert changed["changed"]
    assert changed["diff"]["after"] == {"secret:dt-pass.labels": {"bar": "monkey", "one": "1", "two": "2"}}
    (obj,) = api.objects.values()
    assert obj["Spec"]["Labels"]["bar"] == "monkey" and obj["Spec"]["Labels"]["two"] == "2"
    assert obj["Spec"]["Labels"][sc.FINGERPRINT_LABEL].startswith("hmac-sha256:")
    # The default (exclusive): the label the task drops is removed.
    strict, _m = run(api, data=VALUE, labels={"bar": "monkey"})
    assert strict["changed"]
