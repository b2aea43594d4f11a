#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: compose
short_description: Converge a Docker Compose project natively, like C(docker compose up) and C(docker compose down)
version_added: 0.1.0
description:
  - Reads a Compose file (C(compose.yaml), C(compose.yml), C(docker-compose.yml) or C(docker-compose.yaml), plus the
    matching C(*.override.*) file) from O(project_src), several O(files) merged in order, or an inline O(definition),
    and converges the project with the Engine API. No Compose CLI is needed.
  - Variables are interpolated like Docker Compose does (C($VAR), C(${VAR}), C(${VAR:-default}), C(${VAR-default}),
    C(${VAR:?error}), C(${VAR?error}), C(${VAR:+alt}), C(${VAR+alt}), C($$) for a literal C($)), from the project's
    C(.env) file, overridden by the module's environment, overridden by O(env).
  - Containers are named C(<project>-<service>-<n>) (or C(container_name)), networks and volumes C(<project>_<name>),
    with the labels Docker Compose writes (C(com.docker.compose.project), C(.service), C(.container-number),
    C(.oneoff), C(.config-hash)), so a project started by the CLI is adopted and one started here is recognised by
    the CLI. The config hash is this module's own; the CLI recreates the containers once when it takes over.
  - A service is recreated when its configuration (config hash) or its image changes; the other services are left
    alone. Services start in C(depends_on) order and wait for C(service_healthy) and
    C(service_completed_successfully) conditions.
  - The Compose Specification as one Docker Engine runs it (see C(docs/compose.md)) - top level C(name),
    C(services), C(networks), C(volumes), C(secrets), C(configs), C(include) (short and long form) and C(x-*)
    extensions; C(extends) (same file or another, chained; relative paths are resolved against the file that
    wrote them) and the merge rules with C(!reset) and C(!override); every service key a single engine honours,
    each mapped onto the M(devops.docker.container) option of the same meaning.
  - Secrets and configs (C(file), C(environment) or C(content)) are written to files of the project's state
    folder (C(/var/lib/devops-docker/compose/<project>) as root) with the reference's C(mode), C(uid) and C(gid),
    and bind-mounted read-only at C(/run/secrets/<name>) or the config's target. External ones exist only in a
    Swarm and are an error.
  - Containers of independent services are created, started, stopped and removed at the same time; a service
    starts once its dependencies are done.
  - A key that cannot be honoured is an error; all such keys of a file are named in one message. Keys meant for
    other tools (C(develop)) and Swarm-only C(deploy) keys are accepted with a warning that says they are not
    applied.
  - Images are built by the daemon's classic builder (the Engine API's C(/build)), from a folder or a git or URL
    context the daemon fetches, with C(build.tags), C(build.cache_from) (image names) and C(build.extra_hosts);
    the BuildKit-only C(additional_contexts), C(secrets), C(ssh), C(cache_to) and C(platforms) are an error that
    says to build the image with C(docker buildx build) and use it with C(image) and C(pull_policy=never).
  - C(pre_stop) hooks run before a container is stopped or removed, and before the old container of a recreate
    is stopped; C(post_start) hooks once a container this run started runs.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  project_src:
    description:
      - Folder holding the Compose file (and its C(.env)). Relative paths in the Compose file are read from here.
      - With O(definition), the folder relative paths are resolved against (default the current directory).
    type: path
  files:
    description:
      - Compose files to merge in this order, later files overriding earlier ones like C(docker compose -f a -f b).
      - Relative paths are read from O(project_src).
    type: list
    elements: path
  definition:
    description:
      - The content of a Compose file, inline. Mutually exclusive with O(files).
    type: dict
  project_name:
    description:
      - The project name. Defaults to the top-level C(name) of the Compose file, then to the name of the folder.
      - It is normalized to lowercase letters, digits, C(_) and C(-).
    type: str
  state:
    description:
      - V(present) creates what is missing, recreates what changed and starts the services (C(docker compose up -d)).
      - V(stopped) stops the running containers (C(docker compose stop)).
      - V(restarted) converges like V(present), then restarts the containers that were not just started
        (C(docker compose restart)); it always reports a change.
      - V(absent) removes the containers and networks of the project (C(docker compose down)); volumes only with
        O(remove_volumes=true). With O(services), only the containers of those services are removed.
    type: str
    default: present
    choices: [present, absent, stopped, restarted]
  services:
    description:
      - Limit the run to these services. With O(state=present) and O(state=restarted), the services they depend on
        are converged too, like C(docker compose up SERVICE).
    type: list
    elements: str
  build:
    description:
      - V(auto) builds the image of a service with C(build) when it is missing or when its Dockerfile, context files or
        build args changed (found by a digest kept in an image label, as the M(devops.docker.image) module does).
      - V(always) rebuilds every such image (C(docker compose up --build)).
      - V(never) never builds; the image must exist.
      - The image of a built service is the service's C(image), or C(<project>-<service>).
      - V(policy) (community.docker's default) builds only images that are missing (and those of services whose
        C(pull_policy) is V(build)), like community.docker; an existing image is not rebuilt when its context changed.
    type: str
    default: auto
    choices: [auto, always, never, policy]
  pull:
    description:
      - V(missing) pulls the image of a service without C(build) when it is not on the daemon.
      - V(always) pulls it on every run; V(never) never pulls and fails when the image is missing.
      - A service's C(pull_policy) overrides this option.
      - V(policy) (community.docker's default) is V(missing) - each service's C(pull_policy), else pull when missing.
    type: str
    default: missing
    choices: [missing, always, never, policy]
  recreate:
    description:
      - V(auto) recreates a container when its service's configuration or its image changed.
      - V(always) recreates every container (C(--force-recreate)); V(never) keeps existing containers as they are
        (C(--no-recreate)).
    type: str
    default: auto
    choices: [auto, always, never]
  remove_orphans:
    description:
      - Remove the containers of the project whose service is no longer in the Compose file
        (C(--remove-orphans)). Without it they are kept and reported in a warning.
    type: bool
    default: false
  remove_volumes:
    description:
      - With O(state=absent), also remove the project's named volumes and the containers' anonymous volumes
        (C(docker compose down --volumes)). Their data is lost.
    type: bool
    default: false
  actions_format:
    description:
      - The shape of RV(actions). V(cli) (the default, as every module of this collection) - the docker CLI commands
        equivalent to what was done. V(compose) - community.docker's C(docker_compose_v2) shape, a list of
        C({what, id, status}) (C(what) V(container), V(network), V(volume), V(image) or V(unknown); C(status) like
        V(Creating), V(Starting), V(Stopping), V(Removing), V(Recreating), V(Pulling), V(Building)), for playbooks
        that filter it.
    type: str
    choices: [cli, compose]
    default: cli
  renew_anon_volumes:
    description:
      - When a container is recreated (its configuration or image changed, or O(recreate=always)), each anonymous
        volume of the old container (an image C(VOLUME), or a C(volumes) entry with no source) whose path is still
        such a path in the service is mounted into the new container at the same path, by its name, so its data
        survives the recreate, as C(docker compose up) does. A path the service now binds or mounts from a named
        volume takes the new configuration. The create in RV(actions) shows it as
        C(--mount type=volume,source=<volume>,target=<path>).
      - V(true) gives the new container fresh anonymous volumes instead (C(docker compose up --renew-anon-volumes)).
        As with the Compose CLI, the old container's anonymous volumes are not removed. They are left dangling
        (C(docker volume ls --filter dangling=true)), and O(state=absent) with O(remove_volumes=true) does not remove
        them either; remove them with M(devops.docker.prune) or C(docker volume rm).
      - An anonymous volume is one whose name is a 64-hex ID that the project does not declare as a named volume.
    type: bool
    default: false
  wait:
    description:
      - Wait until every service is ready (healthy when it has a healthcheck, finished with exit code 0 for a one-shot
        job other services wait for, running otherwise), like C(docker compose up --wait).
      - C(depends_on) conditions are always waited for, with or without this option.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for each condition (O(wait) and C(depends_on) conditions).
    type: int
    default: 120
  env:
    description:
      - Variables for interpolation in the Compose file. They override the module's environment and the C(.env) file.
      - They show in the task's arguments with C(-v), and so do the values of the task's C(environment:) keyword with
        C(-vvv); keep passwords in a file of O(env_files) (mode 0600) or in the Compose file itself.
    type: dict
  env_files:
    description:
      - Files of C(KEY=VALUE) variables for interpolation, read instead of the project's C(.env) (C(--env-file)).
    type: list
    elements: path
  scale:
    description:
      - The number of containers of a service, as a dictionary service name to number, over the Compose file's
        C(scale) or C(deploy.replicas) (C(docker compose up --scale SERVICE=N)).
    type: dict
  dependencies:
    description:
      - With O(services), also converge the services they depend on (V(true)), or only the services named (V(false),
        C(docker compose up --no-deps)).
    type: bool
    default: true
  remove_images:
    description:
      - With O(state=absent), also remove the services' images (C(docker compose down --rmi)) - V(all) every
        service's image, V(local) only those named after the project (built without an C(image) name).
      - An image another container still uses is left, with a warning.
    type: str
    choices: [all, local]
  assume_yes:
    description: Accepted for community.docker's tasks; this module never asks questions.
    type: bool
    default: false
  check_files_existing:
    description: Accepted for community.docker's tasks; a missing Compose file always fails with a clear message.
    type: bool
    default: true
  ignore_build_events:
    description: Accepted for community.docker's tasks; it has no effect here.
    type: bool
    default: true
  profiles:
    description:
      - Profiles to enable. Services with C(profiles) are left out unless one of their profiles is enabled.
    type: list
    elements: str
notes:
  - Check mode changes nothing at all, not even images (no build, no pull, no create). The diff lists each changed
    service container, network and volume.
  - Service environment variables whose name contains C(PASSWORD), C(PASSWD), C(SECRET), C(TOKEN), C(PRIVATE_KEY) or
    C(API_KEY) are handed to the container as the M(devops.docker.container) module's C(secret_env), so their values never
    appear in the diff, the actions or the output.
  - A one-shot service (no C(restart) policy) whose container exited with code 0 counts as done and is not started
    again on the next run, so the project stays idempotent.
  - Not supported, and an error names them if used, are C(secrets), C(configs), C(devices),
    C(network_mode=service:...), Swarm-only C(deploy) keys. C(expose) is supported (the containers' exposed ports).
seealso:
  - module: devops.docker.container
  - module: devops.docker.image
"""

EXAMPLES = r"""
- name: Bring up the project in /srv/shop (compose.yaml and .env in that folder)
  devops.docker.compose:
    project_src: /srv/shop
    state: present
    wait: true

- name: Merge a base file and an override, with variables for interpolation
  devops.docker.compose:
    project_src: /srv/shop
    files:
      - compose.yaml
      - compose.prod.yaml
    env:
      BACKEND_PORT: 18088
    remove_orphans: true

- name: An inline project
  devops.docker.compose:
    project_name: hello
    definition:
      services:
        web:
          image: devops-test/busybox:latest
          command: httpd -f -p 8080
          ports:
            - 127.0.0.1:18080:8080

- name: Scale a service to three containers
  devops.docker.compose:
    project_src: /srv/shop
    definition:
      services:
        worker:
          image: devops-test/busybox:latest
          command: sleep 86400
          scale: 3

- name: Stop the project
  devops.docker.compose:
    project_src: /srv/shop
    state: stopped

- name: Remove the project and its volumes
  devops.docker.compose:
    project_src: /srv/shop
    state: absent
    remove_volumes: true
"""

RETURN = r"""
project_name:
  description: The project name, normalized.
  returned: success
  type: str
  sample: shop
services:
  description: Per service, its image, its scale and its containers after the run.
  returned: success
  type: dict
  sample:
    db:
      image: mariadb:11
      scale: 1
      containers:
        - name: shop-db-1
          id: 4b8c...
          service: db
          number: 1
          image: mariadb:11
          state: running
          status: Up 3 seconds (healthy)
containers:
  description: Every container of the defined services after the run (empty in check mode when none existed).
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Container name.
      type: str
    id:
      description: Container ID.
      type: str
    service:
      description: The service it belongs to.
      type: str
    number:
      description: Its C(com.docker.compose.container-number).
      type: int
    image:
      description: The image it runs.
      type: str
    state:
      description: C(running), C(exited)...
      type: str
    status:
      description: The daemon's human readable status.
      type: str
    Name:
      description:
        - The same as C(name), spelled as C(docker compose ps --format json) and community.docker's
          C(docker_compose_v2) do. Every entry also has that command's other keys - C(ID), C(Service), C(State),
          C(Status), C(Image), C(Project), C(Command), C(CreatedAt), C(ExitCode), C(Health), C(Labels) (a mapping),
          C(LocalVolumes), C(Mounts), C(Names) and C(Networks) (lists), C(Ports), C(Publishers) (a list of
          C({URL, TargetPort, PublishedPort, Protocol})), C(RunningFor) and C(Size).
      type: str
images:
  description:
    - The images the project's containers run, after the run, as C(docker compose images --format json) shows them
      (community.docker's C(docker_compose_v2) return).
  returned: success
  type: list
  elements: dict
  contains:
    ContainerName:
      description: The container that runs it.
      type: str
    Repository:
      description: The image's repository, as the container names it (C(<none>) for an image given by ID).
      type: str
    Tag:
      description: Its tag.
      type: str
    ID:
      description: The image's ID.
      type: str
    Size:
      description: The image's size in bytes.
      type: int
networks:
  description: Names of the networks the services use.
  returned: success
  type: list
  elements: str
  sample: [shop_default]
volumes:
  description: Names of the named volumes the project declares.
  returned: success
  type: list
  elements: str
  sample: [shop_db-data]
images_built:
  description: Images built (or, in check mode, that would be built) during this run.
  returned: success
  type: list
  elements: str
  sample: [shop-backend]
images_removed:
  description: The images removed (or that would be) with O(remove_images).
  returned: when O(remove_images) is set and O(state=absent)
  type: list
  elements: str
actions:
  description:
    - The equivalent docker CLI commands for what was done (or would be done in check mode).
    - With O(actions_format=compose), community.docker's list of C({what, id, status}) instead.
  returned: always
  type: list
  elements: raw
  sample:
    - docker network create --driver bridge --label com.docker.compose.project=shop ... shop_default
    - docker run --detach --name shop-db-1 ... mariadb:11
diff:
  description:
    - What changed, per network (C(networks.<key>)), volume (C(volumes.<key>)), image (C(images.<service>)) and
      container (C(services.<service>.<container>)).
  returned: always
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._compat import compose, compose_compat_args
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS


def main() -> None:
    module = DockerModule(
        argument_spec=compose_compat_args(COMPOSE_ARGS),
        supports_check_mode=True,
        mutually_exclusive=[("definition", "files")],
    )
    with module.errors():
        result = compose(module, ComposeManager)
    module.exit(**result)


if __name__ == "__main__":
    main()
