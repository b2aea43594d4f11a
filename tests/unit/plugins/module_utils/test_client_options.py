# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's connection options: DOCKER_* environment variables, DOCKER_CERT_PATH, debug."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.devops.docker.plugins.module_utils import _client
from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule, tls_files


def _module(monkeypatch, args, spec=None):
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
    return DockerModule(argument_spec=spec or {"name": {"type": "str"}}, needs_sdk=False)


def test_cert_path_fills_only_what_is_missing(tmp_path, monkeypatch):
    for name in ("ca.pem", "cert.pem"):
        (tmp_path / name).write_text("x")
    monkeypatch.setenv("DOCKER_CERT_PATH", str(tmp_path))
    assert tls_files({}) == (str(tmp_path / "ca.pem"), str(tmp_path / "cert.pem"), None)
    assert tls_files({"ca_path": "/own/ca.pem"})[0] == "/own/ca.pem"
    monkeypatch.delenv("DOCKER_CERT_PATH")
    assert tls_files({}) == (None, None, None)


def test_environment_variables_are_defaults(monkeypatch):
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
    monkeypatch.setenv("DOCKER_TLS_HOSTNAME", "dt-daemon.example")
    monkeypatch.setenv("DOCKER_TIMEOUT", "7")
    monkeypatch.setenv("DOCKER_API_VERSION", "")  # set but empty: not a value
    module = _module(monkeypatch, {})
    assert module.params["validate_certs"] is True
    assert module.params["tls_hostname"] == "dt-daemon.example"
    assert module.params["timeout"] == 7
    assert module.params["api_version"] == "auto"
    module = _module(monkeypatch, {"timeout": 3, "validate_certs": False})
    assert module.params["timeout"] == 3 and module.params["validate_certs"] is False


def test_debug_logs_actions_and_diff(monkeypatch):
    logged = []
    module = _module(monkeypatch, {"debug": True, "use_ssh_client": True})
    monkeypatch.setattr(module.module, "log", logged.append)
    with pytest.raises(SystemExit):
        module.exit(changed=True, actions=["docker volume create dt-x"], diff={"before": {}, "after": {"name": "dt-x"}})
    assert logged[0] == "devops.docker action: docker volume create dt-x"
    assert '"name": "dt-x"' in logged[1]


def test_a_module_with_its_own_debug_logs_itself(monkeypatch):
    logged = []
    module = _module(monkeypatch, {"debug": True}, {"debug": {"type": "bool", "default": False}})
    monkeypatch.setattr(module.module, "log", logged.append)
    with pytest.raises(SystemExit):
        module.exit(changed=False, actions=["docker network create dt-x"])
    assert not logged


def test_tls_hostname_connection(monkeypatch):
    api = _client.DockerAPI({"docker_host": "tcp://127.0.0.1:2376", "validate_certs": True, "tls_hostname": "localhost"})
    monkeypatch.setattr(_client.ssl.SSLContext, "load_verify_locations", lambda *a, **k: None)
    conn = api._connection(1)
    assert isinstance(conn, _client._TLSConnection) and conn.server_hostname == "localhost" and conn.host == "127.0.0.1"
