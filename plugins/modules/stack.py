#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: stack
short_description: Deploy a Compose file on a Docker Swarm as a stack, like C(docker stack deploy/rm)
version_added: 0.1.0
description:
  - Deploys the services of a Compose file as swarm services, with C(docker stack deploy) semantics, natively on the
    Engine API (no CLI needed). Runs against a swarm manager.
  - Service V(S) of stack V(N) becomes the service V(N_S), reachable on its networks by the alias V(S); network V(K)
    becomes the overlay network V(N_K) (V(N_default) for services that name none); named volume V(V) becomes V(N_V).
    Everything carries the label C(com.docker.stack.namespace=N).
  - The C(deploy:) section of each service sets the service's C(mode) (V(replicated), V(global), or the job modes
    V(replicated-job) with C(replicas) completions and C(max_concurrent), and V(global-job)), C(replicas), C(resources) (limits and
    reservations), C(placement) (constraints, preferences, max_replicas_per_node), C(restart_policy),
    C(update_config) and service C(labels). A stack cannot build images; keys C(docker stack deploy) ignores (such as
    C(build), C(depends_on), C(restart)) are ignored with a warning.
  - 'Top-level C(secrets:) and C(configs:) are made as Docker secrets and configs named V(N_KEY) (or their C(name:)),
    from a C(file) of the project, a variable of the project''s C(environment), or (configs only) inline C(content);
    C(external: true) ones must exist already (M(devops.docker.secret), M(devops.docker.config)). Services refer to them
    by key, short (V(- KEY): the file C(/run/secrets/KEY), or C(/KEY) for a config) or long (C(source), C(target),
    C(uid), C(gid), C(mode)). A re-deploy with the same content is no change; the content never appears in the output.
    Docker cannot change a secret a service uses, so new content needs a new C(name:) (for example V(db_pw_v2)),
    which the services switch to.'
  - Each service is converged like the devops.docker.service module does it. A re-deploy with nothing changed is no
    change, and a changed service is updated in place.
  - V(absent) removes the stack's services, then its secrets, configs and networks (C(docker stack rm)).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  name:
    description: The stack's name (the prefix of its services and networks).
    type: str
    required: true
    aliases: [project_name]
  state:
    description: V(present) deploys the stack; V(absent) removes its services and networks.
    type: str
    choices: [present, absent]
    default: present
  project_src:
    description: The folder holding the Compose file (and the C(.env) file used for interpolation).
    type: path
  files:
    description: Compose files to merge, in order, relative to O(project_src).
    type: list
    elements: path
  definition:
    description: The Compose file's content inline, instead of O(files).
    type: dict
  env:
    description: Variables for interpolation, over the C(.env) file and the environment.
    type: dict
  env_files:
    description: Files of variables for interpolation instead of C(.env), relative to O(project_src).
    type: list
    elements: path
  with_registry_auth:
    description:
      - Send the registry credentials stored by M(devops.docker.login) with each service's create or update
        (C(docker stack deploy --with-registry-auth)), so the nodes can pull from a registry that needs a login.
    type: bool
    default: false
  resolve_image:
    description:
      - Pin each service's image digest in its spec, so that every node runs the same image (C(docker stack deploy
        --resolve-image)). The digest is the one the image's registry has for the tag (asked through the daemon with
        the credentials M(devops.docker.login) stored), else the one of a local image pulled or pushed under that name.
      - V(always) resolves on every deploy; a tag that now points to another digest updates the service. V(changed)
        resolves only for a new service or a changed image name or tag. V(never) sends the tag only, and the
        comparison ignores a digest a service already has.
      - The default is V(never) (C(docker stack deploy) defaults to V(always)) - an air-gapped swarm runs images that no
        registry knows. When no digest is found a service gets the tag only, with a warning that says why.
    type: str
    choices: [always, changed, never]
    default: never
  prune:
    description: Remove services of the stack that the Compose file no longer has (C(docker stack deploy --prune)).
    type: bool
    default: false
  wait:
    description: Wait until every service runs its desired tasks (and, with V(absent), until the networks are removed).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each service.
    type: int
    default: 180
  compose:
    description:
      - community.docker's way to give the Compose files - a list of file paths (O(files)) or of inline Compose
        definitions (dictionaries, merged in order into O(definition)). Not together with O(files) or O(definition).
    type: list
    elements: raw
  detach:
    description:
      - community.docker's name for the opposite of O(wait) - V(true) returns without waiting. When given, it wins
        over O(wait). community.docker does not wait by default; this module does (see C(docs/migrating.md)).
    type: bool
  absent_retries:
    description:
      - With O(state=absent), community.docker's way to wait for the removal - more than V(0) waits up to
        O(absent_retries) times O(absent_retries_interval) seconds (O(wait=true) with that O(wait_timeout)).
    type: int
  absent_retries_interval:
    description: Seconds between two of community.docker's O(absent_retries).
    type: int
    default: 1
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions).
seealso:
  - module: devops.docker.stack_info
    description: The stacks of the swarm, with their services, secrets and configs.
  - module: devops.docker.stack_task_info
    description: The tasks of a stack, with their nodes, states and errors.
  - module: devops.docker.secret
  - module: devops.docker.config
  - module: devops.docker.service
  - module: devops.docker.compose
"""

EXAMPLES = r"""
- name: Deploy a stack from a Compose file
  devops.docker.stack:
    name: shop
    project_src: /srv/shop

- name: Deploy an inline stack
  devops.docker.stack:
    name: demo
    definition:
      services:
        web:
          image: devops-test/busybox:latest
          command: [httpd, -f, -p, "8080"]
          deploy:
            replicas: 2
            placement:
              constraints: [node.role==worker]

- name: Remove the stack
  devops.docker.stack:
    name: demo
    state: absent
"""

RETURN = r"""
services:
  description: Names of the stack's services after the task (in check mode, before).
  returned: always
  type: list
  elements: str
  sample: [demo_web]
networks:
  description: Names of the stack's networks after the task (in check mode, before).
  returned: always
  type: list
  elements: str
  sample: [demo_default]
stack_spec_diff:
  description:
    - community.docker's return - per service whose C(Spec) changed, the top-level C(Spec) keys that differ, as
      C({before, after}); a service created or removed has its whole C(Spec) on one side and C(null) on the other.
      (community.docker gives the same comparison in C(jsondiff)'s syntax.)
  returned: on change, not in check mode
  type: dict
  sample:
    demo_web:
      before: {Labels: {tier: web}}
      after: {Labels: {tier: front}}
actions:
  description: The equivalent C(docker) commands of what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
diff:
  description: The services and networks that change, before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import StackManager


def main() -> None:
    module = DockerModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["project_name"]},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "project_src": {"type": "path"},
            "files": {"type": "list", "elements": "path"},
            "definition": {"type": "dict"},
            "env": {"type": "dict"},
            "env_files": {"type": "list", "elements": "path"},
            "prune": {"type": "bool", "default": False},
            "resolve_image": {"type": "str", "default": "never", "choices": ["always", "changed", "never"]},
            "with_registry_auth": {"type": "bool", "default": False},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 180},
            "compose": {"type": "list", "elements": "raw"},
            "detach": {"type": "bool"},
            "absent_retries": {"type": "int"},
            "absent_retries_interval": {"type": "int", "default": 1},
        },
        supports_check_mode=True,
        mutually_exclusive=[("definition", "files")],
    )
    module.manage(StackManager, keep_diff=False)


if __name__ == "__main__":
    main()
