# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of docker login/logout planning: registry keys, config.json
handling, credential helpers, check mode and idempotency (fake daemon)."""

from __future__ import annotations

import json
import os
import stat
import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._login import (
    DOCKER_HUB,
    LoginManager,
    decode_auth,
    encode_auth,
    registry_key,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon, FakeModule, manager_for


@pytest.mark.parametrize(
    "value, expected",
    [
        ("localhost:5001", "localhost:5001"),
        ("http://localhost:5001/", "localhost:5001"),
        ("https://Registry.Example.com/v2/", "registry.example.com"),
        ("registry.example.com:5000", "registry.example.com:5000"),
        ("127.0.0.1:15300", "127.0.0.1:15300"),
        ("docker.io", DOCKER_HUB),
        ("https://index.docker.io/v1/", DOCKER_HUB),
        ("registry-1.docker.io", DOCKER_HUB),
    ],
)
def test_registry_key(value: str, expected: str) -> None:
    assert registry_key(value) == expected


@pytest.mark.parametrize("value", ["", "ftp://host", "http://user:pw@host", "ho st", "host:99999", "-host"])
def test_registry_key_bad(value: str) -> None:
    with pytest.raises(SpecError, match="registry_url"):
        registry_key(value)


@pytest.mark.parametrize(
    "entry, expected",
    [
        ({"auth": encode_auth("alice", "p:w")}, ("alice", "p:w")),
        ({"auth": encode_auth("bob", "")}, ("bob", "")),
        ({"username": "carol", "password": "x"}, ("carol", "x")),
        ({}, None),
        ({"auth": "!!!notbase64"}, None),
        ("junk", None),
    ],
)
def test_decode_auth(entry: t.Any, expected: t.Any) -> None:
    assert decode_auth(entry) == expected


FAILURES = {
    "auth": APIError(500, "login attempt to http://x/v2/ failed with status: 401 Unauthorized", "POST", "/auth"),
    "down": APIError(500, 'Get "http://x/v2/": dial tcp: connect: connection refused', "POST", "/auth"),
}
LOGIN_DEFAULTS = {"registry_url": DOCKER_HUB, "username": None, "password": None, "state": "present",
                  "config_path": None, "reauthorize": False}


def run(tmp_path: t.Any, check_mode: bool = False, fail: str | None = None, **params: t.Any) -> tuple[dict[str, t.Any], FakeModule]:
    """The login manager built as login's main() builds it (credential helpers run with _login.run_command)."""
    params.setdefault("config_path", str(tmp_path / "docker" / "config.json"))
    api = FakeDaemon(answers={("POST", "/auth"): FAILURES[fail] if fail else {"Status": "Login Succeeded"}})
    module = FakeModule(api, {**LOGIN_DEFAULTS, **params}, check_mode=check_mode)
    return manager_for(LoginManager, module).run(), module


def read(tmp_path: t.Any) -> dict[str, t.Any]:
    with open(tmp_path / "docker" / "config.json", encoding="utf-8") as handle:
        return json.load(handle)


def test_login_cycle(tmp_path: t.Any) -> None:
    args = {"registry_url": "http://localhost:5001", "username": "alice", "password": "s3cret"}
    res, mod = run(tmp_path, check_mode=True, **args)
    assert res["changed"] and not (tmp_path / "docker").exists()
    assert len(mod.api.calls) == 1  # the credentials are checked in check mode too
    assert res["actions"] == [
        f"docker --config {tmp_path / 'docker'} login --username alice --password-stdin localhost:5001"
    ]
    res, mod = run(tmp_path, **args)
    assert res["changed"] and res["registry"] == "localhost:5001"
    assert read(tmp_path) == {"auths": {"localhost:5001": {"auth": encode_auth("alice", "s3cret")}}}
    assert stat.S_IMODE(os.stat(tmp_path / "docker" / "config.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "docker").st_mode) == 0o700
    assert "s3cret" not in json.dumps(res)
    res, mod = run(tmp_path, **args)
    assert not res["changed"] and res["actions"] == [] and mod.api.calls == []  # registry not contacted
    res, mod = run(tmp_path, reauthorize=True, **args)
    assert not res["changed"] and len(mod.api.calls) == 1
    # a new password is a change, shown without the password
    res, mod = run(tmp_path, **{**args, "password": "n3w"})
    assert res["changed"] and "n3w" not in json.dumps(res) and "s3cret" not in json.dumps(res)
    assert res["diff"]["after"]["password"] == "(new, hidden)"
    assert decode_auth(read(tmp_path)["auths"]["localhost:5001"]) == ("alice", "n3w")
    # logout: check, real, again
    res, _mod = run(tmp_path, check_mode=True, registry_url="localhost:5001", state="absent")
    assert res["changed"] and "localhost:5001" in read(tmp_path)["auths"]
    res, _mod = run(tmp_path, registry_url="localhost:5001", state="absent")
    assert res["changed"] and res["actions"] == [f"docker --config {tmp_path / 'docker'} logout localhost:5001"]
    assert read(tmp_path) == {"auths": {}}
    res, _mod = run(tmp_path, registry_url="localhost:5001", state="absent")
    assert not res["changed"]


def test_keeps_other_keys_and_replaces_variants(tmp_path: t.Any) -> None:
    (tmp_path / "docker").mkdir()
    original = {
        "auths": {"https://localhost:5001": {"auth": encode_auth("old", "pw")}, "other.example.com": {"auth": "eDp5"}},
        "psFormat": "table {{.Names}}",
    }
    (tmp_path / "docker" / "config.json").write_text(json.dumps(original))
    res, _mod = run(tmp_path, registry_url="localhost:5001", username="alice", password="pw")
    assert res["changed"] and res["diff"]["before"]["username"] == "old"
    data = read(tmp_path)
    assert data["psFormat"] == "table {{.Names}}"
    assert data["auths"] == {"other.example.com": {"auth": "eDp5"}, "localhost:5001": {"auth": encode_auth("alice", "pw")}}


@pytest.mark.parametrize("fail, fragment", [("auth", "authentication failed for alice at localhost:5001"),
                                            ("down", "Cannot log in to localhost:5001")])
def test_failure_writes_nothing(tmp_path: t.Any, fail: str, fragment: str) -> None:
    with pytest.raises(DockerError) as exc:
        run(tmp_path, fail=fail, registry_url="localhost:5001", username="alice", password="wrong-pw")
    assert fragment in exc.value.msg and "wrong-pw" not in exc.value.msg
    assert not (tmp_path / "docker").exists()


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"username": "alice"}, "both are required"),
        ({"registry_url": "ftp://x", "username": "a", "password": "b"}, "registry_url"),
    ],
)
def test_bad_input(tmp_path: t.Any, params: dict[str, str], fragment: str) -> None:
    with pytest.raises(DockerError, match=fragment):
        run(tmp_path, **params)


def test_broken_config(tmp_path: t.Any) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text("{not json")
    with pytest.raises(DockerError, match="is not valid JSON"):
        run(tmp_path, registry_url="localhost:5001", username="a", password="b")


HELPER = """#!/bin/sh
store={store}
action=$1
input=$(cat)
case $action in
  store) printf '%s' "$input" > "$store" ;;
  get) if [ -s "$store" ]; then cat "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$store" ;;
esac
"""


def test_credential_helper(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    store = tmp_path / "store.json"
    helper = bindir / "docker-credential-dtfake"
    helper.write_text(HELPER.format(store=store))
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(json.dumps({"credsStore": "dtfake"}))
    args = {"registry_url": "localhost:5001", "username": "alice", "password": "s3cret"}
    res, _mod = run(tmp_path, **args)
    assert res["changed"] and res["credential_helper"] == "dtfake"
    assert json.loads(store.read_text()) == {"ServerURL": "localhost:5001", "Username": "alice", "Secret": "s3cret"}
    assert read(tmp_path) == {"credsStore": "dtfake", "auths": {"localhost:5001": {}}}
    res, mod = run(tmp_path, **args)
    assert not res["changed"] and mod.api.calls == []
    res, _mod = run(tmp_path, registry_url="localhost:5001", state="absent")
    assert res["changed"] and not store.exists() and read(tmp_path)["auths"] == {}


def test_missing_helper(tmp_path: t.Any) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(json.dumps({"credHelpers": {"localhost:5001": "dt-nonexistent"}}))
    with pytest.raises(DockerError, match="docker-credential-dt-nonexistent is not on PATH"):
        run(tmp_path, registry_url="localhost:5001", username="a", password="b")
