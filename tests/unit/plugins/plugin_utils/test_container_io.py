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
    build_file_tar,
    frame,
    read_exact,
    read_frame,
)


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
