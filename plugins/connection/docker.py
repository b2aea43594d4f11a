# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: docker
short_description: Run tasks inside a running Docker container through the Engine API
version_added: 0.1.0
description:
  - Runs commands in a running container with the Engine API's exec endpoints, and copies files in and out with
    its archive endpoints. Neither C(sshd) nor the C(docker) CLI is needed, in the container or on the controller;
    the controller talks to the daemon's socket (or C(tcp://) address) directly.
  - Modules, M(ansible.builtin.command) included, need a Python interpreter in the container. A container without
    one can still run M(ansible.builtin.raw) tasks.
  - File transfers keep the bytes exactly; a copied file belongs to the user the exec runs as
    (O(remote_user), or the container's own user).
  - The P(devops.docker.containers#inventory) inventory plugin sets C(ansible_connection), C(ansible_host) and
    C(ansible_docker_docker_host) for each container, so a play can target containers right away.
author:
  - devops.docker team (@devops-docker)
notes:
  - Privilege escalation works the usual way (C(become), C(become_user), C(become_method) sudo or su), with the
    become tool installed in the container. C(become_password) is answered over the exec's stdin.
  - A container that is not running fails the task as unreachable, with a message that says how to start it.
  - Over a TLS C(tcp://) daemon, the end of stdin (pipelining) is signalled by closing the sending side of the TCP
    connection without a TLS C(close_notify); Docker Engine ends the command's stdin on it (tested with Engine 20.10).
extends_documentation_fragment:
  - ansible.builtin.connection_pipelining
options:
  remote_addr:
    description:
      - The name or ID of the container.
    type: str
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
      - name: ansible_docker_container
  remote_user:
    description:
      - The user the commands run as inside the container (C(docker exec --user)), as a name, a UID or C(UID:GID).
      - Unset, the container's own user (its C(Config.User), usually root).
    type: str
    vars:
      - name: ansible_user
      - name: ansible_docker_user
    ini:
      - section: defaults
        key: remote_user
    env:
      - name: ANSIBLE_REMOTE_USER
    cli:
      - name: user
    keyword:
      - name: remote_user
  working_dir:
    description:
      - The working directory of the commands (C(docker exec --workdir)). Unset, the container's own.
    type: str
    vars:
      - name: ansible_docker_working_dir
    env:
      - name: ANSIBLE_DOCKER_WORKING_DIR
  docker_host:
    description:
      - The Docker daemon that runs the container, as C(unix:///path/to/docker.sock), C(tcp://HOST:PORT) or
        C(ssh://[USER@]HOST[:PORT]).
      - Defaults to the E(DOCKER_HOST) environment variable, then to C(unix:///var/run/docker.sock).
      - With C(ssh://), the controller's C(ssh) client runs C(docker system dial-stdio) on HOST, as the docker CLI
        does; C(~/.ssh/config), ssh-agent and known_hosts apply, and ssh never prompts (C(BatchMode=yes)). Each task
        opens its own SSH connections; C(ControlMaster auto) with C(ControlPersist) in C(~/.ssh/config) shares one
        login between them. The TLS options do not apply to it.
    type: str
    vars:
      - name: ansible_docker_docker_host
    env:
      - name: DOCKER_HOST
  tls:
    description:
      - Use TLS for a C(tcp://) O(docker_host) without verifying the daemon's certificate.
    type: bool
    default: false
    vars:
      - name: ansible_docker_tls
    env:
      - name: DOCKER_TLS
  validate_certs:
    description:
      - Use TLS and verify the daemon's certificate against O(ca_path).
    type: bool
    default: false
    vars:
      - name: ansible_docker_validate_certs
    env:
      - name: DOCKER_TLS_VERIFY
  ca_path:
    description:
      - CA certificate file used to verify the daemon's certificate.
    type: path
    vars:
      - name: ansible_docker_ca_path
  client_cert:
    description:
      - Client certificate file presented to the daemon.
    type: path
    vars:
      - name: ansible_docker_client_cert
  client_key:
    description:
      - Private key file of O(client_cert).
    type: path
    vars:
      - name: ansible_docker_client_key
  api_version:
    description:
      - The Engine API version to speak, for example V(1.41). V(auto) uses the daemon's own version.
    type: str
    default: auto
    vars:
      - name: ansible_docker_api_version
    env:
      - name: DOCKER_API_VERSION
  timeout:
    description:
      - Seconds to wait for an answer from the daemon, and for a C(become) password prompt.
      - A command may run longer than this; only the daemon's answers are timed.
    type: int
    default: 60
    vars:
      - name: ansible_docker_timeout
    env:
      - name: ANSIBLE_DOCKER_TIMEOUT
    ini:
      - section: docker_connection
        key: timeout
"""

EXAMPLES = r"""
# In an inventory (or use the devops.docker.containers inventory plugin, which sets these):
#   [containers]
#   web ansible_connection=devops.docker.docker ansible_host=dt-web ansible_user=www-data

- name: Configure the application inside its container
  hosts: containers
  gather_facts: false
  vars:
    ansible_connection: devops.docker.docker
    ansible_docker_docker_host: unix:///var/run/docker.sock
  tasks:
    - name: Write the configuration file
      ansible.builtin.copy:
        content: "listen = 8080\n"
        dest: /etc/app.conf
        mode: "0644"

    - name: Show a busybox container's kernel (no Python needed for raw)
      ansible.builtin.raw: uname -a
      changed_when: false

- name: Containers of a Docker host reached over SSH (~/.ssh/config applies)
  hosts: remote_containers
  gather_facts: false
  vars:
    ansible_connection: devops.docker.docker
    ansible_docker_docker_host: ssh://deploy@docker1.example.com
  tasks:
    - name: Show each container's uptime
      ansible.builtin.raw: uptime
      changed_when: false
"""

import os
import posixpath
import tarfile
import typing as t
from contextlib import contextmanager

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

from ansible_collections.devops.docker.plugins.module_utils._client import (
    DockerAPI,
    DockerError,
    NotFound,
)
from ansible_collections.devops.docker.plugins.plugin_utils._container_io import (
    ContainerIOError,
    ExecSession,
    RemoteFileNotFound,
    fetch_file,
    put_file,
    run_command,
)

display = Display()

START_HINT = "start it with devops.docker.container state=started (docker start {name})"


class Connection(ConnectionBase):
    """Run tasks in a container through the Docker Engine API."""

    transport = "devops.docker.docker"
    has_pipelining = True
    has_tty = False

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.api: DockerAPI | None = None
        self.container_id: str | None = None
        self._ids: dict[str | None, tuple[int, int]] = {}

    # -- helpers -------------------------------------------------------------
    @property
    def _name(self) -> str:
        return str(self.get_option("remote_addr"))

    def _api_params(self) -> dict[str, t.Any]:
        return {
            key: self.get_option(key)
            for key in ("docker_host", "tls", "validate_certs", "ca_path", "client_cert", "client_key",
                        "api_version", "timeout")
        }

    def _fail(self, exc: Exception) -> t.NoReturn:
        if isinstance(exc, NotFound):
            raise AnsibleConnectionFailure(
                f"Container {self._name} does not exist on {self.api.base_url if self.api else 'the daemon'}: "
                f"check the name (docker ps -a) or create it with devops.docker.container. ({exc})"
            ) from exc
        status = getattr(exc, "status", None)
        if status == 409:
            raise AnsibleConnectionFailure(self._not_running(self._state() or "not running")) from exc
        raise AnsibleConnectionFailure(f"Container {self._name}: {getattr(exc, 'msg', None) or exc}") from exc

    def _not_running(self, status: str) -> str:
        hint = (
            f"unpause it with devops.docker.container state=started (docker unpause {self._name})"
            if status == "paused" else START_HINT.format(name=self._name)
        )
        return f"Container {self._name} is not running (state: {status}); {hint}."

    def _state(self) -> str | None:
        try:
            info = self.api.inspect_container(self.container_id or self._name) if self.api else None
        except DockerError:
            return None
        if not info:
            return None
        state = info.get("State") or {}
        return "paused" if state.get("Paused") else state.get("Status")

    # -- ConnectionBase --------------------------------------------------------
    def _connect(self) -> Connection:
        if self._connected:
            return self
        try:
            self.api = DockerAPI(self._api_params())
            info = self.api.inspect_container(self._name)
        except DockerError as exc:
            raise AnsibleConnectionFailure(f"Container {self._name}: {exc.msg}") from exc
        if info is None:
            raise AnsibleConnectionFailure(
                f"Container {self._name} does not exist on {self.api.base_url}: check the name (docker ps -a) "
                "or create it with devops.docker.container."
            )
        state = info.get("State") or {}
        if not state.get("Running") or state.get("Paused"):
            status = "paused" if state.get("Paused") else state.get("Status", "unknown")
            raise AnsibleConnectionFailure(self._not_running(status))
        self.container_id = info["Id"]
        display.vvv(
            f"ESTABLISH DOCKER API CONNECTION TO {self._name} ({self.container_id[:12]}) ON {self.api.base_url} "
            f"AS {self.get_option('remote_user') or (info.get('Config') or {}).get('User') or 'the container user'}",
            host=self._name,
        )
        self._connected = True
        return self

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        executable = self._play_context.executable or "/bin/sh"
        argv = [executable, "-c", to_text(cmd, errors="surrogate_or_strict")]
        do_become = bool(self.become and self.become.expect_prompt() and sudoable)
        display.vvv(
            f"EXEC {argv!r}{f' with {len(in_data)} bytes on stdin' if in_data is not None else ''}"
            f"{' answering a become prompt' if do_become else ''}",
            host=self._name,
        )
        try:
            session = ExecSession(
                self.api,
                self.container_id,
                argv,
                user=self.get_option("remote_user"),
                workdir=self.get_option("working_dir"),
                stdin=in_data is not None or do_become,
            )
            session.start()
            try:
                skip_stderr = self._answer_become_prompt(session) if do_become else 0
                stdout, stderr = session.communicate(in_data)
            finally:
                session.close()
            rc = session.exit_code()
        except DockerError as exc:
            self._fail(exc)
        # The become prompt is not the command's output.
        return rc, stdout, stderr[skip_stderr:]

    def _answer_become_prompt(self, session: ExecSession) -> int:
        """Wait for the become prompt (or success), answer it; returns how much stderr it took.

        The prompt goes to stderr and is dropped from the command's stderr;
        a wrong or missing password fails with a clear message.
        """
        become = self.become
        if become is None:
            return 0
        seen = b""
        session.set_read_timeout(self.get_option("timeout"))
        try:
            while not become.check_success(seen) and not become.check_password_prompt(seen):
                seen += self._next_become_output(session, seen)
            # stdout and stderr frames race: only stderr up to the prompt is the prompt.
            prompt_end = len(session.stderr)
            if not become.check_success(seen):
                password = become.get_option("become_pass", playcontext=self._play_context)
                session.write(to_bytes(password or "", errors="surrogate_or_strict") + b"\n")
                after = b""
                while not become.check_success(after):
                    after += self._next_become_output(session, seen + after)
                    if become.check_incorrect_password(after) or become.check_missing_password(after):
                        raise AnsibleConnectionFailure(
                            f"Incorrect {become.name} password for user {self.get_option('remote_user') or 'root'} "
                            f"in container {self._name}: set become_password (ansible_become_password) right, or "
                            "allow the user without a password (NOPASSWD in sudoers)."
                        )
        except TimeoutError as exc:
            raise AnsibleConnectionFailure(
                f"Timed out ({self.get_option('timeout')}s) waiting for privilege escalation ({become.name}) in "
                f"container {self._name}: {to_text(seen).strip()}"
            ) from exc
        finally:
            session.set_read_timeout(None)
        return prompt_end

    def _next_become_output(self, session: ExecSession, seen: bytes) -> bytes:
        item = session.read_frame()
        if item is None:
            raise AnsibleConnectionFailure(
                f"Privilege escalation ({self.become.name if self.become else 'become'}) in container {self._name} "
                f"ended before it succeeded: {to_text(seen + session.stderr).strip()}"
            )
        return item[1]

    def _absolute(self, path: str) -> str:
        if not path.startswith("/"):
            path = posixpath.join(self.get_option("working_dir") or "/", path)
        return posixpath.normpath(path)

    def _user_ids(self) -> tuple[int, int]:
        """uid and gid of the exec user, asked once per user (id -u; id -g in the container)."""
        user = self.get_option("remote_user")
        if user not in self._ids:
            try:
                rc, out, err = run_command(self.api, self.container_id, ["/bin/sh", "-c", "id -u && id -g"], user=user)
            except DockerError as exc:
                self._fail(exc)
            try:
                if rc != 0:
                    raise ValueError(to_text(err).strip())
                uid, gid = (int(x) for x in out.split())
            except ValueError as exc:
                raise AnsibleConnectionFailure(
                    f"Cannot find the uid/gid of user {user or '(container default)'} in container {self._name} "
                    f"(id -u && id -g gave rc={rc}, {to_text(out + err).strip()!r}): the container needs /bin/sh "
                    "and id to receive files."
                ) from exc
            self._ids[user] = (uid, gid)
        return self._ids[user]

    def put_file(self, in_path: str, out_path: str) -> None:
        super().put_file(in_path, out_path)
        out_path = self._absolute(out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self._name)
        if not os.path.exists(to_bytes(in_path, errors="surrogate_or_strict")):
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}")
        uid, gid = self._user_ids()
        with self._copy_errors(f"copy {in_path} to {out_path} in container {self._name}"):
            put_file(self.api, self.container_id, in_path, out_path, uid=uid, gid=gid)

    def fetch_file(self, in_path: str, out_path: str) -> None:
        super().fetch_file(in_path, out_path)
        in_path = self._absolute(in_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self._name)
        with self._copy_errors(f"fetch {in_path} from container {self._name} to {out_path}"):
            fetch_file(self.api, self.container_id, in_path, out_path, name=self._name)

    @contextmanager
    def _copy_errors(self, what: str) -> t.Iterator[None]:
        """A file copy's errors as Ansible's: a missing file, a refused archive, the daemon's, the tar stream's."""
        try:
            yield
        except RemoteFileNotFound as exc:
            raise AnsibleFileNotFound(exc.msg) from exc
        except ContainerIOError as exc:
            raise AnsibleError(exc.msg) from exc
        except DockerError as exc:
            self._fail(exc)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise AnsibleError(f"Cannot {what}: {type(exc).__name__}: {exc}") from exc

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        self._ids.clear()
        self._connected = False
