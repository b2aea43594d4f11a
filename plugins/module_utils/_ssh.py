# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Docker daemons over SSH, reached the way the docker CLI reaches them.

``docker_host: ssh://[user@]host[:port]`` runs the system ``ssh`` client with
``docker system dial-stdio`` as the remote command: that command connects to
the remote host's own daemon and copies bytes both ways between its
stdin/stdout and the daemon's socket.  The Engine API's HTTP is then spoken
over the ssh process's pipes.  Because it is the user's own ``ssh``, everything
in ``~/.ssh/config`` applies (Host aliases, IdentityFile, ProxyJump,
ControlMaster), as do ssh-agent and known_hosts.

* ``parse_ssh_url`` validates the URL (user, host, port; no password, no path).
* ``SSHTransport`` owns the ssh processes of one client: a process whose last
  HTTP exchange ended cleanly (keep-alive, body read to the end, no upgrade) is
  kept and reused, so a module run costs one SSH login, not one per request.
* ``SSHSocket`` is the socket-like object ``http.client`` and the hijacked
  exec/attach streams use: ``sendall``/``recv``/``makefile``/``settimeout``/
  ``shutdown(SHUT_WR)`` (closes ssh's stdin: the remote end sees EOF, as a
  half-closed TCP socket would give).
* ``describe_failure`` turns ssh's exit status and stderr into a message that
  names the host and says what to do.
"""

from __future__ import annotations

import errno
import io
import os
import re
import select
import shlex
import socket
import subprocess
import tempfile
import threading
import typing as t
import weakref
from dataclasses import dataclass
from http import client as http_client
from urllib.parse import unquote, urlsplit

from ansible_collections.devops.docker.plugins.module_utils._client import DaemonUnreachable, DockerError

SSH_COMMAND = "ssh"
REMOTE_COMMAND = ("docker", "system", "dial-stdio")
STDERR_SHOWN = 1500

_NAME_RE = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.@+~-]*$")
_HOST_RE = re.compile(r"^[A-Za-z0-9_.:%-]+$")


class SSHURLError(DockerError):
    """docker_host is an ssh:// URL this collection cannot use."""


class SSHError(DaemonUnreachable):
    """ssh (or the remote docker CLI) failed before the daemon answered."""


@dataclass(frozen=True)
class SSHTarget:
    host: str
    user: str | None = None
    port: int | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"ssh://{user}{host}{port}"

    @property
    def destination(self) -> str:
        """How ssh and the messages name the host: user@host, with the port when one is given."""
        user = f"{self.user}@" if self.user else ""
        port = f" port {self.port}" if self.port else ""
        return f"{user}{self.host}{port}"


def parse_ssh_url(url: str) -> SSHTarget:
    """``ssh://[user@]host[:port]`` -> SSHTarget; SSHURLError saying what is wrong otherwise."""
    usage = "use ssh://[user@]host[:port], for example ssh://deploy@docker1.example.com or ssh://docker1:2222"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SSHURLError(f"docker_host {url!r} is not a valid ssh:// URL ({exc}): {usage}.") from exc
    if parts.scheme != "ssh":
        raise SSHURLError(f"docker_host {url!r} is not an ssh:// URL: {usage}.")
    if parts.password is not None:
        raise SSHURLError(
            f"docker_host {_without_password(url)!r}: a password in the URL is not supported (it would show in logs "
            "and ssh could not type it anyway): use a key, loaded in ssh-agent or named with IdentityFile in "
            "~/.ssh/config."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SSHURLError(
            f"docker_host {url!r}: nothing may follow the host and port in an ssh:// URL (the remote docker CLI "
            f"finds its daemon itself, through its own DOCKER_HOST or /var/run/docker.sock): {usage}."
        )
    host = parts.hostname or ""
    if not host:
        raise SSHURLError(f"docker_host {url!r} names no host: {usage}.")
    if host.startswith("-") or not _HOST_RE.match(host):
        raise SSHURLError(f"docker_host {url!r}: {host!r} is not a host name or address: {usage}.")
    user = unquote(parts.username) if parts.username is not None else None
    if user is not None and (not user or not _NAME_RE.match(user)):
        raise SSHURLError(f"docker_host {url!r}: {user!r} is not a user name: {usage}.")
    if port is not None and not 0 < port < 65536:
        raise SSHURLError(f"docker_host {url!r}: port {port} is out of range (1-65535): {usage}.")
    return SSHTarget(host=host, user=user, port=port)


def _without_password(url: str) -> str:
    return re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:********@", url)


def ssh_argv(target: SSHTarget, timeout: float | None = None, ssh: str = SSH_COMMAND) -> list[str]:
    """The ssh command line: like the docker CLI's, plus BatchMode (a module cannot answer prompts)."""
    argv = [ssh, "-T", "-o", "BatchMode=yes"]
    if timeout:
        argv += ["-o", f"ConnectTimeout={max(1, int(timeout))}"]
    if target.user:
        argv += ["-l", target.user]
    if target.port:
        argv += ["-p", str(target.port)]
    argv += ["--", target.host]
    argv += REMOTE_COMMAND
    return argv


# -- what went wrong ------------------------------------------------------------
_NOT_INSTALLED = (
    "the docker CLI is not installed on {host}, or not in the PATH of a non-interactive SSH session. "
    "Install it there (Debian's docker.io, or docker-ce-cli; the devops.docker.engine role does): "
    "`docker system dial-stdio` runs on the remote host."
)
# (pattern in ssh's stderr, what it means and what to do); first match wins.
_FAILURES: tuple[tuple[str, str], ...] = (
    (
        r"Could not resolve hostname|Name or service not known|nodename nor servname",
        "ssh cannot resolve the host name {host!r}. Check the name in docker_host, or give it a Host entry with a "
        "HostName in ~/.ssh/config.",
    ),
    (
        r"REMOTE HOST IDENTIFICATION HAS CHANGED",
        "the SSH host key of {host} is not the one recorded in known_hosts: the host was reinstalled, or "
        "someone is in the middle. Check the new key with the host's admin, then replace the old one "
        "(ssh-keygen -R, then connect once with `ssh {dest}` by hand).",
    ),
    (
        r"Host key verification failed|No \S+ host key is known|host key is not known",
        "the SSH host key of {host} is not in known_hosts. Connect once with `ssh {dest}` by hand and accept "
        "the key after checking its fingerprint (or add it to ~/.ssh/known_hosts): the collection runs ssh with "
        "BatchMode=yes, so it never asks.",
    ),
    (
        r"permission denied while trying to connect to the Docker daemon socket|dial unix .*: connect: permission",
        "the SSH user on {host} may not use the Docker socket there. Add the user to the docker group "
        "(devops.docker.engine with engine_users) or connect as a user that may.",
    ),
    (
        r"Permission denied \(|Too many authentication failures|no mutual signature|Authentication failed",
        "{host} refused the SSH login{as_user}: no key of yours is authorized there. Add your public key to the "
        "remote user's ~/.ssh/authorized_keys (ssh-copy-id), load the key into ssh-agent, or name it with "
        "IdentityFile in ~/.ssh/config. Passwords cannot be typed in (BatchMode=yes).",
    ),
    (
        r"Connection refused",
        "nothing accepts SSH connections on {host} port {port}. Start sshd there, or put the right port in "
        "docker_host (ssh://host:PORT) or in ~/.ssh/config.",
    ),
    (
        r"timed out|No route to host|Network is unreachable",
        "{host} port {port} cannot be reached over the network. Check the address, the network and the "
        "firewall (ssh's ConnectTimeout is the module's timeout option).",
    ),
    (r"docker: (command )?not found|docker: No such file|command not found|\"docker\": executable file", _NOT_INSTALLED),
    (
        r"unknown command|is not a docker command|unknown shorthand flag|dial-stdio",
        "the docker CLI on {host} is too old for `docker system dial-stdio` (it needs Docker 18.09 or newer). "
        "Upgrade it there.",
    ),
    (
        r"Cannot connect to the Docker daemon|Is the docker daemon running|docker\.sock: connect",
        "the docker CLI on {host} cannot reach its own daemon. Start the engine there (systemctl start docker, "
        "or the devops.docker.engine role).",
    ),
)


def describe_failure(
    target: SSHTarget, returncode: int | None, stderr: str, argv: list[str] | None = None, lost: bool = False
) -> str:
    """The message for an ssh connection that ended before the daemon answered (or, ``lost``, while it did)."""
    stderr = "\n".join(
        line for line in stderr.replace("\r", "").splitlines()
        if line.strip("@ \t") and not line.startswith("Warning: Permanently added")
    ).strip()
    port = target.port or 22
    fields = {
        "host": target.host,
        "dest": (f"-p {target.port} " if target.port else "") + (f"{target.user}@" if target.user else "") + target.host,
        "port": port,
        "as_user": f" as {target.user}" if target.user else "",
    }
    hint = None
    if lost:
        hint = (
            f"the SSH connection to {target.host} broke while the daemon was answering. Check the network and "
            "the host (sshd, dockerd), then run the task again: what was asked may or may not have been done."
        )
    for pattern, text in _FAILURES if hint is None else ():
        if re.search(pattern, stderr):
            hint = text.format(**fields)
            break
    if hint is None:
        if returncode == 127:
            hint = _NOT_INSTALLED.format(**fields)
        elif returncode == 255:
            hint = f"ssh could not connect to {target.host}. Try `ssh {fields['dest']} docker version` by hand."
        else:
            hint = (
                f"the connection ended before the Docker daemon on {target.host} answered. "
                f"Try `ssh {fields['dest']} docker version` by hand."
            )
    msg = f"Cannot reach the Docker daemon at {target.url} over SSH: {hint}"
    status = "was killed" if returncode is not None and returncode < 0 else f"exited with {returncode}"
    if returncode is None:
        status = "closed the connection"
    if len(stderr) > STDERR_SHOWN:
        stderr = "..." + stderr[-STDERR_SHOWN:]
    msg += f" (ssh {status}" + (f": {stderr})" if stderr else ", printing nothing)")
    if argv:
        msg += f" Command: {shlex.join(argv)}"
    return msg


# -- the ssh process ------------------------------------------------------------
class SSHProcess:
    """One ``ssh HOST docker system dial-stdio`` process: a byte pipe to the remote daemon."""

    def __init__(self, target: SSHTarget, argv: list[str]) -> None:
        self.target = target
        self.argv = argv
        self.received = False  # any byte from the daemon yet: later EOFs are ordinary closes
        self._stderr = tempfile.TemporaryFile()  # pylint: disable=consider-using-with
        try:
            self.proc = subprocess.Popen(  # pylint: disable=consider-using-with
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                bufsize=0,
                close_fds=True,
                start_new_session=True,  # no controlling terminal: ssh cannot prompt, ^C is ours
            )
        except FileNotFoundError as exc:
            self._stderr.close()
            raise SSHError(
                f"Cannot reach the Docker daemon at {target.url}: the ssh client ({argv[0]}) is not installed on "
                "the machine that runs the task. Install it (Debian/Ubuntu: openssh-client)."
            ) from exc
        except OSError as exc:
            self._stderr.close()
            raise SSHError(f"Cannot reach the Docker daemon at {target.url}: cannot run {argv[0]}: {exc}.") from exc
        self.out_fd = self.proc.stdout.fileno()
        self.in_fd = self.proc.stdin.fileno()
        os.set_blocking(self.in_fd, False)
        self.input_closed = False
        self.ended = False  # terminate() closed the pipes: their fd numbers may belong to other files now

    # reading and writing, with an optional timeout (None: wait forever)
    def read(self, size: int, timeout: float | None) -> bytes:
        if self.ended:
            raise OSError(errno.EBADF, "the SSH connection to the Docker daemon is closed")
        if not _wait(self.out_fd, False, timeout):
            raise socket.timeout("timed out")
        data = os.read(self.out_fd, size)
        if data:
            self.received = True
        elif not self.received:
            raise self.failure()
        elif self._exit_status(0.5) == 255:
            # The daemon closing the connection ends dial-stdio and ssh with 0; 255 is ssh's own failure.
            raise SSHError(
                describe_failure(self.target, 255, self.stderr_text(), self.argv, lost=True),
                ssh_stderr=self.stderr_text(),
            )
        return data

    def _exit_status(self, wait: float) -> int | None:
        try:
            return self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return None

    def write(self, data: bytes, timeout: float | None) -> None:
        view = memoryview(data)
        while view:
            if self.input_closed:
                raise BrokenPipeError(errno.EPIPE, "the SSH connection's input is closed")
            try:
                written = os.write(self.in_fd, view)
            except BlockingIOError:
                if not _wait(self.in_fd, True, timeout):
                    raise socket.timeout("timed out") from None
                continue
            except (BrokenPipeError, ValueError) as exc:
                if not self.received:
                    raise self.failure() from exc
                raise BrokenPipeError(errno.EPIPE, "the SSH connection to the Docker daemon is closed") from exc
            view = view[written:]

    def close_input(self) -> None:
        if not self.input_closed:
            self.input_closed = True
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def failure(self) -> SSHError:
        """The error for an ssh that ended before the daemon said anything (waits briefly for its exit)."""
        try:
            returncode = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            returncode = None
        stderr = self.stderr_text()
        self.terminate()
        return SSHError(describe_failure(self.target, returncode, stderr, self.argv), ssh_stderr=stderr)

    def stderr_text(self) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode("utf-8", errors="replace")
        except (OSError, ValueError):
            return ""

    def reusable(self) -> bool:
        """Still running, with no unread byte or EOF waiting: safe for the next request."""
        if self.ended or self.input_closed or self.proc.poll() is not None:
            return False
        return not _wait(self.out_fd, False, 0)

    def terminate(self, grace: float = 0.0) -> None:
        """End the process: EOF on its stdin first (a clean logout), then SIGTERM if it lingers."""
        self.close_input()
        if self.proc.poll() is None:
            if grace:
                try:
                    self.proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    pass
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.ended = True
        for stream in (self.proc.stdout, self._stderr):
            try:
                stream.close()
            except OSError:
                pass


def _wait(fd: int, write: bool, timeout: float | None) -> bool:
    """poll() one fd; False on timeout. EOF and errors count as ready (the next read or write tells)."""
    poller = select.poll()
    poller.register(fd, select.POLLOUT if write else select.POLLIN)
    return bool(poller.poll(None if timeout is None else max(0, int(timeout * 1000))))


# -- the socket-like object -----------------------------------------------------
class SSHSocket:
    """What http.client and the exec streams see as ``conn.sock``: one HTTP connection on an ssh process."""

    def __init__(self, transport: SSHTransport, process: SSHProcess, timeout: float | None) -> None:
        self._transport = transport
        self._process = process
        self._timeout = timeout
        self._io_refs = 0
        self._closed = False
        self._released = False
        self.reusable = False  # set by SSHHTTPConnection.close() when the exchange ended cleanly

    # socket API used by http.client and _container_exec/_container_io
    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def gettimeout(self) -> float | None:
        return self._timeout

    def setsockopt(self, *args: t.Any) -> None:
        pass

    def fileno(self) -> int:
        return self._process.out_fd

    def sendall(self, data: bytes) -> None:
        self._check_open()
        self._process.write(bytes(data), self._timeout)

    def send(self, data: bytes) -> int:
        self.sendall(data)
        return len(data)

    def recv(self, size: int) -> bytes:
        self._check_open()
        return self._process.read(size, self._timeout)

    def recv_into(self, buffer: t.Any, nbytes: int = 0) -> int:
        view = memoryview(buffer)
        data = self.recv(nbytes or len(view))
        view[:len(data)] = data
        return len(data)

    def shutdown(self, how: int) -> None:
        """SHUT_WR: EOF on the remote side's input, reading goes on (the exec's end of stdin)."""
        if how in (socket.SHUT_WR, socket.SHUT_RDWR):
            self.reusable = False
            self._process.close_input()

    def makefile(self, mode: str = "r", buffering: int | None = None, **_kwargs: t.Any) -> io.BufferedReader:
        if "w" in mode:
            raise ValueError("SSHSocket.makefile: only reading is supported")
        self._io_refs += 1
        return io.BufferedReader(_SocketReader(self), buffer_size=buffering or io.DEFAULT_BUFFER_SIZE)

    def close(self) -> None:
        """Closed for its user; the process is released once no file made by makefile() is open."""
        self._closed = True
        if self._io_refs <= 0:
            self._release()

    def _decref(self) -> None:
        self._io_refs -= 1
        if self._closed and self._io_refs <= 0:
            self._release()

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self._transport.release(self._process, self.reusable)

    def _check_open(self) -> None:
        if self._released:
            raise OSError(errno.EBADF, "the SSH connection to the Docker daemon is closed")


class _SocketReader(io.RawIOBase):
    """The raw side of SSHSocket.makefile('rb')."""

    def __init__(self, sock: SSHSocket) -> None:
        super().__init__()
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: t.Any) -> int:
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._sock._decref()  # pylint: disable=protected-access


# -- http.client on top ---------------------------------------------------------
class _TrackedResponse(http_client.HTTPResponse):
    """An HTTPResponse that knows whether its body was read to the end (then the pipe is clean)."""

    ended = False
    _closing = False

    def close(self) -> None:
        if self.fp is not None and not self.chunked and self.length == 0:
            self.ended = True  # read1() reads up to the length without marking the end
        self._closing = True
        try:
            super().close()
        finally:
            self._closing = False

    def _close_conn(self) -> None:
        if not self._closing:
            self.ended = True
        super()._close_conn()


class SSHHTTPConnection(http_client.HTTPConnection):
    """An HTTPConnection whose socket is an ssh process, kept for the next request when it can be."""

    response_class = _TrackedResponse

    def __init__(self, transport: SSHTransport, timeout: float | None) -> None:
        super().__init__("localhost", timeout=timeout)
        self._transport = transport
        self._last: _TrackedResponse | None = None

    def connect(self) -> None:
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        self.sock = self._transport.acquire(timeout)

    def getresponse(self) -> http_client.HTTPResponse:
        response = super().getresponse()
        self._last = t.cast(_TrackedResponse, response)
        return response

    def _clean(self) -> bool:
        resp = self._last
        return bool(
            resp is not None
            and resp.ended
            and resp.fp is None
            and not resp.will_close
            and resp.status != http_client.SWITCHING_PROTOCOLS
        )

    def close(self) -> None:
        if isinstance(self.sock, SSHSocket):
            self.sock.reusable = self.sock.reusable or self._clean()
        self._last = None
        super().close()


class SSHTransport:
    """The ssh processes of one Docker client: started on demand, reused while clean."""

    def __init__(self, url: str, timeout: float | None = None, ssh: str = SSH_COMMAND) -> None:
        self.target = parse_ssh_url(url)
        self.timeout = timeout
        self.argv = ssh_argv(self.target, timeout, ssh)
        self.started = 0  # ssh processes started, for tests and -vvv
        self._idle: list[SSHProcess] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_idle, self._idle)

    def connection(self, timeout: float | None = None) -> SSHHTTPConnection:
        return SSHHTTPConnection(self, timeout if timeout is not None else self.timeout)

    def acquire(self, timeout: float | None) -> SSHSocket:
        with self._lock:
            while self._idle:
                process = self._idle.pop()
                if process.reusable():
                    return SSHSocket(self, process, timeout)
                process.terminate()
            self.started += 1
        return SSHSocket(self, SSHProcess(self.target, self.argv), timeout)

    def release(self, process: SSHProcess, reusable: bool) -> None:
        if reusable and process.reusable():
            with self._lock:
                self._idle.append(process)
            return
        process.terminate()

    def close(self) -> None:
        self._finalizer()


def _close_idle(idle: list[SSHProcess]) -> None:
    while idle:
        idle.pop().terminate(grace=2)
