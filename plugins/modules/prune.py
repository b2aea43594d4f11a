#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: prune
short_description: Remove unused Docker objects, like C(docker system prune)
version_added: 0.1.0
description:
  - Removes, per kind, what nothing uses, in the order C(docker system prune) does it (containers, networks,
    volumes, images, build cache), and returns what was removed and the space reclaimed.
  - V(containers) removes containers that are not running (created, exited or dead; paused and restarting ones stay).
  - V(networks) removes user-defined local networks without an attached running container (a stopped container
    does not keep a network, as with C(docker network prune)). The predefined networks always stay.
  - V(volumes) removes local volumes that no container, running or stopped, uses. On Engine API 1.41 (Docker 20.10)
    that is every unused volume, named or anonymous; from API 1.42 on (Docker 23 and newer) the daemon only
    removes anonymous volumes unless O(volumes_all=true).
  - V(images) removes images no container (running or stopped) uses, only dangling (untagged) ones by default
    (O(images_dangling_only=true)), every unused one otherwise.
  - V(builder) removes unused build cache.
  - In check mode nothing is removed; the module lists what would go, following the daemon's rules (a container
    that would be pruned no longer holds its image or volumes), and estimates the space.
  - On a shared daemon, always narrow the prune with a O(filters) label.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  containers:
    description: Remove stopped containers (C(docker container prune)).
    type: bool
    default: false
  images:
    description: Remove unused images (C(docker image prune)).
    type: bool
    default: false
  images_dangling_only:
    description:
      - With O(images=true), V(true) removes only dangling (untagged) images; V(false) every image no container
        uses (C(docker image prune --all)).
    type: bool
    default: true
  networks:
    description: Remove unused user-defined networks (C(docker network prune)).
    type: bool
    default: false
  volumes:
    description: Remove unused local volumes (C(docker volume prune)). This deletes their data.
    type: bool
    default: false
  volumes_all:
    description:
      - With O(volumes=true) on Engine API 1.42 or newer, also remove named volumes, not only anonymous ones
        (C(docker volume prune --all)). Older engines always remove every unused volume.
    type: bool
    default: false
  builder:
    description: Remove unused build cache (C(docker builder prune)). Cannot be combined with a label filter.
    type: bool
    default: false
    aliases: [builder_cache]
  builder_all:
    description: With O(builder=true), remove all unused build cache, not only the dangling part (C(--all)).
    type: bool
    default: false
    aliases: [builder_cache_all]
  builder_keep_storage:
    description:
      - With O(builder=true), the amount of build cache to keep (C(docker builder prune --keep-storage)), like
        V(512m) or V(1g); a number without a unit is bytes. The least recently used records go first.
      - In check mode the prediction follows the same rule from the daemon's disk usage report.
    type: str
    aliases: [builder_cache_keep_storage]
  filters:
    description:
      - Narrow what is removed, as C(--filter) does. Keys are C(until), C(label) and C(label!); values a string
        or a list of strings.
      - C(until) keeps objects created after the given time - a duration before now (V(24h), V(30m)), a date
        (V(2024-01-31T10:00:00Z)) or a Unix timestamp. Volumes cannot be filtered by time.
      - C(label) keeps only objects with the label (V(key) or V(key=value)); every C(label) given must match.
        C(label!) excludes objects with the label.
      - Applies to every kind that has no filters of its own (O(containers_filters), ...).
    type: dict
  containers_filters:
    description:
      - Filters for O(containers=true) only (community.docker's name), same keys as O(filters), merged over them.
    type: dict
  images_filters:
    description:
      - Filters for O(images=true) only (community.docker's name), same keys as O(filters), merged over them.
      - C(dangling) is also accepted here, as community.docker takes it; V(false) is O(images_dangling_only=false).
    type: dict
  networks_filters:
    description:
      - Filters for O(networks=true) only (community.docker's name), same keys as O(filters), merged over them.
    type: dict
  volumes_filters:
    description:
      - Filters for O(volumes=true) only (community.docker's name), same keys as O(filters), merged over them.
      - C(all) is also accepted here; V(true) is O(volumes_all=true).
    type: dict
  builder_cache_filters:
    description:
      - Filters for O(builder=true) only (community.docker's name); C(until) is the only filter build cache has.
    type: dict
notes:
  - Kinds with different filters are pruned one after the other, in C(docker system prune)'s order.
  - RV(actions) lists the C(docker ... prune) commands of the kinds where something was (or would be) removed.
  - The check mode space estimates use C(docker system df); the real values come from the daemon.
seealso:
  - module: devops.docker.host_info
"""

EXAMPLES = r"""
- name: Remove stopped containers and dangling images older than a day
  devops.docker.prune:
    containers: true
    images: true
    filters:
      until: 24h

- name: What would a full cleanup of the test objects remove?
  devops.docker.prune:
    containers: true
    images: true
    images_dangling_only: false
    networks: true
    volumes: true
    filters:
      label: [stage=test]
  check_mode: true
  register: would_prune

- name: Remove the build cache
  devops.docker.prune:
    builder: true
    builder_all: true
"""

RETURN = r"""
actions:
  description: The equivalent C(docker) commands of what was removed (or would be, in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker container prune --force --filter label=stage=test
containers_deleted:
  description: IDs of the containers removed (or that would be).
  returned: when O(containers=true)
  type: list
  elements: str
containers_deleted_names:
  description: Names of the containers removed (or that would be).
  returned: when O(containers=true)
  type: list
  elements: str
containers_space_reclaimed:
  description: Bytes freed by removing the containers (in check mode, an estimate).
  returned: when O(containers=true)
  type: int
networks_deleted:
  description: Names of the networks removed (or that would be).
  returned: when O(networks=true)
  type: list
  elements: str
volumes_deleted:
  description: Names of the volumes removed (or that would be).
  returned: when O(volumes=true)
  type: list
  elements: str
volumes_space_reclaimed:
  description: Bytes freed by removing the volumes (in check mode, an estimate).
  returned: when O(volumes=true)
  type: int
images_deleted:
  description:
    - IDs of the images removed. A real run also lists the parent layers the daemon removed with them;
      check mode lists the top-level images.
  returned: when O(images=true)
  type: list
  elements: str
images_untagged:
  description: The tags and digests removed with the images.
  returned: when O(images=true)
  type: list
  elements: str
images_space_reclaimed:
  description: Bytes freed by removing the images (in check mode, an estimate).
  returned: when O(images=true)
  type: int
builder_cache_deleted:
  description: IDs of the build cache records removed (or that would be).
  returned: when O(builder=true)
  type: list
  elements: str
builder_cache_space_reclaimed:
  description: Bytes freed by removing the build cache (in check mode, an estimate).
  returned: when O(builder=true)
  type: int
containers:
  description: The same as RV(containers_deleted) (community.docker's name).
  returned: when O(containers=true)
  type: list
  elements: str
networks:
  description: The same as RV(networks_deleted) (community.docker's name).
  returned: when O(networks=true)
  type: list
  elements: str
volumes:
  description: The same as RV(volumes_deleted) (community.docker's name).
  returned: when O(volumes=true)
  type: list
  elements: str
images:
  description: The same as RV(images_deleted) (community.docker's name).
  returned: when O(images=true)
  type: list
  elements: str
builder_cache_caches_deleted:
  description: The same as RV(builder_cache_deleted) (community.docker's name).
  returned: when O(builder=true)
  type: list
  elements: str
space_reclaimed:
  description: Bytes freed in total.
  returned: always
  type: int
diff:
  description: What was (or would be) removed, per kind, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._compat import prune
from ansible_collections.devops.docker.plugins.module_utils._prune import PRUNE_ARGS, PruneManager


def main() -> None:
    module = DockerModule(argument_spec=PRUNE_ARGS, supports_check_mode=True)
    module.converge(lambda: prune(module, PruneManager), "Nothing was removed.")


if __name__ == "__main__":
    main()
