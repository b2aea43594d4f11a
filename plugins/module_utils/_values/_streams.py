# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Docker's multiplexed stdout/stderr stream (logs, attach, exec without a TTY), split apart."""

from __future__ import annotations

import typing as t


def iter_frames(data: bytes) -> t.Iterator[tuple[int, bytes]]:
    """Docker's multiplexed stream -> (stream, payload): 1 stdout, 2 stderr (stdin frames count as stdout).

    Bytes that do not form a frame (a TTY stream, or a cut-off tail) come out as stdout.
    """
    pos = 0
    size_total = len(data)
    while pos + 8 <= size_total and data[pos] in (0, 1, 2) and data[pos + 1:pos + 4] == b"\x00\x00\x00":
        kind = data[pos]
        size = int.from_bytes(data[pos + 4:pos + 8], "big")
        yield (kind or 1), data[pos + 8:pos + 8 + size]
        pos += 8 + size
    if pos < size_total:
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
