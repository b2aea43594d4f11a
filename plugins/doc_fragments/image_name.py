# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The image a docker_image_* module works on: a name, and the tag of a name written without one.
    DOCUMENTATION = r"""
options:
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]). A tag or digest written in O(name) wins over O(tag).
    type: str
    required: true
  tag:
    description:
      - The tag of O(name), when O(name) has neither a tag nor a digest.
    type: str
    default: latest
"""

    # The same, where an image ID names the image as well.
    BY_ID = r"""
options:
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]). A tag or digest written in O(name) wins over O(tag).
      - An image ID (C(sha256:...)) can be given instead of a name.
    type: str
    required: true
  tag:
    description:
      - The tag of O(name), when O(name) has neither a tag nor a digest.
    type: str
    default: latest
"""
