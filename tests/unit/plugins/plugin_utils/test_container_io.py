# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exec stream frames and the one-file tar archives of the connection plugin."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from ansible_collections.devops.docker.plugins.plugin_utils._container_io import (
    ContainerIOError,
    RemoteFileNotFound,
    build_file_tar,
    fetch_file,
    put_file,
    read_exact,
    read_frame,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import frame
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon, FakeResponse


class Trickle(io.RawIOBase):
    """A reader that hands out at most n bytes per read, like a socket."""

    def __init__(self, data: bytes, n: int) -> None:
        self._data = io.BytesIO(data)
        self._n = n

    def read(self, size=-1):
        return self._data.read(min(self._n, size if size >= 0 else self._n))


@pytest.mark.parametrize("chunk", [1, 3, 8, 4096])
def test_frames_round_trip(chunk):
    frames = [(1, b"hello "), (2, b"warning\n"), (1, b""), (1, bytes(range(256)) * 300)]
    data = b"".join(frame(stream, payload) for stream, payload in frames)
    reader = Trickle(data, chunk)
    got = []
    while True:
        item = read_frame(reader)
        if item is None:
            break
        got.append(item)
    assert got == frames


@pytest.mark.parametrize("data", [b"\x01\x00\x00", frame(1, b"abcdef")[:-2]])
def test_truncated_frames_are_errors(data):
    with pytest.raises(ContainerIOError):
        read_frame(io.BytesIO(data))


def test_read_exact_stops_at_the_end():
    assert read_exact(Trickle(b"abc", 1), 10) == b"abc"


@pytest.mark.parametrize(
    "content, uid, gid, executable",
    [
        (b"", 0, 0, False),
        ("Grüße ✓\n".encode("utf-8"), 1500, 1500, False),
        (os.urandom(300_000), 1000, 50, True),
    ],
)
def test_build_file_tar_keeps_bytes_and_owner(tmp_path, content, uid, gid, executable):
    src = tmp_path / "in.bin"
    src.write_bytes(content)
    archive = build_file_tar(str(src), "ünïcødé ✓.bin", uid=uid, gid=gid, mode=0o755 if executable else 0o644)
    with tarfile.open(fileobj=archive, mode="r:") as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["ünïcødé ✓.bin"]
        member = members[0]
        assert member.isfile()
        assert (member.uid, member.gid) == (uid, gid)
        assert member.mode == (0o755 if executable else 0o644)
        assert member.size == len(content)
        assert tar.extractfile(member).read() == content


# -- fetch_file against crafted (broken or hostile) archives ---------------------------------------

def archive_daemon(archives: dict[str, bytes]) -> FakeDaemon:
    """The shared fake daemon answering GET /containers/{dt-web,c0ffee}/archive with the archive given per path
    (404 for any other path); ``asked(api)`` lists the paths in the order they were asked for."""

    def archive(params: dict[str, str]) -> FakeResponse:
        path = params["path"]
        if path not in archives:
            return FakeResponse(b'{"message": "not found"}', 404)
        return FakeResponse(archives[path])

    return FakeDaemon(answers={("GET", f"/containers/{ref}/archive"): archive for ref in ("dt-web", "c0ffee")})


def asked(api: FakeDaemon) -> list[str]:
    return [params["path"] for _method, _path, params in api.queries]


def make_tar(*members: tuple[str, str, bytes | str]) -> bytes:
    """members: (name, kind, data or link target); kind file/sym/lnk/dir/chr/blk/fifo."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                continue
            info.type = {"sym": tarfile.SYMTYPE, "lnk": tarfile.LNKTYPE, "dir": tarfile.DIRTYPE,
                         "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}[kind]
            if kind in ("sym", "lnk"):
                info.linkname = data
            tar.addfile(info)
    return buf.getvalue()


def test_fetch_regular_file(tmp_path):
    out = tmp_path / "out"
    api = archive_daemon({"/etc/app.conf": make_tar(("app.conf", "file", b"x=1\n"))})
    fetch_file(api, "dt-web", "/etc/app.conf", str(out))
    assert out.read_bytes() == b"x=1\n"


def test_fetch_follows_symlink_inside_container(tmp_path):
    out = tmp_path / "out"
    api = archive_daemon({
        "/etc/link": make_tar(("link", "sym", "../data/real")),
        "/data/real": make_tar(("real", "file", b"payload")),
    })
    fetch_file(api, "dt-web", "/etc/link", str(out))
    assert out.read_bytes() == b"payload"
    assert asked(api) == ["/etc/link", "/data/real"]


def test_fetch_symlink_climbing_above_root_stays_in_container(tmp_path):
    """A link to ../../../../etc/shadow is resolved in the container's tree, never on this machine."""
    out = tmp_path / "out"
    api = archive_daemon({
        "/a/link": make_tar(("link", "sym", "../../../../etc/shadow")),
        "/etc/shadow": make_tar(("shadow", "file", b"container's own")),
    })
    fetch_file(api, "dt-web", "/a/link", str(out))
    assert asked(api)[-1] == "/etc/shadow"
    assert out.read_bytes() == b"container's own"


def _full() -> bytes:
    return make_tar(("app.conf", "file", b"A" * 5000))


@pytest.mark.parametrize("label, body, match", [
    ("truncated in data", _full()[:512 + 1000], "broken archive|ended early"),
    ("truncated in header", _full()[:100], "broken archive|empty archive"),
    ("garbage", b"this is not a tar archive at all" * 40, "broken archive|empty archive"),
    ("empty", b"", "broken archive|empty archive"),
    ("zeros", b"\0" * 1024, "empty archive"),
    ("absolute member", make_tar(("/etc/app.conf", "file", b"x")), "absolute path"),
    ("dotdot member", make_tar(("../../app.conf", "file", b"x")), "climbs out"),
    ("other member", make_tar(("passwd", "file", b"x")), "holds 'passwd', not 'app.conf'"),
    ("member in subdir", make_tar(("sub/app.conf", "file", b"x")), "not 'app.conf'"),
    ("two members", make_tar(("app.conf", "file", b"x"), ("extra", "file", b"y")), "more than the requested file"),
    ("char device", make_tar(("app.conf", "chr", b"")), "character device"),
    ("block device", make_tar(("app.conf", "blk", b"")), "block device"),
    ("fifo", make_tar(("app.conf", "fifo", b"")), "named pipe"),
    ("directory", make_tar(("app.conf", "dir", b"")), "a directory"),
    ("hard link", make_tar(("app.conf", "lnk", "/etc/shadow")), "hard link"),
    ("empty symlink", make_tar(("app.conf", "sym", "")), "without a usable target"),
])
def test_fetch_hostile_or_broken_archives(tmp_path, label, body, match):
    out = tmp_path / "out"
    out.write_bytes(b"previous content")
    api = archive_daemon({"/etc/app.conf": body})
    with pytest.raises(ContainerIOError, match=match) as caught:
        fetch_file(api, "dt-web", "/etc/app.conf", str(out))
    message = caught.value.msg
    assert "dt-web" in message and "/etc/app.conf" in message, label
    assert out.read_bytes() == b"previous content", "the local file is untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no partial file left"


def test_fetch_symlink_loop(tmp_path):
    api = archive_daemon({"/a": make_tar(("a", "sym", "/b")), "/b": make_tar(("b", "sym", "/a"))})
    with pytest.raises(ContainerIOError, match="Too many levels"):
        fetch_file(api, "dt-web", "/a", str(tmp_path / "out"))


def test_fetch_local_write_error_is_clear(tmp_path):
    api = archive_daemon({"/etc/app.conf": make_tar(("app.conf", "file", b"x"))})
    with pytest.raises(ContainerIOError, match="Cannot write .* on this machine"):
        fetch_file(api, "dt-web", "/etc/app.conf", str(tmp_path / "missing-dir" / "out"))


def test_fetch_missing_file(tmp_path):
    with pytest.raises(RemoteFileNotFound, match="not found in container dt-web"):
        fetch_file(archive_daemon({}), "dt-web", "/nope", str(tmp_path / "out"))


def test_put_file_unreadable_local_file(tmp_path):
    src = tmp_path / "secret"
    src.write_bytes(b"x")
    os.chmod(src, 0)
    if os.access(src, os.R_OK):  # root reads anything: use a directory entry that vanishes instead
        src.unlink()
        src.mkdir()
    with pytest.raises(ContainerIOError):
        put_file(archive_daemon({}), "dt-web", str(src), "/tmp/x")


@pytest.mark.parametrize("body, match", [
    (make_tar(("../../etc/shadow", "file", b"x")), "climbs out"),
    (_full()[:700], "broken archive|ended early"),
    (make_tar(("app.conf", "chr", b"")), "character device"),
])
def test_connection_fetch_turns_archive_errors_into_ansible_errors(tmp_path, monkeypatch, body, match):
    """Through the connection plugin: an AnsibleError naming the container and the path."""
    from ansible.errors import AnsibleError
    from ansible.playbook.play_context import PlayContext

    from ansible_collections.devops.docker.plugins.connection import docker as docker_connection

    conn = docker_connection.Connection(PlayContext())
    options = {"remote_addr": "dt-web", "remote_user": None, "working_dir": None}
    monkeypatch.setattr(conn, "get_option", lambda name, hostvars=None: options[name])
    conn.api = archive_daemon({"/etc/app.conf": body})
    conn.container_id = "c0ffee"
    conn._connected = True
    with pytest.raises(AnsibleError, match=match) as caught:
        conn.fetch_file("/etc/app.conf", str(tmp_path / "out"))
    assert "/etc/app.conf" in str(caught.value) and "container dt-web" in str(caught.value)
    assert type(caught.value).__name__ == "AnsibleError"
    assert not (tmp_path / "out").exists()
