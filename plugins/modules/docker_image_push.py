#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_push
short_description: Push a Docker image, with community.docker's docker_image_push options
version_added: 1.1.0
description:
  - Pushes O(name) to its registry (C(docker image push)), with the options of community.docker's
    C(docker_image_push), through the same code as M(devops.docker.image).
  - The image must exist locally. A push of a tag the registry already holds with the same manifest digest is no
    change (the registry is asked with C(HEAD /v2/<name>/manifests/<tag>)).
  - Uses the credentials C(docker login) (or M(devops.docker.login)) stored for the registry.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name
seealso:
  - module: devops.docker.image
  - module: devops.docker.docker_image_tag
"""

EXAMPLES = r"""
- name: Push an image
  devops.docker.docker_image_push:
    name: registry.example.com:5000/repo/image
    tag: latest

- name: Push to the course's local registry
  devops.docker.docker_image_push:
    name: localhost:5001/hello:1.0
"""

RETURN = r"""
image:
  description: The image as C(docker image inspect) shows it.
  returned: success
  type: dict
actions:
  description: The C(docker image push) command, when the image was pushed (or would be in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The manifest digest the registry held before and after (C(pushed_digest)), when it changed.
  returned: always
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import PUSH_ARGS, push, run_module


def main() -> None:
    run_module(PUSH_ARGS, push)


if __name__ == "__main__":
    main()
