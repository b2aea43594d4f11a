# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Running commands in a container and copying files in and out, on the Engine API.

Used by the ``devops.docker.docker`` connection plugin; no Docker CLI and no
Docker SDK involved, only ``DockerAPI`` from ``module_utils/_client.py``:

* ``ExecSession``: ``POST /containers/{id}/exec`` then ``POST /exec/{id}/start``
  upgraded to a raw stream (``Connection: Upgrade``), so stdin can be sent
  (pipelining, become passwords) while the multiplexed stdout/stderr frames
  are read; the exit code comes from ``GET /exec/{id}/json``.
* ``build_file_tar`` / ``put_file``: a tar archive holding exactly one regular
  file, with the uid/gid wanted, sent with ``PUT /containers/{id}/archive``.
* ``fetch_file``: ``GET /containers/{id}/archive``, following symlinks, the
  one member written to a local file.
"""

from __future__ import annotations

import base64
import io
import json
import os
import posixpath
import socket
import ssl
import tarfile
import tempfile
import threading
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import (
    DockerAPI,
    DockerError,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import FRAME_HEADER_SIZE, frame_header

STDOUT = 1
STDERR = 2
_CHUNK = 1024 * 1024
_MAX_LINKS = 16


class ContainerIOError(DockerError):
    """A failure inside the container (missing file, wrong kind of file)."""


class RemoteFileNotFound(ContainerIOError):
    pass


def read_exact(reader: t.Any, size: int) -> bytes:
    """Read exactly ``size`` bytes, or fewer only at the end of the stream."""
    parts = []
    remaining = size
    while remaining > 0:
        chunk = reader.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def read_frame(reader: t.Any) -> tuple[int, bytes] | None:
    """Next (stream, payload) of a multiplexed stream, None at its end."""
    header = read_exact(reader, FRAME_HEADER_SIZE)
    if not header:
        return None
    if len(header) < FRAME_HEADER_SIZE:
        raise ContainerIOError(f"The exec stream ended inside a frame header ({len(header)} of {FRAME_HEADER_SIZE} bytes).")
    parsed = frame_header(header)
    if parsed is None:
        raise ContainerIOError(f"The exec stream is not multiplexed (a frame header starts {header[:4]!r}).")
    stream, size = parsed
    payload = read_exact(reader, size)
    if len(payload) < size:
        raise ContainerIOError(f"The exec stream ended inside a frame ({len(payload)} of {size} bytes).")
    return stream, payload


def _half_close(sock: socket.socket) -> None:
    """Tell the daemon stdin is finished (EOF) while still reading the output.

    On a TLS socket ``SSLSocket.shutdown`` would also drop the TLS state needed
    to read the rest, so the plain socket's shutdown is called on it: the daemon
    sees the end of the TCP stream, which ends the command's stdin just the same.
    """
    try:
        if isinstance(sock, ssl.SSLSocket):
            socket.socket.shutdown(sock, socket.SHUT_WR)
        else:
            sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class ExecSession:
    """One command run in a container, with an attached stdin."""

    def __init__(
        self,
        api: DockerAPI,
        container: str,
        argv: list[str],
        user: str | None = None,
        workdir: str | None = None,
        env: dict[str, str] | None = None,
        stdin: bool = False,
    ) -> None:
        self.api = api
        self.container = container
        body: dict[str, t.Any] = {
            "AttachStdin": stdin,
            "AttachStdout": True,
            "AttachStderr": True,
            "Tty": False,
            "Cmd": argv,
            "Privileged": False,
        }
        if user:
            body["User"] = user
        if workdir:
            body["WorkingDir"] = workdir
        if env:
            body["Env"] = [f"{key}={value}" for key, value in env.items()]
        self.exec_id: str = api.post(api.url("/containers/{0}/exec", container), body=body)["Id"]
        self._stdin = stdin
        self._conn: t.Any = None
        self._sock: socket.socket | None = None
        self._reader: t.Any = None
        self._resp: t.Any = None
        self.stdout = bytearray()
        self.stderr = bytearray()

    def start(self) -> None:
        """Start the command on an upgraded (raw) connection."""
        api = self.api
        conn = api._connection(None)  # pylint: disable=protected-access
        body = json.dumps({"Detach": False, "Tty": False}).encode("utf-8")
        try:
            conn.putrequest("POST", api.url("/exec/{0}/start", self.exec_id), skip_accept_encoding=True)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Connection", "Upgrade")
            conn.putheader("Upgrade", "tcp")
            conn.endheaders(body)
            sock = conn.sock
            resp = conn.getresponse()
        except OSError as exc:
            conn.close()
            raise DockerError(f"Cannot start the exec in container {self.container} at {api.base_url}: {exc}") from exc
        if resp.status not in (101, 200):
            data = resp.read()
            conn.close()
            try:
                message = json.loads(data).get("message")
            except (ValueError, AttributeError):
                message = data.decode("utf-8", errors="replace").strip()
            raise DockerError(
                f"Docker API error {resp.status} when starting the exec in container {self.container}: {message}",
                status=resp.status,
            )
        # The command may run for long without output: only the daemon's
        # answers are timed, not the command.
        sock.settimeout(None)
        self._conn = conn
        self._sock = sock
        # Keep the response object: collecting it would close its file, which
        # is the raw stream read from here on (after the 101 headers).
        self._resp = resp
        self._reader = resp.fp

    def set_read_timeout(self, seconds: float | None) -> None:
        if self._sock is not None:
            self._sock.settimeout(seconds)

    def write(self, data: bytes) -> None:
        if self._sock is not None and data:
            self._sock.sendall(data)

    def close_stdin(self) -> None:
        if self._sock is not None and self._stdin:
            _half_close(self._sock)

    def read_frame(self) -> tuple[int, bytes] | None:
        """Read one frame and keep its payload; None at the end of the output."""
        item = read_frame(self._reader)
        if item is not None:
            stream, payload = item
            (self.stderr if stream == STDERR else self.stdout).extend(payload)
        return item

    def communicate(self, data: bytes | None = None) -> tuple[bytes, bytes]:
        """Send ``data`` (then EOF) on stdin while reading all the output.

        The writer runs in a thread so a command that prints a lot before it
        has read all its input cannot block both sides.
        """
        errors: list[BaseException] = []

        def _writer() -> None:
            try:
                if data:
                    self.write(data)
            except OSError as exc:  # the command may exit without reading stdin
                errors.append(exc)
            finally:
                self.close_stdin()

        writer = None
        if self._stdin:
            writer = threading.Thread(target=_writer, name="devops.docker-exec-stdin", daemon=True)
            writer.start()
        try:
            while self.read_frame() is not None:
                pass
        finally:
            if writer is not None:
                writer.join()
            self.close()
        return bytes(self.stdout), bytes(self.stderr)

    def exit_code(self, wait: float = 10.0) -> int:
        """The command's exit code (waits a little if the daemon still reports it running)."""
        deadline = time.monotonic() + wait
        while True:
            info = self.api.get(self.api.url("/exec/{0}/json", self.exec_id))
            if not info.get("Running") or time.monotonic() >= deadline:
                code = info.get("ExitCode")
                return int(code) if code is not None else -1
            time.sleep(0.05)

    def close(self) -> None:
        for closer in (self._resp, self._conn, self._sock):
            if closer is not None:
                try:
                    closer.close()
                except (OSError, ValueError):
                    pass
        self._resp = self._reader = self._conn = self._sock = None


def run_command(
    api: DockerAPI,
    container: str,
    argv: list[str],
    user: str | None = None,
    workdir: str | None = None,
    data: bytes | None = None,
) -> tuple[int, bytes, bytes]:
    """Run argv in the container; returns (rc, stdout, stderr)."""
    session = ExecSession(api, container, argv, user=user, workdir=workdir, stdin=data is not None)
    session.start()
    stdout, stderr = session.communicate(data)
    return session.exit_code(), stdout, stderr


# -- files ----------------------------------------------------------------

def build_file_tar(
    in_path: str,
    name: str,
    uid: int = 0,
    gid: int = 0,
    mode: int = 0o644,
    mtime: float | None = None,
) -> t.IO[bytes]:
    """A tar archive (in a spooled temporary file) holding one regular file.

    The file's bytes are copied unchanged; the archive is rewound, ready to send.
    """
    size = os.path.getsize(in_path)
    info = tarfile.TarInfo(name=name)
    info.size = size
    info.mode = mode
    info.uid = uid
    info.gid = gid
    info.uname = ""
    info.gname = ""
    info.mtime = int(mtime if mtime is not None else time.time())
    info.type = tarfile.REGTYPE
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # pylint: disable=consider-using-with
    with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT) as tar, open(in_path, "rb") as src:
        tar.addfile(info, src)
    spool.seek(0)
    return spool


def _stream_size(fileobj: t.IO[bytes]) -> int:
    pos = fileobj.tell()
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(pos)
    return size


def put_file(api: DockerAPI, container: str, in_path: str, out_path: str, uid: int = 0, gid: int = 0) -> None:
    """Copy the local file in_path to out_path (absolute) in the container."""
    if not os.path.isfile(in_path):
        raise ContainerIOError(f"Local file {in_path} does not exist or is not a regular file.")
    directory, name = posixpath.split(out_path)
    if not name:
        raise ContainerIOError(f"The destination {out_path!r} in container {container} names a directory, not a file.")
    mode = 0o755 if os.access(in_path, os.X_OK) else 0o644
    try:
        archive = build_file_tar(in_path, name, uid=uid, gid=gid, mode=mode)
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise ContainerIOError(
            f"Cannot pack {in_path} for {out_path} in container {container}: {type(exc).__name__}: {exc}."
        ) from exc
    try:
        resp = api.request(
            "PUT",
            api.url("/containers/{0}/archive", container),
            {"path": directory or "/"},
            body=archive,
            headers={"Content-Type": "application/x-tar", "Content-Length": str(_stream_size(archive))},
            timeout=max(api.timeout, 300),
            expect=(404,),
        )
        data = resp.read()
    finally:
        archive.close()
    if resp.status == 404:
        try:
            message = json.loads(data).get("message")
        except (ValueError, AttributeError):
            message = data.decode("utf-8", errors="replace")
        raise RemoteFileNotFound(
            f"Cannot copy {in_path} to {out_path} in container {container}: {message} "
            f"(the directory {directory or '/'} must exist)."
        )


def path_stat(api: DockerAPI, container: str, path: str) -> dict[str, t.Any] | None:
    """The daemon's stat of path in the container (HEAD archive), None when missing."""
    resp = api.request("HEAD", api.url("/containers/{0}/archive", container), {"path": path}, expect=(404,))
    resp.read()
    if resp.status == 404:
        return None
    header = resp.headers.get("X-Docker-Container-Path-Stat")
    if not header:
        return {}
    try:
        stat = json.loads(base64.b64decode(header))
    except (ValueError, TypeError) as exc:
        raise ContainerIOError(f"The daemon sent an unreadable stat of {path} in container {container}: {exc}.") from exc
    if not isinstance(stat, dict):
        raise ContainerIOError(f"The daemon sent an unreadable stat of {path} in container {container}.")
    return stat


_TAR_TYPES = {
    tarfile.DIRTYPE: "a directory",
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a named pipe (FIFO)",
}


def _check_member(member: tarfile.TarInfo, path: str, in_path: str, container: str) -> None:
    """The one member must be the file asked for: its base name, no directory part, no '..'."""
    name = member.name
    expected = posixpath.basename(path.rstrip("/")) or "/"
    where = f"{in_path} in container {container}"
    if name.startswith("/"):
        raise ContainerIOError(f"Refusing the archive the daemon sent for {where}: its member {name!r} has an absolute path.")
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        raise ContainerIOError(f"Refusing the archive the daemon sent for {where}: its member {name!r} climbs out with '..'.")
    if name.rstrip("/") != expected:
        raise ContainerIOError(
            f"Refusing the archive the daemon sent for {where}: it holds {name!r}, not {expected!r} "
            "(the daemon answers with the requested file only)."
        )


def _read_member(tar: tarfile.TarFile, path: str, in_path: str, container: str, out_path: str) -> str | None:
    """Write the one member to out_path; return a symlink's target instead when the member is a link."""
    where = f"{in_path} in container {container}"
    member = tar.next()
    if member is None:
        raise ContainerIOError(f"The daemon sent an empty archive for {where}.")
    _check_member(member, path, in_path, container)
    if member.issym():
        if not member.linkname or "\0" in member.linkname:
            raise ContainerIOError(f"{where} is a symbolic link without a usable target.")
        return member.linkname
    if not member.isfile():
        kind = _TAR_TYPES.get(member.type, f"not a regular file (tar type {member.type!r})")
        raise ContainerIOError(f"{where} is {kind}; only regular files (and symbolic links to them) can be fetched.")
    source = tar.extractfile(member)
    if source is None:
        raise ContainerIOError(f"Cannot read {where}: the archive has no data for it.")

    def complete(written: int) -> None:
        if written != member.size:
            raise ContainerIOError(
                f"The archive of {where} ended early: {written} of {member.size} bytes; nothing was written to {out_path}."
            )
        if tar.next() is not None:
            raise ContainerIOError(f"Refusing the archive the daemon sent for {where}: it holds more than the requested file.")

    _write_local(source, out_path, complete)
    return None


def fetch_file(api: DockerAPI, container: str, in_path: str, out_path: str, name: str | None = None) -> None:
    """Copy the file in_path (absolute, symlinks followed) from the container to out_path.

    ``name`` is how messages call the container (default: ``container``).
    The archive the daemon sends is checked before anything is written: one
    member, named like the file asked for (no absolute path, no '..'), a regular
    file or a symlink (followed inside the container, never on this machine),
    and complete.  A broken or hostile stream is a ContainerIOError naming the
    container and the path, never a raw ``tarfile`` exception; out_path is only
    replaced once the whole file has arrived.
    """
    shown = name or container
    path = in_path
    for _dummy in range(_MAX_LINKS):
        resp = api.request(
            "GET",
            api.url("/containers/{0}/archive", container),
            {"path": path},
            timeout=max(api.timeout, 300),
            expect=(404,),
        )
        if resp.status == 404:
            resp.read()
            raise RemoteFileNotFound(f"File {in_path} not found in container {shown}.")
        try:
            with tarfile.open(fileobj=resp.raw, mode="r|") as tar:
                link_target = _read_member(tar, path, in_path, shown, out_path)
        except _LocalWriteError as exc:
            raise ContainerIOError(f"Cannot write {out_path} on this machine: {exc.__cause__}.") from exc
        except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, UnicodeError) as exc:
            raise ContainerIOError(
                f"The daemon sent a broken archive for {in_path} in container {shown} "
                f"({type(exc).__name__}: {exc}); nothing was written to {out_path}. Try again; if it persists, "
                "check the container's file system and the daemon's log."
            ) from exc
        finally:
            resp.close()
        if link_target is None:
            return
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), link_target))
        if not path.startswith("/"):
            path = "/" + path
    raise ContainerIOError(f"Too many levels of symbolic links at {in_path} in container {shown}.")


class _LocalWriteError(Exception):
    """Writing the local copy failed (the cause is the OSError)."""


def _write_local(source: t.IO[bytes], out_path: str, complete: t.Callable[[int], None] | None = None) -> int:
    """Copy source to out_path through a temporary file; out_path is replaced only when
    ``complete(bytes written)`` (the archive checks) has not raised."""
    tmp = out_path + ".devops-docker-part"
    written = 0
    try:
        try:
            dest = open(tmp, "wb")  # pylint: disable=consider-using-with
        except OSError as exc:
            raise _LocalWriteError() from exc
        with dest:
            while True:
                chunk = source.read(_CHUNK)  # a truncated stream raises tarfile.ReadError here
                if not chunk:
                    break
                written += len(chunk)
                try:
                    dest.write(chunk)
                except OSError as exc:
                    raise _LocalWriteError() from exc
        if complete is not None:
            complete(written)
        try:
            os.replace(tmp, out_path)
        except OSError as exc:
            raise _LocalWriteError() from exc
        return written
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
