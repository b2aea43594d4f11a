# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``docker exec``: run a command in a running container.

The exec's output comes over a hijacked connection (``POST /exec/{id}/start``
with ``Upgrade: tcp``); this module speaks that itself on the connection
``DockerAPI`` opens, so the Docker SDK is never imported.  Pure helpers
(command splitting, env, CLI rendering, the upgrade response) are unit-tested.
"""

from __future__ import annotations

import json
import shlex
import socket
import threading
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import check_arg_lengths
from ansible_collections.devops.docker.plugins.module_utils._values._streams import split_output
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker

_ENV_KEY_CHARS = set("=\0")


# ---------------------------------------------------------------- pure helpers
def split_command(command: t.Any, option: str = "command") -> list[str]:
    """An argv list stays as it is; a string is split like a POSIX shell would (shlex), as the CLI does.

    No shell runs: pipes, redirections and variables need ['sh', '-c', '...'].
    """
    if command is None:
        raise DockerError(f"{option}: a command is required, as a list (['ls', '-l', '/']) or a string ('ls -l /').")
    check_arg_lengths(command, option)
    if isinstance(command, (list, tuple)):
        if not command:
            raise DockerError(f"{option}: the command list is empty; give at least the program to run, like ['ls', '-l'].")
        argv = []
        for item in command:
            if item is None or isinstance(item, (dict, list, tuple)):
                raise DockerError(f"{option}: every element of the list must be a string; {item!r} is not.")
            argv.append(str(item) if not isinstance(item, bool) else ("true" if item else "false"))
        return argv
    if not isinstance(command, str):
        command = str(command)
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise DockerError(
            f"{option}: cannot split {command!r} into arguments ({exc}); close the quote, or give the command as a list."
        ) from exc
    if not argv:
        raise DockerError(f"{option}: the command is empty; give at least the program to run, like 'ls -l'.")
    return argv


def env_list(env: dict[str, t.Any] | None, option: str = "env") -> list[str]:
    """{KEY: value} -> ['KEY=value'], values as the CLI would write them (true, 1, ...)."""
    result = []
    for key, value in (env or {}).items():
        key = str(key)
        if not key or _ENV_KEY_CHARS & set(key):
            raise DockerError(f"{option}: {key!r} is not a valid variable name; it must be non-empty and contain no '='.")
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (dict, list)):
            raise DockerError(f"{option}.{key}: the value must be a string or a number, not a {type(value).__name__}; quote it.")
        result.append(f"{key}={value}")
    return result


def exec_cli(
    container: str,
    argv: list[str],
    *,
    user: str | None = None,
    workdir: str | None = None,
    env_keys: t.Iterable[str] = (),
    interactive: bool = False,
    tty: bool = False,
    detach: bool = False,
    privileged: bool = False,
) -> list[str]:
    """The equivalent ``docker exec`` argv. Env values are left out (they may be secret): ``-e KEY`` only."""
    cli = ["docker", "exec"]
    if detach:
        cli.append("--detach")
    if interactive:
        cli.append("--interactive")
    if tty:
        cli.append("--tty")
    if privileged:
        cli.append("--privileged")
    if user:
        cli += ["--user", user]
    if workdir:
        cli += ["--workdir", workdir]
    for key in env_keys:
        cli += ["--env", key]
    return cli + [container] + list(argv)


def parse_upgrade_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status and headers of the answer to the hijack request."""
    lines = head.decode("iso-8859-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise DockerError(f"The Docker daemon answered the exec start request with {lines[0]!r}, not HTTP.")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


def exit_hint(rc: int | None, output: str) -> str:
    """A short explanation of the exit codes the runtime itself produces."""
    if "executable file not found" in output or ("no such file or directory" in output and "exec:" in output):
        return " (the program does not exist in the container: check its name, give its full path, or check the image's PATH)"
    if "chdir to cwd" in output:
        return " (the workdir does not exist in the container: create it first or fix workdir)"
    if "unable to find user" in output or "no matching entries in passwd file" in output:
        return " (the user does not exist in the container: give a numeric UID or a user of its /etc/passwd)"
    if rc == 126:
        return " (rc 126: the program could not be run: not executable, or not permitted for this user)"
    if rc == 127:
        return " (rc 127: command not found)"
    return ""


def tty_eof(data: bytes) -> bytes:
    """What ends the input of a terminal: ^D, twice when the last line has no newline (the first flushes it)."""
    return b"\x04" if not data or data.endswith(b"\n") else b"\x04\x04"


def strip_ends(text: str) -> str:
    return text.rstrip("\r\n")


def attach_container(api: DockerAPI, cid: str, tty: bool, stdin: bytes | None, started: t.Callable[[], None]) -> bytes:
    """``docker start --attach [--interactive]`` on a created container: the hijacked attach stream is opened,
    ``started`` starts the container, ``stdin`` (None: not attached) is sent and closed; returns the raw output."""
    query = "?stream=1&stdout=1&stderr=1" + ("&stdin=1" if stdin is not None else "")
    return ExecRunner(api, {})._attach(api.url("/containers/{0}/attach", cid) + query, {"Tty": tty}, stdin, started)  # pylint: disable=protected-access


# ---------------------------------------------------------------- the runner
class ExecRunner:
    """What container_exec does. ``run()`` returns the module result; failures raise DockerError."""

    def __init__(self, api: DockerAPI, params: dict[str, t.Any], check_mode: bool = False) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.tracker = Tracker()

    def run(self) -> dict[str, t.Any]:
        p = self.params
        name = p["container"]
        argv = split_command(p["command"])
        env = env_list(p.get("env"), "env")
        secret_env = env_list(p.get("secret_env"), "secret_env")
        stdin = p.get("stdin")
        if stdin is not None and p.get("detach"):
            raise DockerError("stdin: cannot send input to a detached command; set detach: false or drop stdin.")
        if stdin is not None and p.get("stdin_add_newline", True) and not stdin.endswith("\n"):
            stdin += "\n"
        workdir = p.get("workdir")
        if workdir is not None and not workdir.startswith("/"):
            raise DockerError(f"workdir: {workdir!r} is not an absolute path; write it like /app (it is a path inside the container).")

        container = self.api.inspect_container(name)
        if container is None:
            raise DockerError(
                f"container: there is no container named {name!r}; create and start it first "
                "(devops.docker.container with state: started), or fix the name."
            )
        state = container.get("State") or {}
        if not state.get("Running") or state.get("Paused") or state.get("Restarting"):
            status = state.get("Status") or "not running"
            todo = "Unpause" if state.get("Paused") else "Start"
            raise DockerError(
                f"container: {name!r} is {status}; docker exec needs a running container. "
                f"{todo} it first (devops.docker.container with state: started)."
            )

        keys = [item.partition("=")[0] for item in env + secret_env]
        cli = exec_cli(
            name, argv, user=p.get("user"), workdir=workdir, env_keys=keys,
            interactive=stdin is not None, tty=bool(p.get("tty")), detach=bool(p.get("detach")),
            privileged=bool(p.get("privileged")),
        )
        self.tracker.action(*cli)
        base = {"cmd": argv, "container_id": container["Id"]}
        if self.check_mode:
            result = self.tracker.result(**base)
            result.pop("diff", None)
            result.update(changed=False, skipped=True, msg="skipped, running in check mode: the command would have run")
            return result

        create = {
            "AttachStdin": stdin is not None,
            "AttachStdout": not p.get("detach"),
            "AttachStderr": not p.get("detach"),
            "Tty": bool(p.get("tty")),
            "Cmd": argv,
            "Env": env + secret_env,
            "Privileged": bool(p.get("privileged")),
        }
        if p.get("user"):
            create["User"] = p["user"]
        if workdir:
            create["WorkingDir"] = workdir
        created = self.api.post(self.api.url("/containers/{0}/exec", container["Id"]), body=create)
        exec_id = created["Id"]
        start_path = self.api.url("/exec/{0}/start", exec_id)
        result = self.tracker.result(exec_id=exec_id, **base)
        result.pop("diff", None)
        if p.get("detach"):
            self.api.request("POST", start_path, body={"Detach": True, "Tty": bool(p.get("tty"))}).read()
            return result

        data = self._attach(start_path, {"Detach": False, "Tty": bool(p.get("tty"))},
                            stdin.encode("utf-8") if stdin is not None else None)
        parts = split_output(data, bool(p.get("tty")))
        stdout, stderr = parts["stdout"], parts["stderr"]
        if p.get("strip_empty_ends", True):
            stdout, stderr = strip_ends(stdout), strip_ends(stderr)
        rc = self._exit_code(exec_id)
        if rc is None:
            raise DockerError(
                f"The output of the command in container {name!r} ended but the command is still running "
                f"(exec {exec_id[:12]}); it was left running. If it reads its standard input, give it stdin.",
                **result,
            )
        result.update(
            rc=rc,
            stdout=stdout,
            stderr=stderr,
            stdout_lines=stdout.splitlines(),
            stderr_lines=stderr.splitlines(),
        )
        if rc != 0:
            shown = (stderr or stdout).strip()
            if len(shown) > 2000:
                shown = "..." + shown[-2000:]
            msg = f"The command exited with rc {rc} in container {name!r}: {' '.join(shlex.quote(a) for a in argv)}"
            msg += exit_hint(rc, stdout + stderr)
            if shown:
                msg += f"\n{shown}"
            raise DockerError(msg, **{k: v for k, v in result.items() if k != "msg"})
        return result

    # -- the hijacked connection -----------------------------------------
    def _attach(self, path: str, body: dict[str, t.Any], stdin: bytes | None,
                started: t.Callable[[], None] | None = None) -> bytes:
        api = self.api
        payload = json.dumps(body).encode("utf-8")
        conn = api._connection(None)  # pylint: disable=protected-access
        try:
            try:
                conn.connect()
            except (FileNotFoundError, ConnectionRefusedError, PermissionError) as exc:
                raise DockerError(f"Cannot reach the Docker daemon at {api.base_url}: {exc}.") from exc
            sock = conn.sock
            request = (
                f"POST {path} HTTP/1.1\r\n"
                "Host: docker\r\n"
                "User-Agent: devops.docker\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n"
                "Connection: Upgrade\r\n"
                "Upgrade: tcp\r\n"
                "\r\n"
            ).encode("ascii") + payload
            try:
                sock.sendall(request)
                buf = b""
                while b"\r\n\r\n" not in buf:
                    chunk = sock.recv(65536)
                    if not chunk:
                        raise DockerError("The Docker daemon closed the connection while starting the exec; look at its log.")
                    buf += chunk
                head, _sep, rest = buf.partition(b"\r\n\r\n")
                status, headers = parse_upgrade_head(head)
                if status >= 400:
                    length = int(headers.get("content-length") or 0)
                    while len(rest) < length:
                        chunk = sock.recv(65536)
                        if not chunk:
                            break
                        rest += chunk
                    try:
                        explanation = json.loads(rest).get("message") or rest.decode()
                    except (ValueError, AttributeError):
                        explanation = rest.decode("utf-8", errors="replace")
                    raise DockerError(f"Docker API error {status} on POST {path}: {explanation}", status=status)
                if started is not None:
                    started()  # a container attach: start it once the stream is open, so no output is lost
                writer = None
                if stdin is not None:
                    # A terminal has no half-close: end of input is ^D at the start of a line.
                    data = stdin + tty_eof(stdin) if body.get("Tty") else stdin
                    writer = self._send_stdin(sock, data, close=not body.get("Tty"))
                chunks = [rest]
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                if writer is not None:
                    writer.join(5)
                return b"".join(chunks)
            except socket.timeout as exc:
                raise DockerError(
                    f"The command stayed silent for more than {api.timeout}s (the timeout option) and was left "
                    "running in the container; raise timeout for commands that take longer, or use detach: true."
                ) from exc
        finally:
            conn.close()

    def _send_stdin(self, sock: t.Any, data: bytes, close: bool) -> threading.Thread | None:
        """Send the input while the output is read, so a command that echoes a large input cannot dead-lock.

        A TLS socket must not be used from two threads at once: there the input is sent first
        (an input larger than the socket buffers can then stall until the timeout).
        """
        import ssl  # pylint: disable=import-outside-toplevel

        def send() -> None:
            try:
                sock.sendall(data)
                if close:
                    self._close_write(sock)
            except OSError:
                pass  # the command ended without reading all of its input, as with a shell pipe

        if isinstance(sock, ssl.SSLSocket):
            send()
            return None
        writer = threading.Thread(target=send, name="container_exec-stdin", daemon=True)
        writer.start()
        return writer

    @staticmethod
    def _close_write(sock: t.Any) -> None:
        """Tell the process its stdin is finished (EOF), keeping the read side open."""
        import ssl  # pylint: disable=import-outside-toplevel

        if isinstance(sock, ssl.SSLSocket):
            # A TLS socket cannot be half-closed without ending the TLS session;
            # the process sees EOF when the daemon closes after it exits.
            return
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _exit_code(self, exec_id: str) -> int | None:
        path = self.api.url("/exec/{0}/json", exec_id)
        deadline = time.monotonic() + 5
        while True:
            info = self.api.get(path)
            if not info.get("Running") or time.monotonic() > deadline:
                return info.get("ExitCode")
            time.sleep(0.05)
