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
  - module: devops.docker.image
  - module: devops.docker.prune
"""

EXAMPLES = r"""
- name: Remove an image
  devops.docker.docker_image_remove:
    name: pacur/centos-7

- name: Remove it even though a container uses it
  devops.docker.docker_image_remove:
    name: hello
    tag: "1.0"
    force: true
"""

RETURN = r"""
image:
  description: The image as C(docker image inspect) showed it before the removal; empty if it did not exist.
  returned: success
  type: dict
deleted:
  description: The IDs of the images that were deleted (in check mode, that would be).
  returned: success
  type: list
  elements: str
untagged:
  description: The names that were untagged (in check mode, that would be).
  returned: success
  type: list
  elements: str
actions:
  description: The C(docker image rm) command, when the image was removed (or would be in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The image ID under the name before, and V(null) after.
  returned: always
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import REMOVE_ARGS, remove, run_module


def main() -> None:
    run_module(REMOVE_ARGS, remove)


if __name__ == "__main__":
    main()
