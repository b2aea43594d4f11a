#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: container_info
short_description: Look at containers, like C(docker container inspect), C(docker ps) and C(docker logs)
version_added: 0.1.0
description:
  - With O(name), returns whether that container exists and its inspect data, and on request its logs.
  - Without O(name), lists containers like C(docker ps), optionally with stopped ones (O(all)), narrowed by O(filters),
    and with the full inspect data of each (O(inspect)).
  - Env values the M(devops.docker.container) module set from C(secret_env) (named in the container's
    C(devops.docker.secret-env-keys) label) are replaced by C(********) in the returned inspect data.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description:
      - Name or ID of one container to inspect.
      - When it does not exist the module does not fail; it returns RV(exists=false).
    type: str
  all:
    description:
      - Without O(name), list every container, not only running ones (C(docker ps --all)).
    type: bool
    default: false
  filters:
    description:
      - Without O(name), only the containers that match, as C(docker ps --filter) takes them.
      - Keys are C(ancestor), C(before), C(expose), C(exited), C(health), C(id), C(isolation), C(is-task), C(label),
        C(name), C(network), C(publish), C(since), C(status), C(volume).
      - A value is a string or a list of strings (any of them matches; for C(label) all of them must match).
      - 'For C(label) a dict is also accepted: C({"app": "web"}) means C(label=app=web).'
      - A C(status) filter considers stopped containers without O(all), as C(docker ps --filter status=exited) does.
    type: dict
  inspect:
    description:
      - Without O(name), return the full inspect data of each listed container in RV(containers)
        instead of the short C(docker ps) summary.
    type: bool
    default: false
  logs:
    description:
      - With O(name), also return the container's logs in RV(logs), stdout and stderr apart (C(docker logs)).
      - The container's log driver must be readable (C(json-file), C(local) or C(journald)).
    type: bool
    default: false
  tail:
    description:
      - With O(logs=true), only the last this many lines, or V(all).
      - The lines of both streams count together, as with C(docker logs --tail).
    type: raw
    default: all
  since:
    description:
      - With O(logs=true), only log lines written at or after this point in time.
      - A UNIX timestamp (V(1700000000)), an RFC 3339 date-time (V(2024-05-01T10:00:00Z); without a zone it is
        local time), or a duration meaning that long ago (V(10m), V(1h30m)), like C(docker logs --since).
    type: str
  until:
    description:
      - With O(logs=true), only log lines written before this point in time. Same syntax as O(since).
    type: str
  timestamps:
    description:
      - With O(logs=true), prefix every log line with its RFC 3339 timestamp (C(docker logs --timestamps)).
    type: bool
    default: false
notes:
  - Logs of a container started with O(devops.docker.container#module:tty=true) are one stream; they all come back in
    RV(logs.stdout) and RV(logs.stderr) is empty, as with C(docker logs).
  - Secret env values of 4 characters or more are also replaced by C(********) in the logs, should the process print them.
seealso:
  - module: devops.docker.container
  - module: devops.docker.container_exec
  - module: devops.docker.host_info
"""

EXAMPLES = r"""
- name: Inspect one container
  devops.docker.container_info:
    name: catalog-service
  register: catalog

- name: Show its state
  ansible.builtin.debug:
    msg: "{{ catalog.container.State.Status if catalog.exists else 'no such container' }}"

- name: Read the last 50 lines of its logs, stdout and stderr apart
  devops.docker.container_info:
    name: catalog-service
    logs: true
    tail: 50
    since: 10m
  register: catalog_logs

- name: Print what it wrote to stderr
  ansible.builtin.debug:
    var: catalog_logs.logs_lines.stderr

- name: List every container of the app, running or not (docker ps -a --filter label=app=catalog)
  devops.docker.container_info:
    all: true
    filters:
      label:
        app: catalog
  register: app_containers

- name: Full inspect data of every exited container
  devops.docker.container_info:
    filters:
      status: exited
    inspect: true
  register: exited
"""

RETURN = r"""
actions:
  description: The C(docker) CLI commands that read the same information.
  returned: always
  type: list
  elements: str
  sample: ["docker container inspect web", "docker logs --tail 50 web"]
exists:
  description:
    - With O(name), whether the container exists.
    - Without O(name), whether any container matched.
  returned: always
  type: bool
  sample: true
container:
  description:
    - The container's inspect data (C(docker container inspect)), with secret env values replaced by C(********).
    - An empty dict when the container does not exist.
  returned: when O(name) is set
  type: dict
  sample: {"Id": "4a3f...", "Name": "/web", "State": {"Status": "running", "Running": true}, "Config": {"Image": "busybox"}}
containers:
  description:
    - The containers, as C(GET /containers/json) lists them (C(docker ps --no-trunc)),
      or their full inspect data with O(inspect=true).
  returned: when O(name) is not set
  type: list
  elements: dict
  sample: [{"Id": "4a3f...", "Names": ["/web"], "Image": "busybox", "State": "running", "Status": "Up 2 minutes"}]
logs:
  description: The container's logs, decoded as UTF-8.
  returned: when O(logs=true) and the container exists
  type: dict
  contains:
    stdout:
      description: What the container wrote to its standard output (everything, for a TTY container).
      type: str
      sample: "listening on :8080\n"
    stderr:
      description: What the container wrote to its standard error (empty for a TTY container).
      type: str
      sample: "warning: no config file\n"
    output:
      description:
        - Both streams together, in the order the daemon stored them.
        - Lines written to different streams at nearly the same moment may come out swapped, as with C(docker logs).
      type: str
      sample: "listening on :8080\nwarning: no config file\n"
logs_lines:
  description: RV(logs), each stream split into lines.
  returned: when O(logs=true) and the container exists
  type: dict
  contains:
    stdout:
      description: The lines of RV(logs.stdout).
      type: list
      elements: str
    stderr:
      description: The lines of RV(logs.stderr).
      type: list
      elements: str
    output:
      description: The lines of RV(logs.output).
      type: list
      elements: str
"""

from ansible_collections.devops.docker.plugins.module_utils._container._info import ContainerInfo
from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only


def main() -> None:
    run_read_only(
        {
            "name": {"type": "str"},
            "all": {"type": "bool", "default": False},
            "filters": {"type": "dict"},
            "inspect": {"type": "bool", "default": False},
            "logs": {"type": "bool", "default": False},
            "tail": {"type": "raw", "default": "all"},
            "since": {"type": "str"},
            "until": {"type": "str"},
            "timestamps": {"type": "bool", "default": False},
        },
        lambda module: ContainerInfo(module.api, module.params).run(),
        mutually_exclusive=[("name", "filters"), ("name", "all"), ("name", "inspect")],
    )


if __name__ == "__main__":
    main()
