# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Docker's multiplexed stdout/stderr stream (logs, attach, exec without a TTY), split apart."""

from __future__ import annotations

import typing as t


FRAME_HEADER_SIZE = 8


def frame(stream: int, payload: bytes) -> bytes:
    """One frame of the multiplexed stream: stream (1 stdout, 2 stderr), three zero bytes, the size, the payload."""
    return bytes([stream, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


def frame_header(header: bytes) -> tuple[int, int] | None:
    """(stream, payload size) of an 8-byte frame header; None when the bytes are not a header (a TTY stream)."""
    if len(header) < FRAME_HEADER_SIZE or header[0] not in (0, 1, 2) or header[1:4] != b"\x00\x00\x00":
        return None
    return header[0], int.from_bytes(header[4:8], "big")


def iter_frames(data: bytes) -> t.Iterator[tuple[int, bytes]]:
    """Docker's multiplexed stream -> (stream, payload): 1 stdout, 2 stderr (stdin frames count as stdout).

    Bytes that do not form a frame (a TTY stream, or a cut-off tail) come out as stdout.
    """
    pos = 0
    while True:
        header = frame_header(data[pos:pos + FRAME_HEADER_SIZE])
        if header is None:
            break
        kind, size = header
        yield (kind or 1), data[pos + FRAME_HEADER_SIZE:pos + FRAME_HEADER_SIZE + size]
        pos += FRAME_HEADER_SIZE + size
    if pos < len(data):
        yield 1, data[pos:]


def demux_stream(data: bytes) -> tuple[bytes, bytes]:
    """(stdout, stderr) of a multiplexed stream."""
    out, err = bytearray(), bytearray()
    for kind, payload in iter_frames(data):
        (err if kind == 2 else out).extend(payload)
    return bytes(out), bytes(err)


def split_output(data: bytes, tty: bool) -> dict[str, str]:
    """stdout and stderr apart, plus ``output`` (both, in the order they were written), as text."""
    if tty:
        text = data.decode("utf-8", errors="replace")
        return {"stdout": text, "stderr": "", "output": text}
    out, err, both = bytearray(), bytearray(), bytearray()
    for kind, payload in iter_frames(data):
        (err if kind == 2 else out).extend(payload)
        both.extend(payload)
    return {
        "stdout": out.decode("utf-8", errors="replace"),
        "stderr": err.decode("utf-8", errors="replace"),
        "output": both.decode("utf-8", errors="replace"),
    }


def output_text(data: bytes, tty: bool) -> str:
    """Everything a container wrote, stdout then stderr (or the raw TTY stream), as text."""
    if tty:
        return data.decode("utf-8", errors="replace")
    out, err = demux_stream(data)
    return (out + err).decode("utf-8", errors="replace")
