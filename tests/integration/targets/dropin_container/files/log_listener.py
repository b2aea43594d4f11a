# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in syslog for the test: receive the datagrams sent to a Unix socket (like /dev/log) and append
each to a file, until a stop file appears (then drain what is queued) or the time is up; the socket is
removed on the way out.

Usage: python3 log_listener.py SOCKET OUTFILE STOPFILE SECONDS
"""

from __future__ import annotations

import os
import socket
import sys
import time


def main() -> None:
    sock_path, out_path, stop_path, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    deadline = time.monotonic() + seconds
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    try:
        os.chmod(sock_path, 0o666)
        sock.settimeout(0.2)
        with open(out_path, "ab") as out:  # the file appears once the socket listens
            while time.monotonic() < deadline:
                stopping = os.path.exists(stop_path)
                try:
                    data = sock.recv(1 << 18)
                except socket.timeout:
                    if stopping:
                        break
                    continue
                out.write(data.rstrip(b"\0") + b"\n")
                out.flush()
    finally:
        sock.close()
        os.unlink(sock_path)


if __name__ == "__main__":
    main()
