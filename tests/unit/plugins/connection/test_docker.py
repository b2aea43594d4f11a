# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection plugin without a daemon: exec options, become prompts, container states."""

from __future__ import annotations

import typing as t

import pytest
from ansible.errors import AnsibleConnectionFailure
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import become_loader, shell_loader

from ansible_collections.devops.docker.plugins.connection import docker as docker_connection
from ansible_collections.devops.docker.plugins.module_utils._client import Conflict
from ansible_collections.devops.docker.plugins.plugin_utils._container_io import STDERR, STDOUT

DEFAULTS = {
    "remote_addr": "dt-web",
    "remote_user": None,
    "working_dir": None,
    "docker_host": None,
    "tls": False,
    "validate_certs": False,
    "ca_path": None,
    "client_cert": None,
    "client_key": None,
    "api_version": "auto",
    "timeout": 5,
}


class FakeSession:
    """Stands for ExecSession: hands out scripted frames, records what was written."""

    instances: list["FakeSession"] = []
    script: list[tuple[int, bytes]] = []
    rc = 0

    def __init__(self, api, container, argv, user=None, workdir=None, env=None, stdin=False):
        self.container, self.argv, self.user, self.workdir, self.stdin = container, argv, user, workdir, stdin
        self.frames = list(self.script)
        self.written = b""
        self.communicated: bytes | None = None
        self.stdout = bytearray()
        self.stderr = bytearray()
        FakeSession.instances.append(self)

    def start(self):
        pass

    def set_read_timeout(self, seconds):
        pass

    def read_frame(self):
        if not self.frames:
            return None
        stream, payload = self.frames.pop(0)
        (self.stderr if stream == STDERR else self.stdout).extend(payload)
        return stream, payload

    def write(self, data):
        self.written += data

    def communicate(self, data=None):
        self.communicated = data
        while self.read_frame() is not None:
            pass
        return bytes(self.stdout), bytes(self.stderr)

    def exit_code(self):
        return self.rc

    def close(self):
        pass


@pytest.fixture
def conn(monkeypatch):
    FakeSession.instances = []
    FakeSession.rc = 0
    monkeypatch.setattr(docker_connection, "ExecSession", FakeSession)
    connection = docker_connection.Connection(PlayContext())
    options = dict(DEFAULTS)
    monkeypatch.setattr(connection, "get_option", lambda name, hostvars=None: options[name])
    connection.options = options  # type: ignore[attr-defined]
    connection.api = t.cast(t.Any, object())
    connection.container_id = "c0ffee"
    connection._connected = True
    return connection


def test_exec_passes_user_workdir_and_output(conn):
    conn.options.update(remote_user="tester", working_dir="/srv")
    FakeSession.script = [(STDOUT, b"hi\n"), (STDERR, b"warn\n"), (STDOUT, b"there\n")]
    FakeSession.rc = 3
    rc, out, err = conn.exec_command("echo hi")
    session = FakeSession.instances[-1]
    assert (rc, out, err) == (3, b"hi\nthere\n", b"warn\n")
    assert session.argv == ["/bin/sh", "-c", "echo hi"]
    assert (session.container, session.user, session.workdir, session.stdin) == ("c0ffee", "tester", "/srv", False)


def test_exec_sends_pipelined_stdin(conn):
    FakeSession.script = [(STDOUT, b"{}")]
    conn.exec_command("/usr/bin/python3", in_data=b"module source")
    session = FakeSession.instances[-1]
    assert session.stdin is True
    assert session.communicated == b"module source"


def _sudo(password):
    become = become_loader.get("sudo")
    become.set_options(direct={"become_pass": password, "become_user": "root"})
    become.build_become_command("id -un", shell_loader.get("sh"))
    return become


def test_become_password_is_answered_and_prompt_dropped(conn):
    become = _sudo("s3cret")
    conn.set_become_plugin(become)
    FakeSession.script = [
        (STDERR, become.prompt.encode()),
        (STDOUT, become.success.encode() + b"\n"),
        (STDERR, b"real stderr\n"),
        (STDOUT, b"root\n"),
    ]
    rc, out, err = conn.exec_command("sudo ...")
    session = FakeSession.instances[-1]
    assert session.stdin is True
    assert session.written == b"s3cret\n"
    assert out.endswith(b"root\n")
    assert err == b"real stderr\n"
    assert rc == 0


def test_wrong_become_password_fails_clearly(conn):
    become = _sudo("wrong")
    conn.set_become_plugin(become)
    FakeSession.script = [(STDERR, become.prompt.encode()), (STDERR, b"Sorry, try again.\n")]
    with pytest.raises(AnsibleConnectionFailure, match="Incorrect sudo password for user root in container dt-web"):
        conn.exec_command("sudo ...")


def test_become_output_ending_early_fails_clearly(conn):
    become = _sudo("pw")
    conn.set_become_plugin(become)
    FakeSession.script = [(STDERR, b"sudo: command not found\n")]
    with pytest.raises(AnsibleConnectionFailure, match="ended before it succeeded: sudo: command not found"):
        conn.exec_command("sudo ...")


class FakeAPI:
    base_url = "unix:///var/run/docker.sock"

    def __init__(self, info):
        self.info = info

    def inspect_container(self, name):
        return self.info


@pytest.mark.parametrize(
    "info, message",
    [
        (None, "Container dt-web does not exist on unix:///var/run/docker.sock"),
        ({"Id": "x", "State": {"Running": False, "Status": "exited"}},
         r"Container dt-web is not running \(state: exited\); start it with devops.docker.container state=started"),
        ({"Id": "x", "State": {"Running": True, "Paused": True, "Status": "paused"}},
         r"Container dt-web is not running \(state: paused\); unpause it with devops.docker.container"),
    ],
)
def test_connect_refuses_containers_that_do_not_run(conn, monkeypatch, info, message):
    monkeypatch.setattr(docker_connection, "DockerAPI", lambda params: FakeAPI(info))
    conn._connected = False
    with pytest.raises(AnsibleConnectionFailure, match=message):
        conn._connect()


def test_connect_keeps_the_container_id(conn, monkeypatch):
    info = {"Id": "abcdef0123456789", "State": {"Running": True, "Status": "running"}, "Config": {"User": ""}}
    monkeypatch.setattr(docker_connection, "DockerAPI", lambda params: FakeAPI(info))
    conn._connected = False
    conn._connect()
    assert conn.container_id == "abcdef0123456789"
    assert conn.connected


def test_put_file_asks_ids_once_per_user(conn, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(docker_connection, "run_command",
                        lambda api, cid, argv, user=None: calls.append(user) or (0, b"1500\n1500\n", b""))
    sent = []
    monkeypatch.setattr(docker_connection, "put_file",
                        lambda api, cid, src, dest, uid, gid: sent.append((dest, uid, gid)))
    src = tmp_path / "f"
    src.write_bytes(b"x")
    conn.options.update(remote_user="tester", working_dir="/home/tester")
    conn.put_file(str(src), "/tmp/a")
    conn.put_file(str(src), "rel/b")
    assert calls == ["tester"]
    assert sent == [("/tmp/a", 1500, 1500), ("/home/tester/rel/b", 1500, 1500)]


@pytest.mark.parametrize(
    "state, hint",
    [({"Running": False, "Status": "exited"}, "start it with devops.docker.container state=started"),
     ({"Running": True, "Paused": True, "Status": "paused"}, "unpause it with devops.docker.container")],
)
def test_conflict_during_a_task_names_the_state(conn, state, hint):
    """The container stopped or was paused after the connection was made: a 409 on exec."""
    conn.api = FakeAPI({"Id": "c0ffee", "State": state})
    with pytest.raises(AnsibleConnectionFailure, match=f"Container dt-web is not running .*; {hint}"):
        conn._fail(Conflict(409, "container is not running", "POST", "/containers/c0ffee/exec"))
