# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

# The options and references the docker_image_* modules share, written once; each attribute below puts
# together what one kind of module takes.
_NAME = r"""
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]). A tag or digest written in O(name) wins over O(tag).
    type: str
    required: true"""

_NAME_OR_ID = r"""
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]), or an image ID (C(sha256:...)). A tag or digest
        written in O(name) wins over O(tag).
    type: str
    required: true"""

_TAG = r"""
  tag:
    description:
      - The tag of an image name that has neither a tag nor a digest.
    type: str
    default: latest"""

_REGISTRY_NOTES = r"""
notes:
  - Uses the credentials C(docker login) (or M(devops.docker.login)) stored for the registry of O(name)."""

_SEEALSO = r"""
seealso:
  - module: devops.docker.image
    description: Builds, pulls, loads, tags, pushes, saves and removes images in one module, through the same code.
"""


class ModuleDocFragment:
    # The values are put together from the parts above, so they are annotated: ansible-test's yamllint reads
    # literal strings only (tests/unit/plugins/doc_fragments/test_image_fragments.py checks these instead).

    # The tag of names written without one (docker_image_build and docker_image_export document their names).
    DOCUMENTATION: str = "options:" + _TAG + _SEEALSO

    # The name of an image in a registry, and its tag (docker_image_pull, docker_image_push).
    NAME: str = "options:" + _NAME + _TAG + _REGISTRY_NOTES + _SEEALSO

    # The name of a local image or its ID, and its tag (docker_image_tag, docker_image_remove).
    BY_ID: str = "options:" + _NAME_OR_ID + _TAG + _SEEALSO
