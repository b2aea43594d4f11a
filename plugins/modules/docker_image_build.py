#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image_build
short_description: Build a Docker image from a Dockerfile, with community.docker's docker_image_build options
version_added: 1.1.0
description:
  - Builds the image O(name) (with O(tag)) from the build context O(path), like C(docker image build), when the
    image does not exist yet or O(rebuild=always).
  - Takes the options of community.docker's C(docker_image_build), so a task written for it runs after replacing
    C(community.docker.) by C(devops.docker.). The build runs through the Engine API with the same code as
    M(devops.docker.image); docker buildx is not needed.
  - For a build that is idempotent by content (rebuild when the Dockerfile, a context file or a build option
    changed), use M(devops.docker.image) with O(devops.docker.image#module:rebuild=auto).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_build.OPTIONS
  - devops.docker.image_name
attributes:
  check_mode:
    details:
      - Check mode never builds, tags or pushes.
  idempotent:
    support: partial
    details:
      - With O(rebuild=never) (the default) a second run does nothing. With O(rebuild=always) every run builds.
options:
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]). A tag written in O(name) wins over O(tag).
      - Image IDs and names with a digest cannot be used.
    type: str
    required: true
  path:
    description:
      - The build context directory on the managed host. Files listed in its C(.dockerignore) are not sent.
    type: path
    required: true
  dockerfile:
    description:
      - The Dockerfile, relative to O(path) (or absolute). Defaults to C(Dockerfile) in O(path).
    type: str
  args:
    description:
      - Build arguments (C(--build-arg KEY=VALUE)); values that are not strings are converted (V(true) becomes
        C(true)).
      - Build arguments show in RV(actions) and in the image history; do not pass secrets.
    type: dict
  platform:
    description:
      - The platform to build for, like V(linux/amd64) (C(--platform)).
      - The Engine API builder builds one platform; a list of more than one fails (a multi-platform build needs
        docker buildx).
    type: list
    elements: str
  labels:
    description:
      - Labels to set on the image (C(--label)).
    type: dict
  rebuild:
    description:
      - What to do when the image O(name) already exists.
      - V(never) leaves it alone; V(always) builds it again (and reports a change).
    type: str
    choices: [never, always]
    default: never
  secrets:
    description:
      - Build secrets (C(RUN --mount=type=secret)) need BuildKit through docker buildx. This module builds with
        the Engine API's classic builder, so a task that sets O(secrets) fails with a message saying so; the
        option exists so that such a task is rejected clearly rather than built without its secrets.
    type: list
    elements: dict
    suboptions:
      id:
        description: The secret's identifier.
        type: str
        required: true
      type:
        description: Where the secret comes from.
        type: str
        required: true
        choices: [file, env, value]
      src:
        description: The file holding the secret, with O(secrets[].type=file).
        type: path
      env:
        description: The environment variable holding the secret, with O(secrets[].type=env).
        type: str
      value:
        description: The secret itself, with O(secrets[].type=value).
        type: str
  outputs:
    description:
      - Where the result goes. Without it, the image is kept in the daemon under O(name).
      - V(docker) keeps it in the daemon; with O(outputs[].dest) it is also saved there as a C(docker image save)
        tar (unless that file already holds it).
      - V(image) also tags it as each of O(outputs[].name) and, with O(outputs[].push=true), pushes those names.
      - V(local), V(tar) and V(oci) need docker buildx and fail.
    type: list
    elements: dict
    suboptions:
      type:
        description: The kind of output.
        type: str
        required: true
        choices: [docker, image, local, tar, oci]
      dest:
        description: With O(outputs[].type=docker), the tar file to save the image to.
        type: path
      context:
        description: Not supported (loading into another Docker context); run the task against that host instead.
        type: str
      name:
        description: With O(outputs[].type=image), the names to tag the image as. Defaults to O(name).
        type: list
        elements: str
      push:
        description: With O(outputs[].type=image), push the names to their registries.
        type: bool
        default: false
seealso:
  - module: devops.docker.docker_image_push
    description: Pushes the image after the build.
  - module: devops.docker.docker_image_tag
    description: Gives the image more names.
"""

EXAMPLES = r"""
- name: Build Python 3.12 image
  devops.docker.docker_image_build:
    name: localhost/python/3.12:latest
    path: /home/user/images/python
    dockerfile: Dockerfile-3.12

- name: Build an image with build arguments and labels, and push it to the local registry
  devops.docker.docker_image_build:
    name: localhost:5001/hello
    tag: "1.0"
    path: /srv/hello
    args:
      GREETING: Hello
    labels:
      org.example.team: web
    outputs:
      - type: image
        push: true

- name: Build it again on every run
  devops.docker.docker_image_build:
    name: hello
    tag: nightly
    path: /srv/hello
    rebuild: always
    nocache: true
"""

RETURN = r"""
actions:
  description: The C(docker image build) command, and the C(tag), C(push) and C(save) of the outputs, for what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample: ["docker image build -t hello:1.0 --build-arg GREETING=Hello /srv/hello"]
diff:
  description: The image ID under O(name) before and after; tag and push steps keyed by the name they concern.
  returned: always
  type: dict
command:
  description: The C(docker) commands that were run (or would run in check mode), the same as RV(actions).
  returned: success
  type: list
  elements: str
build_log:
  description: The output lines of the build, when a build ran.
  returned: success
  type: list
  elements: str
image:
  description:
    - The image as C(docker image inspect) shows it after the run; empty in check mode when it would be built.
  returned: success
  type: dict
  sample: {"Id": "sha256:62281d7df3cf...", "RepoTags": ["hello:1.0"], "Config": {"Labels": {"org.example.team": "web"}}}
"""

from ansible_collections.devops.docker.plugins.module_utils._image_split import BUILD_ARGS, build, run_module


def main() -> None:
    run_module(BUILD_ARGS, build)


if __name__ == "__main__":
    main()
