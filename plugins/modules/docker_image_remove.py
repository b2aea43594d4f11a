#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_remove
short_description: Remove a Docker image, with community.docker's docker_image_remove options
version_added: 1.1.0
description:
  - Removes the name O(name) (or the image, given by ID) from the Docker host (C(docker image rm)), with the
    options of community.docker's C(docker_image_remove). A missing image is no change.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name.BY_ID
options:
  force:
    description:
      - Remove the image even when containers use it or other names point at it (C(docker image rm --force)).
    type: bool
    default: false
  prune:
    description:
      - Also delete the untagged parent images (V(false) is C(docker image rm --no-prune)).
    type: bool
    default: true
seealso:
  - module: devops.docker.prune
    description: Removes every unused or dangling image at once.
"""

EXAMPLES = r"""
- name: Remove the old catalog-service image
  devops.docker.docker_image_remove:
    name: catalog-service:0.9

- name: Remove it even though a container still uses it, keeping its untagged parents
  devops.docker.docker_image_remove:
    name: catalog-service
    tag: "1.0"
    force: true
    prune: false
"""

RETURN = r"""
actions:
  description: The C(docker image rm) command (with C(--force) and C(--no-prune) as O(force) and O(prune) ask), when the image existed.
  returned: always
  type: list
  elements: str
diff:
  description: The image ID under the name before, and V(null) after.
  returned: always
  type: dict
image:
  description: The image as C(docker image inspect) showed it before the removal; empty if it did not exist.
  returned: success
  type: dict
untagged:
  description: The names that were untagged (in check mode, that would be).
  returned: success
  type: list
  elements: str
  sample: ["hello:1.0", "localhost:5001/hello:1.0"]
deleted:
  description: The IDs of the images that were deleted (in check mode, that would be).
  returned: success
  type: list
  elements: str
  sample: ["sha256:62281d7df3cf..."]
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import REMOVE_ARGS, remove, run_module


def main() -> None:
    run_module(REMOVE_ARGS, remove)


if __name__ == "__main__":
    main()
