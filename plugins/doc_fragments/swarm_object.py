# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options devops.docker.secret and devops.docker.config share: one Swarm object with immutable content,
    # given as a string, base64 or a file, replaced (or versioned) when the content changes.
    DOCUMENTATION = r"""
options:
  name:
    description:
      - The secret's or config's name. With O(rolling_versions=true), the base of the versioned names C(NAME_vN).
    type: str
    required: true
  state:
    description:
      - V(present) creates the object or replaces it when its content changed.
      - V(absent) removes it (with O(rolling_versions=true), every version). It fails, naming them, while services
        use it.
    type: str
    choices: [present, absent]
    default: present
  data:
    description:
      - The content, as a string. With O(data_is_b64=true), the base64 encoding of the content (for binary data).
      - One of O(data) and O(data_src) is required with O(state=present).
    type: str
  data_is_b64:
    description: Whether O(data) is base64 encoded, and is decoded before it is stored.
    type: bool
    default: false
  data_src:
    description:
      - A file on the managed host whose content becomes the object's content.
      - Mutually exclusive with O(data).
    type: path
  labels:
    description:
      - 'Labels of the object. They are the whole set: a label removed from the task is removed from the object.'
      - The labels C(devops.docker.fingerprint) and C(devops.docker.version) are the module's own and are not
        compared or shown.
    type: dict
  labels_exclusive:
    description:
      - V(false) keeps labels the object has and O(labels) does not list (community.docker's comparison); only
        the labels given are compared and set.
    type: bool
    default: true
  force:
    description:
      - Replace the object (or make a new version) on every run, even when the content did not change.
        Use it once to take over an object made outside this collection.
    type: bool
    default: false
  rolling_versions:
    description:
      - Instead of replacing the object in place, make a new one named C(NAME_vN) on each content change (N one
        higher than the highest existing version), labelled C(devops.docker.version=N).
      - The module returns the current version's name (C(secret_name) or C(config_name)), to give to the service.
    type: bool
    default: false
  versions_to_keep:
    description:
      - With O(rolling_versions=true), how many versions to keep, the current one included; older ones are removed
        (V(0) and V(1) keep only the current one, V(-1) keeps all).
      - A version still used by a service is never removed; it is listed in the result's C(in_use) and removed by a
        later run, once the service has moved to a newer version. Such a run reports a change.
    type: int
    default: 5
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions), with the content given as C(-)
    (standard input) or the O(data_src) path.
  - Labels can only be changed through the Engine API (the C(docker) CLI has no C(secret update) or C(config update));
    the action shows the API call.
seealso:
  - module: devops.docker.service
  - module: devops.docker.stack
"""
