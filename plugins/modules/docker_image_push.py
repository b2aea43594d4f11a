#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_push
short_description: Push a local Docker image to its registry, with community.docker's docker_image_push options
version_added: 1.1.0
description:
  - Sends the local image O(name) to the registry its name points at, as C(docker image push) does; the options are
    those of community.docker's C(docker_image_push).
  - The image must exist locally. A push of a tag the registry already holds with the same manifest digest is no
    change (the registry is asked with C(HEAD /v2/<name>/manifests/<tag>)).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name.NAME
seealso:
  - module: devops.docker.docker_image_tag
    description: Gives the image the registry name to push under.
"""

EXAMPLES = r"""
- name: Push catalog-service to the course's local registry
  devops.docker.docker_image_push:
    name: localhost:5001/catalog-service:1.0

- name: Push the nightly tag to the team registry
  devops.docker.docker_image_push:
    name: registry.example.com:5000/team/catalog-service
    tag: nightly
"""

RETURN = r"""
actions:
  description: The C(docker image push) command, unless the registry already held the same manifest digest under that tag.
  returned: always
  type: list
  elements: str
diff:
  description: The manifest digest the registry held before and after (C(pushed_digest)), when it changed.
  returned: always
  type: dict
image:
  description: The pushed image as C(docker image inspect) shows it.
  returned: success
  type: dict
  sample: {"Id": "sha256:62281d7df3cf...", "RepoTags": ["localhost:5001/hello:1.0"], "RepoDigests": ["localhost:5001/hello@sha256:4b5c..."]}
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import PUSH_ARGS, push, run_module


def main() -> None:
    run_module(PUSH_ARGS, push)


if __name__ == "__main__":
    main()
