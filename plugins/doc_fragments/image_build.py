# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from textwrap import indent

# The build options that docker_image_build takes at the top level and devops.docker.image under its build
# option, with the same meaning in both: written once here, placed at either level below.
_SHARED = r"""
cache_from:
  description:
    - Images to consider as cache sources (C(--cache-from)).
  type: list
  elements: str
etc_hosts:
  description:
    - Extra C(/etc/hosts) entries of the build containers, host name to IP address (C(--add-host)).
  type: dict
network:
  description:
    - The network the C(RUN) steps use (C(--network)), for example V(host).
  type: str
nocache:
  description:
    - Do not use the build cache (C(--no-cache)). It changes how a build runs, not what it makes, so it
      does not trigger a rebuild by itself; combine it with O(rebuild=always) to force one.
  type: bool
  default: false
pull:
  description:
    - Always try to pull newer versions of the base images (C(--pull)) when a build runs.
  type: bool
  default: false
shm_size:
  description:
    - Size of C(/dev/shm) for the C(RUN) steps, like V(64m) (C(--shm-size)).
  type: str
target:
  description:
    - The stage of a multi-stage Dockerfile to build (C(--target)).
  type: str
"""

# devops.docker.image's other build suboptions.
_IMAGE_ONLY = r"""
path:
  description:
    - The build context directory (on the managed host). Required with O(source=build).
    - Files listed in C(.dockerignore) are neither sent nor counted in the context digest (Docker's pattern
      rules, including C(**) and C(!) exceptions); the Dockerfile and C(.dockerignore) are always sent.
  type: path
dockerfile:
  description:
    - The Dockerfile, relative to O(build.path) (or absolute). Defaults to C(Dockerfile).
  type: str
args:
  description:
    - Build arguments (C(--build-arg KEY=VALUE)). A change rebuilds with O(rebuild=auto).
    - Build arguments show in RV(actions) and in the image history, as with the CLI; do not pass secrets.
  type: dict
  default: {}
labels:
  description:
    - Labels to set on the image (C(--label)). A change rebuilds with O(rebuild=auto).
  type: dict
  default: {}
platform:
  description:
    - The platform to build for, like V(linux/amd64) (C(--platform)).
  type: str
container_limits:
  description:
    - Limits of the containers the C(RUN) steps run in.
  type: dict
  suboptions:
    memory:
      description: Memory limit, like V(512m) (C(--memory)).
      type: str
    memswap:
      description: Memory plus swap, like V(1g), or V(-1) for unlimited swap (C(--memory-swap)).
      type: str
    cpushares:
      description: CPU shares, a relative weight (C(--cpu-shares)).
      type: int
    cpusetcpus:
      description: The CPUs the steps may use, like V(0-3) or V(0,1) (C(--cpuset-cpus)).
      type: str
rm:
  description:
    - Remove the intermediate containers after the build, also after a failed one. V(false) keeps them.
  type: bool
  default: true
http_timeout:
  description:
    - Accepted for community.docker's tasks; a build may take up to an hour before the request times out.
  type: int
use_config_proxy:
  description:
    - Accepted for community.docker's tasks. The proxies of the Docker client configuration are not passed;
      give them in O(build.args) (C(HTTP_PROXY), C(HTTPS_PROXY), C(NO_PROXY)) instead.
  type: bool
"""

_NOTES = r"""
notes:
  - The build runs through the Engine API with the classic builder, like C(DOCKER_BUILDKIT=0 docker build).
"""


class ModuleDocFragment:
    # The values are put together from the parts above, so they are annotated: ansible-test's yamllint reads
    # literal strings only (tests/unit/plugins/doc_fragments/test_image_fragments.py checks these instead).

    # devops.docker.image: the suboptions of its build option (the module documents build itself).
    DOCUMENTATION: str = "options:\n  build:\n    suboptions:" + indent(_SHARED + _IMAGE_ONLY, "      ") + _NOTES

    # docker_image_build: the shared build options, as top-level options.
    OPTIONS: str = "options:" + indent(_SHARED, "  ") + _NOTES
