#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: volume
short_description: Create and remove Docker volumes, like C(docker volume create/rm)
version_added: 0.1.0
description:
  - Makes sure a named volume exists with the given driver, driver options and labels, or does not exist.
  - A volume holds data, so a mismatch never destroys it silently. Docker cannot change a volume in place.
    With O(recreate=never) (the default) the module fails and names the differing options, and the volume and its
    data stay as they are; with O(recreate=options-changed) it removes the volume, with its data, and creates it anew.
  - A volume that a container uses (running or stopped) is never removed; O(state=absent) and a recreation fail
    and name the containers. Remove the containers first.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  name:
    description:
      - The volume's name. With the V(local) driver, letters, digits, C(_), C(.) and C(-), starting with a letter or
        digit, at least two characters (the daemon's rule, checked before any request).
    type: str
    required: true
    aliases: [volume_name]
  state:
    description:
      - V(present) creates the volume when it is missing.
      - V(absent) removes it, with its data. When a container uses it, the module fails and names the containers.
    type: str
    choices: [present, absent]
    default: present
  driver:
    description:
      - The volume driver. When not given, a new volume uses V(local) and the driver of an existing volume is not compared.
    type: str
  driver_options:
    description:
      - 'Driver options (C(--opt)), for example C({type: tmpfs, device: tmpfs, o: size=100m}) for the V(local) driver.'
      - Values are compared as strings. When given, they are the whole desired set; when not given, not compared.
    type: dict
    aliases: [options]
  labels:
    description:
      - Labels of the volume. When given, they are the whole desired set (a label removed from the task is a
        difference); when not given, not compared.
    type: dict
  recreate:
    description:
      - What to do when the existing volume differs from the task.
      - V(never) fails with a message that names the differing options; the volume and its data are left alone.
      - V(options-changed) removes the volume (its data is lost) and creates it with the new options. It fails
        instead, naming them, when containers use the volume.
      - V(keep) leaves a differing volume as it is, with a warning, and reports no change (what community.docker's
        V(never) does).
      - V(always) removes and creates the volume on every run, as community.docker's V(always) does (its data is
        lost each time; not idempotent).
    type: str
    choices: [never, options-changed, keep, always]
    default: never
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions).
seealso:
  - module: devops.docker.volume_info
"""

EXAMPLES = r"""
- name: A volume for the database's data
  devops.docker.volume:
    name: mariadb-data
    labels:
      app: catalog

- name: A tmpfs-backed volume
  devops.docker.volume:
    name: scratch
    driver_options:
      type: tmpfs
      device: tmpfs
      o: size=64m

- name: Remove a volume (fails while a container uses it)
  devops.docker.volume:
    name: scratch
    state: absent
"""

RETURN = r"""
actions:
  description: The C(docker volume create) and C(rm) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker volume create --driver local --label app=catalog mariadb-data
volume:
  description:
    - The volume as C(docker volume inspect) shows it, after the change.
    - In check mode, the volume as it was; C(null) when it does not exist (or was removed).
  returned: always
  type: dict
  sample:
    Name: mariadb-data
    Driver: local
    Mountpoint: /var/lib/docker/volumes/mariadb-data/_data
    Labels:
      app: catalog
    Options: {}
    Scope: local
diff:
  description: The volume's driver, driver options and labels before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_manager
from ansible_collections.devops.docker.plugins.module_utils._volume import VOLUME_ARGS, VolumeManager


def main() -> None:
    run_manager(VOLUME_ARGS, VolumeManager, keep_diff=False)


if __name__ == "__main__":
    main()
