#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: image_info
short_description: Inspect Docker images, like C(docker image inspect) and C(docker image ls)
version_added: 0.1.0
description:
  - Returns the images named in O(name) (C(docker image inspect)); names that do not exist are simply left out.
  - Without O(name), returns every image that matches O(filters) (C(docker image ls --filter), then inspect).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description: Image names (C(repository[:tag]), C(repository@sha256:...)) or IDs to inspect; a name without a tag means V(latest).
    type: list
    elements: str
    aliases: [names]
  filters:
    description:
      - 'Filters for the listing when O(name) is not given, as C(docker image ls --filter) takes them, for example
        C({"label": ["app=web"]}), C({"reference": ["devops-test/*"]}) or C({"dangling": ["true"]}).'
    type: dict
  all:
    description:
      - With no O(name), also list intermediate images (C(docker image ls --all)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Inspect two images
  devops.docker.image_info:
    name:
      - hello:1.0
      - localhost:5001/hello:1.0
  register: hello_info

- name: Show the ID of the first one that exists
  ansible.builtin.debug:
    msg: "{{ hello_info.images[0].Id if hello_info.images else 'missing' }}"

- name: List every image with a label
  devops.docker.image_info:
    filters:
      label:
        - app=hello
  register: labelled
"""

RETURN = r"""
actions:
  description:
    - The C(docker) commands that read the same information, C(docker image inspect) for O(name),
      C(docker image ls) then C(docker image inspect) for O(filters).
  returned: always
  type: list
  elements: str
  sample: ["docker image inspect catalog-service:1.0"]
images:
  description:
    - The images found, as C(docker image inspect) returns them (C(Id), C(RepoTags), C(RepoDigests), C(Created),
      C(Size), C(Config) with C(Labels), ...). Names that do not exist are absent; an image named twice is listed once.
  returned: always
  type: list
  elements: dict
  sample: [{"Id": "sha256:62281d7df3cf...", "RepoTags": ["devops-test/busybox:latest"], "Size": 1982256}]
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._info_actions import image_info_actions
from ansible_collections.devops.docker.plugins.module_utils._image._info import IMAGE_INFO_ARGS, image_info


def main() -> None:
    module = DockerModule(argument_spec=IMAGE_INFO_ARGS, supports_check_mode=True)
    module.report(lambda: image_info(module), image_info_actions, images=[])


if __name__ == "__main__":
    main()
