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
  - Pulls the image O(name) from its registry to the Docker host, as C(docker image pull) does. A task written
    for community.docker's C(docker_image_pull) runs unchanged under the C(devops.docker.) name.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name.NAME
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
  - module: devops.docker.login
    description: Stores the credentials the pull uses.
"""

EXAMPLES = r"""
- name: Pull the amd64 build of the Python 3.12 image, also on an arm64 host
  devops.docker.docker_image_pull:
    name: python:3.12-slim
    platform: linux/amd64

- name: Pull catalog-service from the local registry, only when it is not there yet
  devops.docker.docker_image_pull:
    name: localhost:5001/catalog-service
    tag: "1.0"
    pull: not_present
"""

RETURN = r"""
actions:
  description: The C(docker image pull) command (with C(--platform) when O(platform) is set), when the image was pulled or would be in check mode.
  returned: always
  type: list
  elements: str
diff:
  description: The image ID under the name before and after.
  returned: always
  type: dict
image:
  description: The image as C(docker image inspect) shows it after the pull; empty in check mode when it is missing.
  returned: success
  type: dict
  sample: {"Id": "sha256:9f1a3c...", "Os": "linux", "Architecture": "amd64", "RepoTags": ["pacur/centos-7:latest"]}
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import PULL_ARGS, pull, run_module


def main() -> None:
    run_module(PULL_ARGS, pull)


if __name__ == "__main__":
    main()
