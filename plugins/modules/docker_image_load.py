#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_load
short_description: Load Docker images from a tar archive, with community.docker's docker_image_load options
version_added: 1.1.0
description:
  - Loads the images of a C(docker image save) archive (C(docker image load -i)), with the options of
    community.docker's C(docker_image_load).
  - The archive is loaded only when one of its images is missing or one of its names points at another image;
    otherwise nothing changes (community.docker loads on every run).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  path:
    description:
      - The C(.tar) archive (made by C(docker image save)) on the managed host.
    type: path
    required: true
seealso:
  - module: devops.docker.docker_image_export
    description: Writes such an archive.
  - module: devops.docker.image
    description: Loads an archive as one of its sources (O(devops.docker.image#module:source=load)).
"""

EXAMPLES = r"""
- name: Load the images saved on the build host
  devops.docker.docker_image_load:
    path: /srv/transfer/catalog.tar
  register: loaded

- name: Show which names the archive brought
  ansible.builtin.debug:
    msg: "Loaded: {{ loaded.image_names | join(', ') }}"
"""

RETURN = r"""
actions:
  description: The C(docker image load -i) command, when an image or a name of the archive was missing (or would be loaded in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The images or names that were missing (C(images)).
  returned: always
  type: dict
image_names:
  description: The names (or the IDs of unnamed images) the archive holds.
  returned: success
  type: list
  elements: str
  sample: ["hello-world:latest"]
images:
  description: The images of the archive as C(docker image inspect) shows them (after the load).
  returned: success
  type: list
  elements: dict
stdout:
  description: The daemon's output of the load, when it ran.
  returned: success
  type: str
  sample: "Loaded image: hello-world:latest"
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import LOAD_ARGS, load, run_module


def main() -> None:
    run_module(LOAD_ARGS, load)


if __name__ == "__main__":
    main()
