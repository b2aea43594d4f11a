#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_export
short_description: Save Docker images to a tar archive, with community.docker's docker_image_export options
version_added: 1.1.0
description:
  - Writes O(names) to the archive O(path) (C(docker image save -o)), with the options of community.docker's
    C(docker_image_export). The archive can be loaded with M(devops.docker.docker_image_load).
  - The file is written only when it does not hold exactly these images under these names, or with
    O(force=true). It is written atomically.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_name
attributes:
  idempotent:
    support: partial
    details:
      - With O(force=true) every run writes the archive.
options:
  names:
    description:
      - The images, C([registry[:port]/]repository[:tag]) or image IDs (C(sha256:...)).
      - A tag or digest written in a name wins over O(tag).
    type: list
    elements: str
    required: true
    aliases: [name]
  path:
    description:
      - The C(.tar) file to write. Required.
    type: path
  force:
    description:
      - Write the archive even when it already holds these images.
    type: bool
    default: false
seealso:
  - module: devops.docker.docker_image_load
    description: Loads the archive on another Docker host.
"""

EXAMPLES = r"""
- name: Save catalog-service for an air-gapped host
  devops.docker.docker_image_export:
    name: catalog-service:1.0
    path: /srv/transfer/catalog-service.tar

- name: Save the application and its database in one archive
  devops.docker.docker_image_export:
    names:
      - catalog-service:1.0
      - postgres:16
    path: /srv/transfer/catalog.tar
"""

RETURN = r"""
actions:
  description: The C(docker image save -o) command with every name, when the archive was written (or would be in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The images and names the archive held before and holds after (C(archive)).
  returned: always
  type: dict
images:
  description: The exported images as C(docker image inspect) shows them.
  returned: success
  type: list
  elements: dict
  sample: [{"Id": "sha256:62281d7df3cf...", "RepoTags": ["hello-world:latest", "hello-world:1.0"]}]
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import EXPORT_ARGS, export, run_module


def main() -> None:
    run_module(EXPORT_ARGS, export)


if __name__ == "__main__":
    main()
