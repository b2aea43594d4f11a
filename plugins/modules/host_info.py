#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: host_info
short_description: Facts about a Docker host, like C(docker version), C(docker info) and C(docker system df)
version_added: 0.1.0
description:
  - Returns the daemon's version and system information.
  - On request, also the lists of containers, images, networks and volumes, and the disk usage.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  containers:
    description: Also return the containers (C(docker ps), add O(containers_all) for stopped ones).
    type: bool
    default: false
  containers_all:
    description: With O(containers=true), include containers that are not running (C(docker ps -a)).
    type: bool
    default: false
  images:
    description: Also return the images (C(docker image ls)).
    type: bool
    default: false
  networks:
    description: Also return the networks (C(docker network ls)).
    type: bool
    default: false
  volumes:
    description: Also return the volumes (C(docker volume ls)).
    type: bool
    default: false
  disk_usage:
    description: Also return the disk usage (C(docker system df)).
    type: bool
    default: false
  filters:
    description:
      - 'Filters applied to the lists, as the Engine API takes them, for example C({"label": ["app=web"]}).'
      - Applies to each list that has no filters of its own (O(containers_filters), ...).
    type: dict
  containers_filters:
    description: Filters for the containers list only, as C(docker ps --filter) takes them (community.docker's name); they replace O(filters) there.
    type: dict
  images_filters:
    description: Filters for the images list only, as C(docker image ls --filter) takes them (community.docker's name); they replace O(filters) there.
    type: dict
  networks_filters:
    description: Filters for the networks list only, as C(docker network ls --filter) takes them (community.docker's name); they replace O(filters) there.
    type: dict
  volumes_filters:
    description: Filters for the volumes list only, as C(docker volume ls --filter) takes them (community.docker's name); they replace O(filters) there.
    type: dict
  verbose_output:
    description:
      - Accepted for community.docker's tasks. The lists always hold every field the Engine API returns, which
        includes the fields community.docker returns without it.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Ask the daemon for its version and info
  devops.docker.host_info:
  register: docker_host

- name: Show the engine version
  ansible.builtin.debug:
    msg: "Engine {{ docker_host.version.Version }}, API {{ docker_host.version.ApiVersion }}"

- name: List every container and the disk usage
  devops.docker.host_info:
    containers: true
    containers_all: true
    disk_usage: true
  register: docker_usage
"""

RETURN = r"""
actions:
  description:
    - The C(docker) commands that read the same information (C(docker version), C(docker info), then the lists and C(docker system df) asked for).
  returned: always
  type: list
  elements: str
  sample: ["docker version", "docker info", "docker system df --verbose"]
can_talk_to_docker:
  description: Whether the daemon answered.
  returned: always
  type: bool
host_info:
  description: The same as RV(info) (community.docker's name).
  returned: when the daemon answered
  type: dict
version:
  description: The daemon's answer to C(GET /version).
  returned: success
  type: dict
info:
  description: The daemon's answer to C(GET /info).
  returned: success
  type: dict
containers:
  description: The containers, as C(GET /containers/json) lists them.
  returned: when O(containers=true)
  type: list
  elements: dict
images:
  description: The images, as C(GET /images/json) lists them.
  returned: when O(images=true)
  type: list
  elements: dict
networks:
  description: The networks, as C(GET /networks) lists them.
  returned: when O(networks=true)
  type: list
  elements: dict
volumes:
  description: The volumes, as C(GET /volumes) lists them.
  returned: when O(volumes=true)
  type: list
  elements: dict
disk_usage:
  description: The disk usage, as C(GET /system/df) returns it, plus C(LayersSize).
  returned: when O(disk_usage=true)
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import managed, run_module
from ansible_collections.devops.docker.plugins.module_utils._host_info import HOST_INFO_ARGS, HostInfo, unreachable_result


def main() -> None:
    run_module(HOST_INFO_ARGS, managed(HostInfo), on_error=unreachable_result)


if __name__ == "__main__":
    main()
