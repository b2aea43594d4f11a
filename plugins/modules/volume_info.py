#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: volume_info
short_description: Facts about Docker volumes, like C(docker volume ls) and C(docker volume inspect)
version_added: 0.1.0
description:
  - Returns the volume O(name), or the volumes that match O(filters); without either, every volume.
  - Each volume comes with its C(Mountpoint) and C(UsedBy), the names of the containers (running or stopped)
    that mount it.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description: The volume's name. Mutually exclusive with O(filters).
    type: str
    aliases: [volume_name]
  filters:
    description:
      - 'Filters as C(docker volume ls --filter) takes them, for example C({"label": ["app=catalog"]}) or
        C({"dangling": true}) (volumes no container uses).'
      - Keys are C(dangling), C(driver), C(label) and C(name). Values are a string, a boolean or a list.
    type: dict
seealso:
  - module: devops.docker.volume
"""

EXAMPLES = r"""
- name: Where does the database keep its data?
  devops.docker.volume_info:
    name: mariadb-data
  register: db_volume

- name: Show the path and the users
  ansible.builtin.debug:
    msg: "{{ db_volume.volume.Mountpoint }} used by {{ db_volume.volume.UsedBy }}"
  when: db_volume.exists

- name: Volumes no container uses
  devops.docker.volume_info:
    filters:
      dangling: true
  register: unused_volumes
"""

RETURN = r"""
actions:
  description:
    - The C(docker) commands that read the same information, C(docker volume inspect) or C(docker volume ls), and C(docker ps --all) for C(UsedBy).
  returned: always
  type: list
  elements: str
  sample: ["docker volume inspect db-data", "docker ps --all --filter volume=db-data"]
exists:
  description: Whether the volume given by O(name) exists.
  returned: when O(name) is given
  type: bool
volume:
  description: The volume given by O(name), as C(docker volume inspect) shows it plus C(UsedBy); C(null) when missing.
  returned: when O(name) is given
  type: dict
  sample:
    Name: mariadb-data
    Driver: local
    Mountpoint: /var/lib/docker/volumes/mariadb-data/_data
    Labels: {}
    Options: {}
    Scope: local
    UsedBy: [my-mariadb]
volumes:
  description:
    - The volumes found, sorted by name, each with C(Mountpoint) and C(UsedBy) (container names, sorted).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only
from ansible_collections.devops.docker.plugins.module_utils._info_actions import volume_info_actions
from ansible_collections.devops.docker.plugins.module_utils._volume import VOLUME_INFO_ARGS, volume_info


def main() -> None:
    run_read_only(VOLUME_INFO_ARGS, volume_info, volume_info_actions, mutually_exclusive=[("name", "filters")])


if __name__ == "__main__":
    main()
