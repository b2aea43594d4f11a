# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docker_host: ssh://: URL parsing, the ssh command line, the error messages, and the
transport against a fake ``ssh`` (a script on PATH that speaks HTTP on its stdin/stdout,
or fails the way ssh does)."""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import textwrap

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DaemonUnreachable, DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._ssh import (
    SSHError,
    SSHTarget,
    SSHTransport,
    SSHURLError,
    describe_failure,
    parse_ssh_url,
    ssh_argv,
)


# -- URL parsing ---------------------------------------------------------------
@pytest.mark.parametrize(
    "url, target",
    [
        ("ssh://docker1", SSHTarget(host="docker1")),
        ("ssh://docker1/", SSHTarget(host="docker1")),
        ("ssh://deploy@docker1.example.com", SSHTarget(host="docker1.example.com", user="deploy")),
        ("ssh://deploy@10.0.0.5:2222", SSHTarget(host="10.0.0.5", user="deploy", port=2222)),
        ("ssh://docker1:22", SSHTarget(host="docker1", port=22)),
        ("ssh://[fd00::5]:2200", SSHTarget(host="fd00::5", port=2200)),
        ("ssh://first.last@host", SSHTarget(host="host", user="first.last")),
        ("ssh://ad%40corp@host", SSHTarget(host="host", user="ad@corp")),
    ],
)
def test_parse_ssh_url(url, target):
    assert parse_ssh_url(url) == target


@pytest.mark.parametrize(
    "url, words",
    [
        ("ssh://", ["names no host"]),
        ("ssh://user@", ["names no host"]),
        ("ssh://host:0", ["out of range"]),
        ("ssh://host:70000", ["not a valid ssh:// URL"]),
        ("ssh://host:abc", ["not a valid ssh:// URL"]),
        ("ssh://host/var/run/docker.sock", ["nothing may follow", "DOCKER_HOST"]),
        ("ssh://host?opt=1", ["nothing may follow"]),
        ("ssh://-oProxyCommand=touch%20x", ["not a host name"]),
        ("ssh://-oProxyCommand=x@host", ["not a user name"]),
        ("ssh://user name@host", ["not a user name"]),
        ("tcp://host:2375", ["not an ssh:// URL"]),
    ],
)
def test_parse_ssh_url_refuses(url, words):
    with pytest.raises(SSHURLError) as exc:
        parse_ssh_url(url)
    for word in words:
        assert word in exc.value.msg
    assert "ssh://[user@]host[:port]" in exc.value.msg


def test_password_in_url_is_refused_and_never_shown():
    with pytest.raises(SSHURLError) as exc:
        parse_ssh_url("ssh://deploy:s3cret@docker1")
    assert "s3cret" not in exc.value.msg
    assert "ssh://deploy:********@docker1" in exc.value.msg
    assert "IdentityFile" in exc.value.msg


def test_target_url_and_destination():
    target = SSHTarget(host="fd00::5", user="deploy", port=2200)
    assert target.url == "ssh://deploy@[fd00::5]:2200"
    assert SSHTarget(host="h").url == "ssh://h"
    assert target.destination == "deploy@fd00::5 port 2200"


# -- the ssh command line --------------------------------------------------------
def test_ssh_argv_full():
    argv = ssh_argv(SSHTarget(host="docker1", user="deploy", port=2222), timeout=60)
    assert argv == [
        "ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=60", "-l", "deploy", "-p", "2222",
        "--", "docker1", "docker", "system", "dial-stdio",
    ]


def test_ssh_argv_leaves_user_and_port_to_ssh_config():
    argv = ssh_argv(SSHTarget(host="alias"), ssh="/opt/bin/ssh")
    assert argv == ["/opt/bin/ssh", "-T", "-o", "BatchMode=yes", "--", "alias", "docker", "system", "dial-stdio"]


# -- error messages -------------------------------------------------------------
TARGET = SSHTarget(host="docker1", user="deploy", port=2222)


@pytest.mark.parametrize(
    "rc, stderr, words",
    [
        (255, "ssh: Could not resolve hostname docker1: Name or service not known\r\n",
         ["cannot resolve the host name 'docker1'", "~/.ssh/config"]),
        (255, "No ED25519 host key is known for [docker1]:2222 and you have requested strict checking.\n"
              "Host key verification failed.\n",
         ["host key of docker1 is not in known_hosts", "`ssh -p 2222 deploy@docker1`", "BatchMode"]),
        (255, "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
              "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
              "Host key verification failed.\r\n",
         ["host key of docker1 is not the one recorded", "in the middle", "ssh-keygen -R"]),
        (255, "deploy@docker1: Permission denied (publickey).\n",
         ["docker1 refused the SSH login as deploy", "authorized_keys", "ssh-agent", "IdentityFile"]),
        (255, "ssh: connect to host docker1 port 2222: Connection refused\n",
         ["nothing accepts SSH connections on docker1 port 2222"]),
        (255, "ssh: connect to host docker1 port 2222: Connection timed out\n",
         ["docker1 port 2222 cannot be reached", "timeout"]),
        (127, "bash: line 1: docker: command not found\n",
         ["docker CLI is not installed on docker1", "dial-stdio"]),
        (127, "", ["docker CLI is not installed on docker1"]),
        (1, "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: "
            "Get \"http://%2Fvar%2Frun%2Fdocker.sock/_ping\": dial unix /var/run/docker.sock: connect: "
            "permission denied\n",
         ["may not use the Docker socket", "docker group"]),
        (1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
         ["cannot reach its own daemon", "Start the engine"]),
        (1, "docker: 'dial-stdio' is not a docker command.\n", ["too old", "18.09"]),
        (255, "kex_exchange_identification: read: Connection reset by peer\n",
         ["ssh could not connect to docker1", "ssh -p 2222 deploy@docker1 docker version"]),
        (2, "", ["ended before the Docker daemon on docker1 answered"]),
    ],
)
def test_describe_failure(rc, stderr, words):
    msg = describe_failure(TARGET, rc, stderr, ["ssh", "--", "docker1"])
    assert msg.startswith("Cannot reach the Docker daemon at ssh://deploy@docker1:2222 over SSH: ")
    for word in words:
        assert word in msg
    assert f"ssh exited with {rc}" in msg
    assert "Command: ssh -- docker1" in msg
    if stderr.strip():
        assert stderr.strip().splitlines()[-1].strip() in msg


def test_describe_failure_drops_known_hosts_chatter_and_cuts_long_output():
    stderr = "Warning: Permanently added '[docker1]:2222' (ED25519) to the list of known hosts.\n" + "x" * 5000
    msg = describe_failure(TARGET, 255, stderr)
    assert "Permanently added" not in msg
    assert "..." + "x" * 1500 + ")" in msg
    assert "x" * 1501 not in msg


def test_describe_failure_of_a_lost_connection():
    msg = describe_failure(TARGET, 255, "client_loop: send disconnect: Broken pipe\n", lost=True)
    assert "SSH connection to docker1 broke while the daemon was answering" in msg
    assert "may or may not have been done" in msg
    assert "(ssh exited with 255: client_loop: send disconnect: Broken pipe)" in msg


def test_describe_failure_drops_banner_lines():
    msg = describe_failure(TARGET, 255, "@@@@@@@@\r\n@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @\r\n@@@@@@@@\r\n")
    assert "@@@" not in msg
    assert "(ssh exited with 255: @ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @)" in msg


def test_describe_failure_without_exit_status_or_output():
    msg = describe_failure(SSHTarget(host="h"), None, "")
    assert "ssh closed the connection, printing nothing" in msg


# -- the transport, against a fake ssh ---------------------------------------------
FAKE_SSH = r'''
import json, os, sys
log = os.environ["FAKE_SSH_LOG"]
with open(log, "a") as f:
    f.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:]}) + "\n")
mode = os.environ.get("FAKE_SSH_MODE", "http")
if mode == "fail":
    sys.stderr.write(os.environ["FAKE_SSH_STDERR"])
    sys.exit(int(os.environ["FAKE_SSH_RC"]))
if mode == "hang":
    sys.stdin.buffer.read()
    sys.exit(0)
rfile, wfile = sys.stdin.buffer, sys.stdout.buffer
while True:
    line = rfile.readline()
    if not line:
        break
    method, path, _version = line.decode().split(" ", 2)
    headers = {}
    while True:
        header = rfile.readline().decode()
        if header in ("\r\n", "\n", ""):
            break
        key, value = header.split(":", 1)
        headers[key.strip().lower()] = value.strip()
    size = int(headers.get("content-length") or 0)
    body = rfile.read(size) if size else b""
    if headers.get("upgrade") == "tcp":
        wfile.write(b"HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
        wfile.flush()
        data = rfile.read()  # until the client's half-close
        wfile.write(b"echo:" + data)
        wfile.flush()
        break
    if path.startswith("/die"):
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")
        wfile.flush()
        sys.stderr.write("client_loop: send disconnect: Broken pipe\n")
        sys.exit(255)
    status = b"404 Not Found" if "missing" in path else b"200 OK"
    payload = json.dumps({"path": path, "pid": os.getpid(), "body": body.decode()}).encode()
    close = path.startswith("/close")
    wfile.write(
        b"HTTP/1.1 " + status + b"\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
        + b"Content-Length: %d\r\n" % len(payload)
        + (b"Connection: close\r\n" if close else b"")
        + b"\r\n" + payload
    )
    wfile.flush()
    if close:
        break
'''


@pytest.fixture
def fake_ssh(tmp_path, monkeypatch):
    """Put a fake ``ssh`` first on PATH; returns a function listing the processes it started."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "ssh"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(FAKE_SSH))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "ssh.log"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_SSH_LOG", str(log))
    monkeypatch.setenv("FAKE_SSH_MODE", "http")

    def started():
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return started


def _api(url="ssh://deploy@docker1:2222", timeout=10):
    return DockerAPI({"docker_host": url, "timeout": timeout})


def test_requests_share_one_ssh_process(fake_ssh):
    api = _api()
    pids = {api.get("/version")["pid"] for _attempt in range(4)}
    assert api.inspect_container("missing") is None
    assert api.post("/containers/create", body={"Image": "x"})["body"] == '{"Image": "x"}'
    pids.add(api.get("/info")["pid"])
    assert len(pids) == 1
    assert len(fake_ssh()) == 1
    assert api.ssh.started == 1
    assert fake_ssh()[0]["argv"] == [
        "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-l", "deploy", "-p", "2222",
        "--", "docker1", "docker", "system", "dial-stdio",
    ]


def test_connection_close_starts_a_new_process(fake_ssh):
    api = _api()
    first = api.get("/close")["pid"]
    second = api.get("/version")["pid"]
    assert first != second
    assert api.get("/version")["pid"] == second
    assert api.ssh.started == 2


def test_unread_response_is_not_reused(fake_ssh):
    api = _api()
    resp = api.request("GET", "/version")
    resp.close()  # body left unread: the pipe holds bytes, it must not serve the next request
    assert api.get("/version")["path"] == "/version"
    assert api.ssh.started == 2


def test_streams_read_to_the_end_are_reused(fake_ssh):
    api = _api()
    assert [obj["path"] for obj in api.stream("POST", "/build")] == ["/build"]
    assert b"".join(api.request("GET", "/logs").iter_raw()).startswith(b'{"path": "/logs"')
    api.get("/version")
    assert api.ssh.started == 1


def test_hijacked_stream_half_close(fake_ssh):
    transport = SSHTransport("ssh://docker1", timeout=10)
    conn = transport.connection()
    conn.putrequest("POST", "/exec/abc/start", skip_accept_encoding=True)
    conn.putheader("Content-Length", "2")
    conn.putheader("Connection", "Upgrade")
    conn.putheader("Upgrade", "tcp")
    conn.endheaders(b"{}")
    sock = conn.sock
    resp = conn.getresponse()
    assert resp.status == 101
    sock.sendall(b"hello ")
    sock.send(b"world")
    sock.shutdown(socket.SHUT_WR)  # the remote side sees EOF on its input, reading goes on
    assert resp.fp.read() == b"echo:hello world"
    conn.close()
    assert transport.started == 1
    # The upgraded pipe is never reused: the next request starts a new ssh.
    conn = transport.connection()
    conn.request("GET", "/version")
    assert json.loads(conn.getresponse().read())["path"] == "/version"
    conn.close()
    assert transport.started == 2
    transport.close()


def test_raw_recv_on_a_connected_socket(fake_ssh):
    transport = SSHTransport("ssh://docker1", timeout=10)
    conn = transport.connection()
    conn.connect()
    conn.sock.sendall(b"GET /raw HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += conn.sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101")
    buf = bytearray(16)
    conn.sock.shutdown(socket.SHUT_WR)
    got = conn.sock.recv_into(buf)
    assert bytes(buf[:got]).startswith(b"echo:")
    conn.close()
    transport.close()


def test_no_io_once_the_pipes_are_closed(fake_ssh):
    transport = SSHTransport("ssh://docker1", timeout=5)
    conn = transport.connection()
    conn.connect()
    sock = conn.sock
    process = sock._process  # pylint: disable=protected-access
    sock.shutdown(socket.SHUT_WR)
    with pytest.raises(BrokenPipeError):
        sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
    conn.close()  # input closed: never reused, the process ends
    assert process.ended and process.proc.poll() is not None
    with pytest.raises(OSError):
        sock.recv(1)
    with pytest.raises(OSError):
        process.read(1, 1)  # its fd number may be another file's by now
    assert transport.started == 1 and not transport._idle  # pylint: disable=protected-access


@pytest.mark.parametrize(
    "rc, stderr, words",
    [
        (255, "ssh: Could not resolve hostname nowhere.invalid: Name or service not known\n",
         ["ssh://deploy@docker1:2222", "cannot resolve the host name 'docker1'"]),
        (255, "deploy@docker1: Permission denied (publickey).\n", ["refused the SSH login as deploy"]),
        (127, "sh: 1: docker: not found\n", ["docker CLI is not installed on docker1"]),
    ],
)
def test_ssh_failure_becomes_daemon_unreachable(fake_ssh, monkeypatch, rc, stderr, words):
    monkeypatch.setenv("FAKE_SSH_MODE", "fail")
    monkeypatch.setenv("FAKE_SSH_RC", str(rc))
    monkeypatch.setenv("FAKE_SSH_STDERR", stderr)
    with pytest.raises(DaemonUnreachable) as exc:
        _api().get("/version")
    assert isinstance(exc.value, SSHError)
    for word in words:
        assert word in exc.value.msg
    assert stderr.strip() in exc.value.msg
    assert exc.value.details["ssh_stderr"] == stderr


def test_ssh_failure_on_a_large_request_body(fake_ssh, monkeypatch):
    """ssh gone before the request is written: the broken pipe is reported as ssh's failure."""
    monkeypatch.setenv("FAKE_SSH_MODE", "fail")
    monkeypatch.setenv("FAKE_SSH_RC", "255")
    monkeypatch.setenv("FAKE_SSH_STDERR", "deploy@docker1: Permission denied (publickey).\n")
    with pytest.raises(SSHError) as exc:
        _api().post("/build", body={"x": "y" * 1_000_000})
    assert "refused the SSH login" in exc.value.msg


def test_connection_lost_mid_answer(fake_ssh):
    api = _api()
    assert api.get("/version")["path"] == "/version"
    with pytest.raises(SSHError) as exc:
        api.get("/die")
    assert "ssh://deploy@docker1:2222 over SSH: the SSH connection to docker1 broke" in exc.value.msg
    assert "Broken pipe" in exc.value.msg


def test_no_ssh_client(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SSHError) as exc:
        _api().get("/version")
    assert "ssh client (ssh) is not installed" in exc.value.msg
    assert "openssh-client" in exc.value.msg


def test_silent_daemon_times_out(fake_ssh, monkeypatch):
    monkeypatch.setenv("FAKE_SSH_MODE", "hang")
    with pytest.raises(DockerError) as exc:
        _api(timeout=1).get("/version")
    assert "did not answer GET /version within 1s" in exc.value.msg


def test_bad_url_fails_when_the_client_is_made():
    with pytest.raises(DockerError) as exc:
        _api("ssh://docker1/var/run/docker.sock")
    assert "nothing may follow" in exc.value.msg


def test_idle_processes_end_with_the_transport(fake_ssh):
    transport = SSHTransport("ssh://docker1", timeout=10)
    conn = transport.connection()
    conn.request("GET", "/version")
    conn.getresponse().read()
    conn.close()
    pid = fake_ssh()[0]["pid"]
    assert os.path.exists(f"/proc/{pid}")
    transport.close()
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
