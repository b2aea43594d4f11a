#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: compose_run
short_description: Run a one-off container of a Compose service, like C(docker compose run)
version_added: 1.1.0
description:
  - Loads the Compose project as M(devops.docker.compose) does, starts the services O(service) depends on (unless
    O(no_deps)), then creates a one-off container from the service's own settings with O(command), runs it and
    (unless O(detach)) waits for it and returns its exit code and output. The container carries
    C(com.docker.compose.oneoff=True), so M(devops.docker.compose) never takes it for a replica.
  - As C(docker compose run) makes it, the one-off container has no restart policy, publishes the service's ports only
    with O(service_ports=true) (or the ports of O(publish)), and joins the service's networks without the service's
    network aliases unless O(use_aliases=true).
  - Without O(command) and O(argv), the service's own command runs (none with a new O(entrypoint), as
    C(docker compose run --entrypoint) does).
  - An attached command that writes nothing for longer than O(timeout) seconds fails the task (its container is
    then removed with O(rm), else left running); raise O(timeout) for commands that stay silent longer, or use
    O(detach=true).
  - A command that exits with a non-zero code fails the task, with RV(rc), RV(stdout) and RV(stderr) in the result.
  - community.docker's C(docker_compose_v2_run) resolves to this module.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.exec_command
  - devops.docker.compose_project
attributes:
  check_mode:
    support: partial
    details: In check mode nothing is created and the command does not run; the RV(actions) show what would run.
  diff_mode:
    support: none
    details: A command has no before and after.
  idempotent:
    support: none
    details: A one-off container runs on every call.
options:
  project_env:
    description: Variables for interpolating the Compose file (the O(devops.docker.compose#module:env) option of the compose module).
    type: dict
  service:
    description: The service the one-off container is made from.
    type: str
    required: true
  entrypoint:
    description: Override the service's entrypoint (C(--entrypoint)), a string split like a shell does or a list.
    type: raw
  name:
    description:
      - Name of the one-off container (C(--name); default C(<project>-<service>-run-<random>)).
      - A container of that name must not exist.
    type: str
  labels:
    description:
      - Labels of the one-off container, added to (or overriding) the service's (C(--label)).
      - A mapping of names to values, or, as community.docker takes them, a list of C(KEY=VALUE), like V(app=web).
    type: raw
  env:
    description: Environment variables added to the service's (C(--env)).
    type: dict
  tty:
    description:
      - Allocate a pseudo-TTY. Standard output and standard error then arrive as one stream, all in RV(stdout).
    type: bool
    default: false
  interactive:
    description:
      - Keep the container's standard input open (C(--interactive), on by default as for C(docker compose run)).
      - Attached, the input is O(stdin), then the end of input; V(false) gives the command no input at all
        (C(--no-interactive)).
    type: bool
    default: true
  stdin:
    description:
      - Text sent to the command's standard input, which is then closed. Needs O(interactive=true) and
        O(detach=false).
    type: str
  stdin_add_newline:
    description: Add a newline to O(stdin) when it does not end with one.
    type: bool
    default: true
  detach:
    description:
      - Start the container and return without waiting for it (C(--detach)). RV(container_id) is returned,
        RV(rc), RV(stdout) and RV(stderr) are not.
    type: bool
    default: false
  no_deps:
    description: Do not start the services O(service) depends on (C(--no-deps)).
    type: bool
    default: false
  service_ports:
    description: Publish the service's ports too (C(--service-ports)). Cannot be combined with O(publish).
    type: bool
    default: false
  publish:
    description:
      - Ports to publish instead of the service's (C(--publish)), each written as C(docker run -p) takes it,
        C([IP:][HOST:]CONTAINER[/PROTOCOL]), like V(127.0.0.1:8080:80).
    type: list
    elements: str
  volumes:
    description:
      - Volumes mounted in addition to the service's (C(--volume)), each written as C(docker run -v) takes it,
        C(SOURCE:TARGET[:MODE]).
      - The SOURCE is a host path (a relative one is relative to the project's folder), a volume name (a volume of
        the project by its key, as in the Compose file), or left out with its colon (an anonymous volume).
    type: list
    elements: str
  cap_add:
    description: Linux capabilities added to the service's (C(--cap-add)); each one also leaves the service's C(cap_drop).
    type: list
    elements: str
  cap_drop:
    description: Linux capabilities dropped in addition to the service's (C(--cap-drop)); each one also leaves the service's C(cap_add).
    type: list
    elements: str
  use_aliases:
    description:
      - Join the service's networks with the service's network aliases (C(--use-aliases)), so other containers
        reach the one-off container by the service's name.
    type: bool
    default: false
  remove_orphans:
    description:
      - Remove the containers of services that are no longer in the Compose file (C(--remove-orphans)), as
        O(devops.docker.compose#module:remove_orphans) does. Without it they are left and a warning names them.
    type: bool
    default: false
  quiet_pull:
    description: Accepted for community.docker compatibility (C(--quiet-pull)); pulls never print progress here.
    type: bool
    default: false
  rm:
    description:
      - Remove the container once the command exited (C(--rm)), with its anonymous volumes.
      - Not given, V(true) for an attached run and V(false) with O(detach=true). With O(detach=true) and O(rm=true),
        the engine removes the container when it exits (C(docker container create --rm)).
    type: bool
    aliases: [cleanup]
  build:
    description:
      - As O(devops.docker.compose#module:build). V(auto) (the default) builds a missing image and rebuilds one
        whose build context changed, V(always) builds, V(never) does not.
      - community.docker's booleans are taken too. V(true) (C(--build)) is V(always); V(false) builds an image only
        when it is missing.
    type: raw
    default: auto
  pull:
    description: As O(devops.docker.compose#module:pull).
    type: str
    default: missing
    choices: [missing, always, never]
  strip_empty_ends:
    description: Remove the trailing newlines of RV(stdout) and RV(stderr), as M(ansible.builtin.command) does.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Run the database migrations once, in a one-off container of the app service
  devops.docker.compose_run:
    project_src: /srv/shop
    service: app
    command: ["python", "manage.py", "migrate"]
  register: migrate

- name: Load a dump through the db service's client, with the dump folder mounted
  devops.docker.compose_run:
    project_src: /srv/shop
    service: db
    volumes:
      - ./dumps:/dumps:ro
    command: sh -c 'mysql shop < /dumps/shop.sql'

- name: Start a debug shell container on a published port, reachable as the service, left running
  devops.docker.compose_run:
    project_src: /srv/shop
    service: app
    command: ["python", "-m", "http.server", "8000"]
    publish:
      - 127.0.0.1:18000:8000
    use_aliases: true
    cap_add: [NET_ADMIN]
    labels:
      - purpose=debug
    detach: true
  register: debug

- name: Feed a script to the command's standard input
  devops.docker.compose_run:
    project_src: /srv/shop
    service: app
    command: python -
    stdin: |
      print("hello from stdin")
"""

RETURN = r"""
actions:
  description:
    - The equivalent C(docker) commands, the services O(service) depends on first (unless O(no_deps)),
      then the one-off container's create, its attached start and (with O(rm)) its removal.
  returned: success
  type: list
  elements: str
container:
  description: The name of the one-off container.
  returned: success
  type: str
  sample: shop-app-run-4b1f9c2e7a10
container_id:
  description: The ID of the one-off container (removed since with O(rm)).
  returned: success, not in check mode
  type: str
  sample: 4b1f9c2e7a10d8e1c2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5
rc:
  description: The exit code of the command.
  returned: when O(detach=false), not in check mode
  type: int
  sample: 0
stdout:
  description: What the command wrote to its standard output (with O(tty=true), all it wrote).
  returned: when O(detach=false), not in check mode
  type: str
stderr:
  description: What the command wrote to its standard error (empty with O(tty=true)).
  returned: when O(detach=false), not in check mode
  type: str
stdout_lines:
  description: RV(stdout) split into lines.
  returned: when O(detach=false), not in check mode
  type: list
  elements: str
stderr_lines:
  description: RV(stderr) split into lines.
  returned: when O(detach=false), not in check mode
  type: list
  elements: str
"""

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import RUN_ARGS, ComposeRun
from ansible_collections.devops.docker.plugins.module_utils._entry import managed, run_module


def main() -> None:
    run_module(RUN_ARGS, managed(ComposeRun), mutually_exclusive=[("command", "argv")])


if __name__ == "__main__":
    main()
