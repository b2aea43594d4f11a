#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: image
short_description: Build, pull, load, tag, push, save and remove Docker images
version_added: 0.1.0
description:
  - Makes sure an image exists under O(name) (C(docker image build), C(docker image pull), C(docker image load)),
    optionally tags it under another name (C(docker image tag)), pushes it (C(docker image push)) and saves it to
    an archive (C(docker image save)); or removes it (C(docker image rm)).
  - Every step runs only when it changes something. With O(rebuild=auto) a build happens when the image is missing
    or when the Dockerfile, a file of the build context (honouring C(.dockerignore)) or a build option changed since
    the image was built; a digest of all that is kept in the image label C(devops.docker.context-digest).
  - A tag that already points at the same image ID is no change; a push of an image the registry already holds
    under that tag (same manifest digest) is no change; a save to an archive that already holds the image's ID is
    no change.
  - Pushes and pulls use the credentials C(docker login) (or M(devops.docker.login)) stored in
    C(~/.docker/config.json) (or C($DOCKER_CONFIG/config.json)) for the registry of the name.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.image_build
attributes:
  check_mode:
    details:
      - Check mode never builds, pulls, loads, tags, pushes, saves or removes.
      - With O(source=pull) and O(pull=always), check mode cannot know whether the registry has a newer image;
        it predicts a change only when the image is missing.
options:
  name:
    description:
      - The image name, C([registry[:port]/]repository[:tag]), for example V(my-app:1.0) or V(localhost:5001/my-app:1.0).
      - Without a tag, V(latest) is used. With O(source=pull) or O(state=absent) a digest (C(@sha256:...)) may be given.
    type: str
    required: true
  tag:
    description:
      - The tag of O(name) when O(name) has neither a tag nor a digest (community.docker's way to write it);
        a tag written in O(name) wins.
    type: str
  state:
    description:
      - V(present) makes sure the image exists (and is tagged, pushed, saved as asked).
      - V(absent) removes the name (C(docker image rm)). An image used by a container is not removed
        unless O(force=true).
    type: str
    default: present
    choices: [present, absent]
  source:
    description:
      - Where the image comes from when O(state=present).
      - V(build) builds it from O(build.path); V(pull) pulls it from its registry; V(load) loads it from O(load_path);
        V(local) only uses an image that already exists (and fails if it does not).
      - Defaults to V(build) when O(build) is given, V(load) when O(load_path) is given, else V(pull).
    type: str
    choices: [build, pull, load, local]
  build:
    description:
      - How to build the image with O(source=build), like the options of C(docker image build).
    type: dict
    # suboptions: the doc fragment devops.docker.image_build (shared with docker_image_build)
  rebuild:
    description:
      - When to build an image that already exists, with O(source=build).
      - V(auto) rebuilds when the context digest (Dockerfile, context files, O(build.args), O(build.target),
        O(build.labels)) differs from the one stored in the image's label C(devops.docker.context-digest).
        An image without that label (built elsewhere) is rebuilt once.
      - V(always) builds on every run (and reports a change); V(never) builds only when the image is missing.
    type: str
    default: auto
    choices: [auto, always, never]
  pull:
    description:
      - With O(source=pull), V(missing) pulls only when the image is not present; V(always) pulls every time and
        reports a change only when the image ID changed.
      - 'community.docker''s form, a dictionary C({platform: linux/amd64}), is also accepted - it pulls that platform
        (C(--platform)) when the image is missing, like V(missing).'
    type: raw
    default: missing
  load_path:
    description:
      - A tar made by C(docker image save) to load with O(source=load). Loaded only when the image under O(name)
        is missing or has another ID than the archive's.
      - If the archive holds a single image under another name, it is tagged as O(name) after loading.
    type: path
  archive_path:
    description:
      - Save the image to this tar file (C(docker image save -o)), unless the file already holds the image's ID
        under O(name). Written atomically.
    type: path
  repository:
    description:
      - An extra name to tag the image as (C(docker image tag NAME REPOSITORY)), like V(localhost:5001/my-app:1.0).
        Without a tag, the tag of O(name) is used.
      - With O(push=true), this is the name that is pushed.
    type: str
  push:
    description:
      - Push the image (O(repository) if given, else O(name)) to its registry, unless the registry already holds the
        same manifest digest for that tag.
      - The registry is asked with C(HEAD /v2/<name>/manifests/<tag>); registries on C(localhost) or C(127.0.0.1)
        over plain HTTP (as Docker allows), others over verified HTTPS. When the registry cannot be asked, the
        image is pushed (and reported as a change).
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), remove the name even when a container uses the image or other names point at it
        (C(docker image rm --force)).
    type: bool
    default: false
    aliases: [force_absent]
  force_source:
    description:
      - community.docker's way to get the image again when it exists - the same as O(rebuild=always) with
        O(source=build) and O(pull=always) with O(source=pull).
    type: bool
    default: false
  force_tag:
    description:
      - Accepted for community.docker's tasks. O(repository) is always moved to the image when it points at another
        one, which is what C(force_tag=true) does there.
    type: bool
    default: false
seealso:
  - module: devops.docker.image_info
    description: Reads the details of images, like C(docker image inspect).
  - module: devops.docker.login
    description: Stores the registry credentials that pushes and pulls use.
"""

EXAMPLES = r"""
- name: Build an image from a Dockerfile kept next to the playbook
  devops.docker.image:
    name: hello:1.0
    source: build
    build:
      path: "{{ playbook_dir }}/files/hello"
      args:
        GREETING: Hello
  register: hello_image

- name: Tag it for the local registry and push it there
  devops.docker.image:
    name: hello:1.0
    source: local
    repository: localhost:5001/hello:1.0
    push: true

- name: Pull it back from the registry when it is missing
  devops.docker.image:
    name: localhost:5001/hello:1.0
    source: pull

- name: Save it to an archive for an air-gapped host
  devops.docker.image:
    name: hello:1.0
    source: local
    archive_path: /tmp/hello.tar

- name: Load it on that host
  devops.docker.image:
    name: hello:1.0
    source: load
    load_path: /tmp/hello.tar

- name: Remove it, even if a container still uses it
  devops.docker.image:
    name: hello:1.0
    state: absent
    force: true
"""

RETURN = r"""
image:
  description:
    - The image as C(docker image inspect) shows it after the run.
    - V(null) after O(state=absent), and in check mode when the image would be built, pulled or loaded.
  returned: always
  type: dict
  sample: {"Id": "sha256:62281d7df3cf...", "RepoTags": ["hello:1.0"], "Config": {"Labels": {}}}
actions:
  description: The equivalent C(docker) CLI commands for what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker image build -t hello:1.0 --label devops.docker.context-digest=sha256:0b1c... /srv/hello
    - docker image push localhost:5001/hello:1.0
stdout:
  description: The build log as one text (community.docker's name; RV(build_log) has it as lines).
  returned: always
  type: str
build_log:
  description: The output lines of the build, when a build ran (empty otherwise).
  returned: always
  type: list
  elements: str
diff:
  description:
    - What changed, C(before) and C(after). Keys C(id) (the image ID under O(name)), C(context_digest),
      C(repository_id), C(pushed_digest), C(archive_id), present only when they changed.
    - In check mode the new image ID is not known and shows as a placeholder.
  returned: always
  type: dict
  sample: {"before": {"id": "sha256:aaa..."}, "after": {"id": "sha256:bbb..."}}
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._image._manager import IMAGE_ARGS
from ansible_collections.devops.docker.plugins.module_utils._image_split import image_compat_args, run_image


def main() -> None:
    module = DockerModule(
        argument_spec=image_compat_args(IMAGE_ARGS),
        supports_check_mode=True,
        required_if=[("source", "build", ["build"]), ("source", "load", ["load_path"])],
    )
    with module.errors(changed=False, actions=[]):
        result = run_image(module)
    module.exit(**result)


if __name__ == "__main__":
    main()
