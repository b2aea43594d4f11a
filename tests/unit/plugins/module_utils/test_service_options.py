# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docker_swarm_service options beyond the basic ones: parsing, resolution, comparison, CLI."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._swarm import _service_options as so
from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


class FakeAPI:
    def __init__(self, objects):
        self.objects = objects

    @staticmethod
    def url(path, *args):
        return path.format(*args)

    def get_or_none(self, path):
        kind, ref = path.strip("/").split("/")
        for obj in self.objects.get(kind, []):
            if ref in (obj["ID"], obj["Spec"]["Name"]):
                return obj
        return None


API = FakeAPI({"secrets": [{"ID": "s1", "Spec": {"Name": "db_v2"}}], "configs": [{"ID": "c1", "Spec": {"Name": "conf"}}]})


def rows_by_name(rows):
    return {r.name: r for r in rows}


def test_secret_by_name_with_defaults_and_config_path():
    rows = rows_by_name(so.extra_rows(API, {"secrets": ["db_v2"], "configs": [{"config_name": "conf", "filename": "etc/app.conf",
                                                                              "mode": "0440", "uid": 33}]}, "web"))
    assert rows["secrets"].value == [{"SecretID": "s1", "SecretName": "db_v2",
                                      "File": {"Name": "db_v2", "UID": "0", "GID": "0", "Mode": 0o444}}]
    assert rows["secrets"].path == ("TaskTemplate", "ContainerSpec", "Secrets")
    assert rows["configs"].value[0]["File"] == {"Name": "/etc/app.conf", "UID": "33", "GID": "0", "Mode": 0o440}
    assert rows["configs"].cli == ("--config", "source=conf,target=/etc/app.conf,uid=33,gid=0,mode=0440")


def test_secret_by_id_and_missing():
    rows = so.extra_rows(API, {"secrets": [{"secret_id": "s1", "filename": "pw"}]}, "web")
    assert rows[0].value[0]["SecretName"] == "db_v2"
    with pytest.raises(DockerError, match="devops.docker.secret"):
        so.extra_rows(API, {"secrets": ["nope"]}, "web")
    warnings = []
    rows = so.extra_rows(API, {"secrets": ["nope"]}, "web", check_mode=True, warn=warnings.append)
    assert rows[0].value[0]["SecretID"] == so.PLACEHOLDER_ID and warnings


def test_file_refs_compare_as_a_set_and_see_a_new_version():
    daemon = [{"SecretID": "s1", "SecretName": "db_v2", "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 292}},
              {"SecretID": "s0", "SecretName": "other", "File": {"Name": "o", "UID": "0", "GID": "0", "Mode": 292}}]
    assert so.norm_file_refs(daemon) == so.norm_file_refs(list(reversed(daemon)))
    newer = [dict(daemon[0], SecretID="s9", SecretName="db_v3"), daemon[1]]
    assert so.norm_file_refs(daemon) != so.norm_file_refs(newer)


@pytest.mark.parametrize("refs, match", [
    ([{"filename": "x"}], "secret_name"),
    (["a", {"secret_name": "b", "filename": "a"}], "two secrets"),
    ([{"secret_name": "a", "mode": "999"}], "octal"),
    ([{"secret_name": "a", "bogus": 1}], "bogus"),
])
def test_bad_file_refs(refs, match):
    with pytest.raises(SpecError, match=match):
        so.parse_file_refs(refs, so.SECRET_FILES, "secrets")


def test_rollback_config_rows_and_refusals():
    config = {"parallelism": 2, "delay": "5s", "failure_action": "continue", "monitor": "10s", "max_failure_ratio": 0.5,
              "order": "start-first"}
    rows = rows_by_name(so.rollback_rows({"rollback_config": config}))
    assert rows["rollback_config.delay"].value == 5_000_000_000
    assert rows["rollback_config.delay"].path == ("RollbackConfig", "Delay")
    assert rows["rollback_config.order"].cli == ("--rollback-order", "start-first")
    with pytest.raises(SpecError, match="pause, continue"):
        so.rollback_rows({"rollback_config": {"failure_action": "rollback"}})


def test_logging_and_community_log_driver():
    rows = so.logging_rows({"logging": {"driver": "json-file", "options": {"max-size": "1m"}}})
    assert rows[0].value == {"Name": "json-file", "Options": {"max-size": "1m"}}
    assert rows[0].cli == ("--log-driver", "json-file", "--log-opt", "max-size=1m")
    assert so.logging_rows({"log_driver": "local"})[0].value == {"Name": "local", "Options": {}}
    assert so.logging_rows({}) == []
    with pytest.raises(SpecError, match="driver"):
        so.logging_rows({"logging": {"options": {"a": "b"}}})


def test_container_rows():
    rows = rows_by_name(so.container_rows({
        "cap_add": ["net_admin"], "cap_drop": ["CAP_CHOWN"], "dns": ["10.0.0.1"],
        "dns_search": ["example.org"], "dns_options": ["ndots:2"], "hosts": {"db": "10.0.0.5"}, "init": True,
        "read_only": True, "tty": False, "stop_signal": "term", "sysctls": {"net.core.somaxconn": 1024}, "groups": ["audio"],
    }))
    cs = ("TaskTemplate", "ContainerSpec")
    assert rows["cap_add"].value == ["NET_ADMIN"] and rows["cap_drop"].value == ["CHOWN"]
    assert rows["cap_add"].norm(["CAP_NET_ADMIN"]) == rows["cap_add"].norm(["NET_ADMIN"])
    assert rows["dns_options"].path == cs + ("DNSConfig", "Options")
    assert rows["hosts"].value == ["10.0.0.5 db"] and rows["hosts"].cli == ("--host", "db:10.0.0.5")
    assert rows["init"].value is True and rows["tty"].value is False
    assert rows["stop_signal"].value == "SIGTERM"
    assert rows["sysctls"].value == {"net.core.somaxconn": "1024"}
    assert rows["groups"].path == cs + ("Groups",)


def test_community_aliases():
    p = so.community_aliases({
        "args": ["-f", "x"],
        "publish": [{"published_port": 8080, "target_port": 80, "mode": "host"}],
        "limits": {"memory": "64m"}, "restart_config": {"condition": "any"},
        "placement": {"replicas_max_per_node": 1, "constraints": ["node.role==worker"]},
    })
    assert p["command"] == ["-f", "x"]
    assert p["ports"] == [{"published": 8080, "target": 80, "mode": "host"}]
    assert p["resources"] == {"limits": {"memory": "64m"}}
    assert p["restart_policy"] == {"condition": "any"}
    assert p["placement"] == {"max_replicas_per_node": 1, "constraints": ["node.role==worker"]}
    with pytest.raises(SpecError, match="publish"):
        so.community_aliases({"publish": ["80"], "ports": ["80"]})


def test_community_command_and_args():
    # community.docker's example "Set command and arguments": its command is the entrypoint, args the arguments.
    assert "args" not in (so.SERVICE_ARGS["command"].get("aliases") or [])
    p = so.community_aliases({"command": "sleep", "args": ["3600"]})
    assert p["entrypoint"] == "sleep" and p["command"] == ["3600"]
    p = so.community_aliases({"command": ["sleep", "5"]})
    assert p["command"] == ["sleep", "5"] and p.get("entrypoint") is None
    with pytest.raises(SpecError, match="entrypoint"):
        so.community_aliases({"command": "sleep", "args": ["1"], "entrypoint": "sh"})


def test_registry_auth_reads_stored_credentials(tmp_path, monkeypatch):
    import base64
    import json

    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"auths": {"reg.example:5443": {"auth": base64.b64encode(b"u:p").decode()}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    header = so.registry_auth("reg.example:5443/app/web:1")
    decoded = json.loads(base64.urlsafe_b64decode(header["X-Registry-Auth"]))
    assert decoded == {"username": "u", "password": "p", "serveraddress": "reg.example:5443"}
    assert so.registry_auth(None) == {}


def test_community_env_files(tmp_path):
    common = tmp_path / "common.env"
    common.write_text("# shared\nA=1\nB=from-file\n")
    web = tmp_path / "web.env"
    web.write_text("C=3\nA=web\n")
    p = so.community_aliases({"env": {"B": "task"}, "env_files": [str(common), str(web)]})
    assert p["env"] == {"A": "web", "B": "task", "C": "3"}
    with pytest.raises(SpecError, match="env_files"):
        so.community_aliases({"env_files": [str(tmp_path / "missing.env")]})
