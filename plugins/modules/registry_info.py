#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: registry_info
short_description: Ask a registry's v2 API for its catalog, a repository's tags or a tag's digest
version_added: 0.1.0
description:
  - The query the course does with C(curl http://localhost:5001/v2/_catalog), as a module.
  - Without O(repository), returns the registry's catalog (C(GET /v2/_catalog)), every page of it.
  - With O(repository), returns its tags (C(GET /v2/<repository>/tags/list)), every page of them.
  - With O(repository) and O(tag), also returns the digest of that tag's manifest (C(HEAD /v2/<repository>/manifests/<tag>)).
  - Talks to the registry directly over HTTP(S) from the managed host; it needs neither the Docker daemon nor the Docker SDK.
  - Basic authentication and the bearer-token flow (a token server named by the registry's C(WWW-Authenticate) challenge) are both supported.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  url:
    description:
      - The registry, as V(http://127.0.0.1:5001), V(https://registry.example.com) or a bare V(host:port).
      - A bare V(host[:port]) is reached over plain HTTP when the host is a loopback name or address (V(localhost), V(127.0.0.0/8), V(::1)),
        and over HTTPS otherwise; this is the rule the Docker daemon applies to insecure registries by default.
      - A trailing V(/v2/) is ignored.
    type: str
    required: true
    aliases: [registry_url]
  repository:
    description:
      - A repository of the registry, as the catalog names it (V(my-app), V(team/my-app)), without the registry host and without a tag.
      - When set, the module returns RV(tags) instead of RV(repositories).
      - A repository that does not exist is an error (C(NAME_UNKNOWN)).
    type: str
  tag:
    description:
      - A tag (or a digest) of O(repository) whose manifest digest to return in RV(digest).
      - A tag that does not exist is an error (C(MANIFEST_UNKNOWN)).
    type: str
  page_size:
    description:
      - How many entries to ask for per page (the C(n) query parameter). The module follows the C(Link) header
        through every page either way; unset lets the registry choose.
    type: int
    aliases: [n]
  username:
    description:
      - User name for basic authentication or for the token server.
    type: str
  password:
    description:
      - Password of O(username). Never logged.
    type: str
  validate_certs:
    description:
      - Verify the registry's TLS certificate (for V(https://) URLs).
      - Set V(false) for a registry with a self-signed certificate, or set O(ca_path) to its CA instead.
      - Unlike the other modules of the collection, this option is about the registry, not the Docker daemon,
        and defaults to V(true).
    type: bool
    default: true
    aliases: [tls_verify]
  ca_path:
    description:
      - A PEM file with the CA certificate(s) to verify the registry's certificate with, instead of the system's CAs.
    type: path
    aliases: [ca_cert, tls_ca_cert, cacert_path]
notes:
  - The connection options of the Docker daemon (O(docker_host), O(tls), O(client_cert)...) are accepted so that
    C(module_defaults) for C(group/devops.docker.docker) apply without errors, but this module does not use the daemon.
    O(timeout) applies to each request to the registry.
  - When C(module_defaults) for the group sets O(validate_certs) or O(ca_path) for the daemon, they apply to this module
    too; set them on the task to override.
"""

EXAMPLES = r"""
- name: List the repositories of the local registry (curl http://localhost:5001/v2/_catalog)
  devops.docker.registry_info:
    url: http://127.0.0.1:5001
  register: local_registry

- name: Show them
  ansible.builtin.debug:
    var: local_registry.repositories

- name: List the tags of one repository, with credentials
  devops.docker.registry_info:
    url: https://registry.example.com
    repository: team/catalog-service
    username: ci
    password: "{{ registry_password }}"
  register: catalog_tags

- name: Get the digest of a tag from a registry with a self-signed certificate
  devops.docker.registry_info:
    url: registry.internal:5000
    repository: catalog-service
    tag: "1.0"
    validate_certs: false
  register: catalog_release

- name: Deploy exactly that digest
  ansible.builtin.debug:
    msg: "registry.internal:5000/catalog-service@{{ catalog_release.digest }}"
"""

RETURN = r"""
actions:
  description:
    - The C(curl) commands that make the same registry API requests. With O(username), C(curl --user) asks for the password; it is never shown.
  returned: always
  type: list
  elements: str
  sample: ["curl --silent http://localhost:5001/v2/_catalog"]
url:
  description: The registry URL the module used, after normalization (scheme added, trailing C(/v2/) removed).
  returned: success
  type: str
  sample: http://127.0.0.1:5001
repositories:
  description: Every repository of the catalog, all pages joined.
  returned: when O(repository) is not set
  type: list
  elements: str
  sample: [busybox, team/catalog-service]
tags:
  description: Every tag of O(repository), all pages joined.
  returned: when O(repository) is set
  type: list
  elements: str
  sample: ["1.0", latest]
digest:
  description: The content digest of the manifest of O(tag) (the C(Docker-Content-Digest) header), usable as C(repository@digest).
  returned: when O(tag) is set
  type: str
  sample: sha256:0d1a4d2ab6a2fb64c2fe3bdbf3bb39b0bfd3f4ee1b3a0c2f9ae2a0d09bd1e0f4
media_type:
  description: The media type of that manifest (a v2 manifest, a manifest list, an OCI manifest or index).
  returned: when O(tag) is set
  type: str
  sample: application/vnd.docker.distribution.manifest.v2+json
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only
from ansible_collections.devops.docker.plugins.module_utils._info_actions import registry_info_actions
from ansible_collections.devops.docker.plugins.module_utils._registry import query_registry


def main() -> None:
    run_read_only(
        {
            "url": {"type": "str", "required": True, "aliases": ["registry_url"]},
            "repository": {"type": "str"},
            "tag": {"type": "str"},
            "page_size": {"type": "int", "aliases": ["n"]},
            "username": {"type": "str"},
            "password": {"type": "str", "no_log": True},
            "validate_certs": {"type": "bool", "default": True, "aliases": ["tls_verify"]},
            "ca_path": {"type": "path", "aliases": ["ca_cert", "tls_ca_cert", "cacert_path"]},
        },
        lambda module: query_registry(module.params), registry_info_actions, needs_sdk=False,
    )


if __name__ == "__main__":
    main()
