#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: container_exec
short_description: Run a command in a running container, like C(docker exec)
version_added: 0.1.0
description:
  - Runs a command inside a running container and returns its exit code, standard output and standard error apart.
  - Fails when the command exits with a non-zero code; RV(rc), RV(stdout) and RV(stderr) are in the result and the
    message. Use C(failed_when) to accept other codes.
  - Like M(ansible.builtin.command), it always reports a change when the command ran; use C(changed_when) to say better.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.exec_command
  - devops.docker.exec_command.EXEC
attributes:
  check_mode:
    support: partial
    details:
      - In check mode the command does not run. The module checks that the container exists and is running,
        then returns RV(skipped=true), C(changed=false) and the RV(actions) it would take, as M(ansible.builtin.command) does.
  diff_mode:
    support: none
    details: A command has no before and after.
  idempotent:
    support: none
    details: The command runs on every call; whether that changes anything is up to the command.
options:
  container:
    description:
      - Name or ID of the container. It must be running.
    type: str
    required: true
  secret_env:
    description:
      - Like O(env), for secret values. They are hidden from the task's logged arguments and output (C(no_log)).
    type: dict
notes:
  - The connection option O(timeout) also bounds how long the command may stay silent (write nothing); raise it for
    long, quiet commands, or use O(detach=true).
  - Over a TLS connection (C(tcp://) with O(tls)) the command's standard input is not closed after O(stdin) is sent,
    so a command that reads until the end of its input (such as C(cat)) waits until O(timeout); and O(stdin) is sent
    before the output is read, so a large input to a command that echoes it can stall. Over the local socket or plain
    TCP neither happens.
  - Ansible masks the values of O(secret_env) wherever they appear in the result, RV(stdout) included.
    Other output is returned as the command wrote it.
seealso:
  - module: devops.docker.container
  - module: devops.docker.container_info
  - module: ansible.builtin.command
"""

EXAMPLES = r"""
- name: Run a command given as a list (argv, no splitting, no shell)
  devops.docker.container_exec:
    container: my-mariadb
    command: ["mariadb", "-uroot", "-e", "SHOW DATABASES"]
  register: databases

- name: A string is split into arguments like a shell would (but no shell runs)
  devops.docker.container_exec:
    container: catalog-service
    command: ls -l /app
    user: nobody
    workdir: /app

- name: Use a shell for pipes and variables
  devops.docker.container_exec:
    container: catalog-service
    command: ["sh", "-c", "env | grep ^APP_ | sort"]
    env:
      APP_MODE: debug

- name: Feed a file to the command's standard input
  devops.docker.container_exec:
    container: my-mariadb
    command: ["mariadb", "-uroot", "catalog"]
    stdin: "{{ lookup('ansible.builtin.file', 'schema.sql') }}"
    secret_env:
      MYSQL_PWD: "{{ vault_db_root_password }}"

- name: Accept exit code 1 (grep found nothing) and report no change
  devops.docker.container_exec:
    container: catalog-service
    command: ["grep", "-q", "ERROR", "/var/log/app.log"]
  register: grep_errors
  changed_when: false
  failed_when: grep_errors.rc not in [0, 1]

- name: Start a background job and return at once
  devops.docker.container_exec:
    container: catalog-service
    command: ["sh", "-c", "sleep 30; touch /tmp/done"]
    detach: true
"""

RETURN = r"""
actions:
  description: The equivalent C(docker exec) command. Env values are left out (C(--env KEY) only).
  returned: success
  type: list
  elements: str
  sample: ["docker exec --user nobody --workdir /app --env APP_MODE catalog-service ls -l /app"]
rc:
  description: The command's exit code.
  returned: when the command ran and O(detach=false)
  type: int
  sample: 0
stdout:
  description: The command's standard output (with O(tty=true), everything it wrote).
  returned: when the command ran and O(detach=false)
  type: str
  sample: "hello"
stderr:
  description: The command's standard error (empty with O(tty=true)).
  returned: when the command ran and O(detach=false)
  type: str
  sample: ""
stdout_lines:
  description: RV(stdout) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
  sample: ["hello"]
stderr_lines:
  description: RV(stderr) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
  sample: []
cmd:
  description: The command as the argument list that ran (a string O(command) after splitting).
  returned: success
  type: list
  elements: str
  sample: ["ls", "-l", "/app"]
container_id:
  description: The full ID of the container.
  returned: success
  type: str
exec_id:
  description: The ID of the exec instance (C(GET /exec/{id}/json) shows it while it exists).
  returned: when the command ran
  type: str
skipped:
  description: True in check mode, where the command does not run.
  returned: in check mode
  type: bool
  sample: true
msg:
  description: Why the task was skipped.
  returned: in check mode
  type: str
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._container._exec import ExecRunner
from ansible_collections.devops.docker.plugins.module_utils._exec_args import COMMAND_ARGS, EXEC_ARGS


def main() -> None:
    module = DockerModule(
        argument_spec={"container": {"type": "str", "required": True}, "secret_env": {"type": "dict", "no_log": True},
                       **COMMAND_ARGS, **EXEC_ARGS},
        supports_check_mode=True,
        mutually_exclusive=[("command", "argv")],
        required_one_of=[("command", "argv")],
    )
    if module.params.get("argv") is not None:
        module.params["command"] = module.params["argv"]
    with module.errors():
        result = ExecRunner(module.api, module.params, module.check_mode).run()
    module.exit(**result)


if __name__ == "__main__":
    main()
