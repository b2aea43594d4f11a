# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client base against a fake Engine on a unix socket: no daemon needed."""

from __future__ import annotations

import json
import os
import socketserver
import tempfile
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import (
    APIError,
    Conflict,
    DaemonUnreachable,
    DockerAPI,
    DockerError,
    NotFound,
    version_tuple,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import demux_stream


class _Handler(BaseHTTPRequestHandler):
    api_version = "1.41"
    routes: dict = {}

    def log_message(self, *args):  # quiet
        pass

    def _reply(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # read the body first, as dockerd does
        self.server.seen.append((self.command, self.path))
        status, body = self.routes.get((self.command, self.path.split("?")[0]), (404, {"message": "no such thing"}))
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Api-Version", self.server.api_version)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _reply


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _addr = super().get_request()
        return request, ("local", 0)


@pytest.fixture
def fake_engine():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "docker.sock")
    server = _UnixServer(path, _Handler)
    server.seen = []
    server.api_version = "1.41"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, path
    server.shutdown()
    server.server_close()


def _api(path, **params):
    base = {"docker_host": "unix://" + path, "api_version": "auto", "timeout": 5}
    base.update(params)
    return DockerAPI(base)


def test_get_json_and_not_found(fake_engine):
    server, path = fake_engine
    _Handler.routes = {("GET", "/containers/web/json"): (200, {"Id": "abc", "Name": "/web"})}
    api = _api(path)
    assert api.inspect_container("web")["Id"] == "abc"
    assert api.inspect_container("missing") is None
    assert api.server_api_version == "1.41"
    with pytest.raises(NotFound):
        api.get("/nothing")


def test_conflict_and_api_error(fake_engine):
    server, path = fake_engine
    _Handler.routes = {
        ("POST", "/containers/create"): (409, {"message": "name in use"}),
        ("DELETE", "/images/x"): (500, {"message": "boom"}),
    }
    api = _api(path)
    with pytest.raises(Conflict) as exc:
        api.post("/containers/create", body={})
    assert "name in use" in exc.value.msg
    with pytest.raises(APIError) as exc:
        api.delete("/images/x")
    assert exc.value.status == 500


def test_url_quotes_arguments_and_pins_version(fake_engine):
    server, path = fake_engine
    api = _api(path, api_version="1.41")
    assert api.url("/containers/{0}/json", "a/b c") == "/v1.41/containers/a%2Fb%20c/json"
    assert _api(path).url("/images/{0}/json", "x:1") == "/images/x%3A1/json"


def test_too_old_api_is_refused(fake_engine):
    server, path = fake_engine
    server.api_version = "1.40"
    _Handler.routes = {("GET", "/version"): (200, {})}
    with pytest.raises(DockerError) as exc:
        _api(path).get("/version")
    assert "1.41" in exc.value.msg and "Upgrade" in exc.value.msg


def test_missing_socket_names_it_and_how_to_start():
    api = _api("/nonexistent/docker.sock")
    with pytest.raises(DaemonUnreachable) as exc:
        api.get("/version")
    assert "unix:///nonexistent/docker.sock" in exc.value.msg
    assert "dockerd" in exc.value.msg


@pytest.mark.parametrize("host", ["ftp://x", "ssh://root@host/var/run/docker.sock", "nonsense"])
def test_bad_docker_host(host):
    with pytest.raises(DockerError) as exc:
        DockerAPI({"docker_host": host})
    assert "docker_host" in exc.value.msg


@pytest.mark.parametrize(
    "version, expected",
    [("1.41", (1, 41)), ("20.10.24+dfsg1", (20, 10, 24)), ("7.1.0", (7, 1, 0)), ("5.0.3", (5, 0, 3))],
)
def test_version_tuple(version, expected):
    assert version_tuple(version) == expected


def test_demux_stream_splits_stdout_and_stderr():
    frames = b"\x01\x00\x00\x00\x00\x00\x00\x03out" + b"\x02\x00\x00\x00\x00\x00\x00\x03err" + b"\x01\x00\x00\x00\x00\x00\x00\x01!"
    assert demux_stream(frames) == (b"out!", b"err")


def test_demux_stream_passes_tty_output_through():
    assert demux_stream(b"plain tty text") == (b"plain tty text", b"")
