#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_tag
short_description: Tag a Docker image with more names, with community.docker's docker_image_tag options
version_added: 1.1.0
description:
  - Tags the image O(name) as each name of O(repository) (C(docker image tag)), with the options of
    community.docker's C(docker_image_tag). A name that already points at the image is no change.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name.BY_ID
options:
  repository:
    description:
      - The new names, C(repository[:tag]). Without a tag, O(tag) is used.
    type: list
    elements: str
    required: true
  existing_images:
    description:
      - What to do when a name of O(repository) already points at another image.
      - V(overwrite) moves the name to O(name)'s image; V(keep) leaves it where it is.
    type: str
    choices: [keep, overwrite]
    default: overwrite
seealso:
  - module: devops.docker.docker_image_push
"""

EXAMPLES = r"""
- name: Tag Python 3.12 image with two new names
  devops.docker.docker_image_tag:
    name: python:3.12
    repository:
      - python-3:3.12
      - local-registry:5000/python-3/3.12:latest
"""

RETURN = r"""
actions:
  description: One C(docker image tag) command per name that was tagged (or would be in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: For each name that changes, the image ID it pointed at before and after (keys C(id[NAME])).
  returned: always
  type: dict
image:
  description: The image of O(name) as C(docker image inspect) shows it after the tagging.
  returned: success
  type: dict
tagged_images:
  description: The names that were (or in check mode would be) tagged.
  returned: success
  type: list
  elements: str
  sample: ["python-3:3.12", "local-registry:5000/python-3/3.12:latest"]
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import TAG_ARGS, tag, run_module


def main() -> None:
    run_module(TAG_ARGS, tag)


if __name__ == "__main__":
    main()
