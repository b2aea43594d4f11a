#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_pull
short_description: Pull a Docker image, with community.docker's docker_image_pull options
version_added: 1.1.0
description:
  - Pulls O(name) from its registry (C(docker image pull)), with the options of community.docker's
    C(docker_image_pull), through the same code as M(devops.docker.image).
  - Uses the credentials C(docker login) (or M(devops.docker.login)) stored for the registry.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name
attributes:
  check_mode:
    details:
      - With O(pull=always) and the image present, check mode cannot know whether the registry has a newer image;
        it predicts no change (community.docker predicts a change).
  idempotent:
    details:
      - With O(pull=always), a run reports a change only when the pull changed the image ID under O(name).
options:
  platform:
    description:
      - The platform to pull, like V(linux/amd64) (C(--platform)).
      - With O(pull=not_present), an image whose platform differs is pulled again.
    type: str
  pull:
    description:
      - V(always) pulls on every run (a change only when the image ID changed); V(not_present) pulls only when no
        image of that name exists (or its platform differs from O(platform)).
    type: str
    choices: [always, not_present]
    default: always
seealso:
  - module: devops.docker.image
  - module: devops.docker.login
"""

EXAMPLES = r"""
- name: Pull an image
  devops.docker.docker_image_pull:
    name: pacur/centos-7
    platform: amd64

- name: Pull an image from the local registry once
  devops.docker.docker_image_pull:
    name: localhost:5001/hello
    tag: "1.0"
    pull: not_present
"""

RETURN = r"""
image:
  description: The image as C(docker image inspect) shows it after the pull; empty in check mode when it is missing.
  returned: success
  type: dict
actions:
  description: The C(docker image pull) command, when the image was pulled (or would be in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The image ID under the name before and after.
  returned: always
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import PULL_ARGS, pull, run_module


def main() -> None:
    run_module(PULL_ARGS, pull)


if __name__ == "__main__":
    main()
