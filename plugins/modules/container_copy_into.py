#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: container_copy_into
short_description: Copy a file into a Docker container, like docker cp
version_added: 1.1.0
description:
  - Writes one file into a running or stopped container (C(docker cp)), from a file on the managed host (O(path))
    or from O(content), with an owner and a mode.
  - Idempotent by content. The file in the container is read through the Engine API and compared (content, mode,
    owner, or link target); it is written only when something differs.
  - Also reachable as C(devops.docker.docker_container_copy_into), with community.docker's options.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
attributes:
  check_mode:
    details:
      - Check mode reads the file in the container and predicts the change; it never writes.
  diff_mode:
    details:
      - The diff shows the text of the file before and after when it is text and at most 100 KiB; the headers
        name the size, mode and owner. With O(content) (which is C(no_log)) the text is never shown.
  idempotent:
    support: partial
    details:
      - With O(force=true) every run writes the file.
options:
  container:
    description:
      - The name or ID of the container to copy the file into. It may be running or stopped.
    type: str
    required: true
  path:
    description:
      - The file on the managed host to copy. Exactly one of O(path) and O(content) is required.
    type: path
  content:
    description:
      - The content of the file. Exactly one of O(path) and O(content) is required; O(mode) is then required.
      - For binary data, give it Base64 encoded and set O(content_is_b64=true).
      - This option is C(no_log); its text never appears in the diff.
    type: str
  content_is_b64:
    description:
      - Decode O(content) from Base64 before writing it.
    type: bool
    default: false
  container_path:
    description:
      - The path of the file in the container. A relative path is taken from C(/). Its folder must exist.
    type: str
    required: true
  mode:
    description:
      - The mode of the file in the container. Defaults to the mode of O(path); required with O(content).
      - Read as O(mode_parse) says.
    type: raw
  mode_parse:
    description:
      - How to read O(mode).
      - V(legacy) reads it as an integer, so a string V('0644') is the B(decimal) number 644; give an octal integer
        (V(0o644) in YAML 1.2 or V(420)), or use V(modern).
      - V(modern) reads a string as octal and takes an integer as it is, like M(ansible.builtin.copy).
      - V(octal_string_only) accepts only a string holding an octal number.
    type: str
    choices: [legacy, modern, octal_string_only]
    default: legacy
  owner_id:
    description:
      - The user ID to own the file. Give O(group_id) with it.
      - Without both, the IDs of the container's user are read by running C(id -u && id -g) in it, which needs a
        running container with C(/bin/sh) and C(id).
    type: int
  group_id:
    description:
      - The group ID to own the file. Give O(owner_id) with it.
    type: int
  follow:
    description:
      - When O(container_path) is a symbolic link in the container, write the file it points to.
    type: bool
    default: false
  local_follow:
    description:
      - When O(path) is a symbolic link, copy the file it points to (V(true)) or the link itself (V(false)).
    type: bool
    default: true
  force:
    description:
      - Unset (the default), the file is written when it differs.
      - V(true) writes it on every run; V(false) writes it only when nothing exists at O(container_path).
    type: bool
notes:
  - The equivalent CLI command in RV(actions) is a one-file tar with the owner and mode, piped into
    C(docker cp -), because C(docker cp) alone cannot set them.
seealso:
  - module: devops.docker.container_exec
  - module: devops.docker.container
  - module: ansible.builtin.copy
    description: The same for a file on a managed host.
"""

EXAMPLES = r"""
- name: Copy a file into the container
  devops.docker.container_copy_into:
    container: mydata
    path: /home/user/data.txt
    container_path: /data/input.txt

- name: Copy a file into the container with owner, group, and mode set
  devops.docker.container_copy_into:
    container: mydata
    path: /home/user/bin/runme.o
    container_path: /bin/runme
    owner_id: 0
    group_id: 0
    mode: "0755"
    mode_parse: modern

- name: Write a configuration file from a template's text
  devops.docker.container_copy_into:
    container: catalog-service
    content: "{{ lookup('ansible.builtin.template', 'app.conf.j2') }}"
    container_path: /etc/app/app.conf
    owner_id: 1000
    group_id: 1000
    mode: "0640"
    mode_parse: modern
"""

RETURN = r"""
actions:
  description: The equivalent CLI command for what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample: ["tar -c -C /home/user --transform 's,^data.txt$,input.txt,' --owner=0 --group=0 --mode=0644 -f - data.txt | docker cp - mydata:/data"]
container_path:
  description: The path written (or that would be written); differs from O(container_path) only with O(follow=true).
  returned: success
  type: str
  sample: /data/input.txt
diff:
  description:
    - In diff mode, the file's text before and after (C(before), C(after)), with headers naming the size, mode and
      owner; C(dst_binary)/C(src_binary) or C(dst_larger)/C(src_larger) instead of the text for binary or large files.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._copy_into import COPY_INTO_ARGS, CopyInto


def main() -> None:
    module = DockerModule(
        argument_spec=COPY_INTO_ARGS,
        supports_check_mode=True,
        mutually_exclusive=[("path", "content")],
        required_one_of=[("path", "content")],
        required_together=[("owner_id", "group_id")],
        required_by={"content": ["mode"]},
    )
    with module.errors(changed=False, actions=[]):
        result = CopyInto(module).run()
    module.exit(**result)


if __name__ == "__main__":
    main()
