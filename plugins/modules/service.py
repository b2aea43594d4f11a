#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: service
short_description: Manage Docker Swarm services, like C(docker service create/update/scale/rm)
version_added: 0.1.0
description:
  - Makes sure a swarm service exists with the given image, command, environment, ports, networks, mounts, replicas,
    placement, resources, restart and update policies and healthcheck, or does not exist. Runs against a manager.
  - Only the options the task gives are compared; an option left out keeps the service's current value.
    When something differs, the service is updated in place (a rolling update of its tasks, following
    O(update_config)); a change of O(replicas) alone is a C(docker service scale).
  - With O(wait=true) (the default) the module waits until the desired number of tasks run and a rolling update has
    completed.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  name:
    description: The service's name.
    type: str
    required: true
  state:
    description: V(present) creates or updates the service; V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  image:
    description:
      - The image of the service's tasks. Required to create a service.
      - The image must be on every node that may run a task, or in a registry they can pull from. Changing it is a
        rolling update.
    type: str
  command:
    description:
      - The arguments of the tasks (C(docker service create IMAGE COMMAND...)), a string or a list.
      - With O(args) (community.docker's pair), this is community.docker's C(command), which replaces the image's
        entrypoint; it is then taken as O(entrypoint), and O(args) are the arguments.
    type: raw
  args:
    description:
      - community.docker's name for the arguments of the tasks (C(docker service create IMAGE COMMAND ARG...)).
      - Given with O(command), O(command) is the entrypoint (as in community.docker); given alone, the same as
        O(command).
    type: list
    elements: str
  entrypoint:
    description: Override the image's entrypoint (C(--entrypoint)), a string or a list.
    type: raw
  env:
    description: Environment variables. When given, the whole set of non-secret variables.
    type: dict
  env_files:
    description:
      - community.docker's env files (C(KEY=VALUE) lines, C(#) comments), read on the managed host in order; O(env)
        wins over them. Together with O(env) they are the whole set of non-secret variables.
    type: list
    elements: path
  secret_env:
    description:
      - Environment variables whose values never appear in the module's output, diff or actions.
      - Swarm keeps them in the service spec, readable with C(docker service inspect) on a manager; use Docker secrets
        for values that must not be stored there.
      - A label on the service holds the names and a hash of the values, so a changed value is a difference.
    type: dict
  ports:
    description:
      - Published ports, as V(PUBLISHED:TARGET[/PROTO]) or V(TARGET) strings (through the routing mesh, C(mode=ingress))
        or as mappings C({published, target, protocol, mode}) with C(mode) V(ingress) or V(host) (published
        on the node that runs the task).
      - When given, the whole set.
    type: list
    elements: raw
  endpoint_mode:
    description:
      - How other tasks find the service by its name (C(--endpoint-mode)) - V(vip), one virtual IP that balances
        over the tasks (IPVS), or V(dnsrr), the name resolves to the addresses of the running tasks themselves
        (no virtual IP; ports can then only be published with C(mode=host)).
      - Left as it is when not given (the engine's default is V(vip)); changed in place.
    type: str
    choices: [vip, dnsrr]
  networks:
    description:
      - Overlay networks the tasks join, by name or as C({name, aliases, options}) (C(options) are the attachment's
        driver options, C(--network name=NET,driver-opt=KEY=VALUE)). A network that is not an overlay network is an
        error. When given, the whole set.
    type: list
    elements: raw
  mounts:
    description:
      - Mounts as mappings C({type, source, target, read_only, ...}) like the container module's O(ignore:mounts),
        or C(-v) style strings V(NAME:/path[:ro]). When given, the whole set.
    type: list
    elements: raw
  mode:
    description:
      - V(replicated) runs O(replicas) tasks; V(global) one task on every node. Fixed once the service exists.
      - The job modes (C(docker service create --mode replicated-job|global-job), Engine 20.10 and later) run their
        tasks to completion (exit code 0) and do not restart them then - V(replicated-job) O(total_completions) tasks,
        at most O(max_concurrent) at a time, V(global-job) one task on every node. With O(wait=true) the module waits
        until the job has completed. A job has no rolling update (O(update_config) and O(rollback_config) are refused);
        a changed spec, or O(force_update=true), runs it again. A new job's O(restart_policy.condition) defaults to
        V(on-failure), as with the CLI.
      - Defaults to V(replicated) for a new service.
    type: str
    choices: [replicated, global, replicated-job, global-job]
  replicas:
    description:
      - Number of tasks of a replicated service (1 for a new one when not given). Not allowed for a global service.
      - For a V(replicated-job), the number of completions (C(--replicas)), the same as O(total_completions).
    type: int
  max_concurrent:
    description:
      - With O(mode=replicated-job), the most tasks that run at the same time (C(--max-concurrent)); a new job defaults
        to its number of completions. Refused with any other mode.
    type: int
  total_completions:
    description:
      - With O(mode=replicated-job), how many tasks must complete (the CLI's C(--replicas) for a job; 1 for a new job).
        Refused with any other mode.
    type: int
  placement:
    description: Where tasks may run.
    type: dict
    suboptions:
      constraints:
        description: Constraints like V(node.role==worker) or V(node.labels.zone==a).
        type: list
        elements: str
      preferences:
        description: Spread preferences, mappings with C(spread) (like V(node.labels.zone)) or such strings.
        type: list
        elements: raw
      max_replicas_per_node:
        description: At most this many tasks on one node (C(--replicas-max-per-node)).
        type: int
        aliases: [replicas_max_per_node, max_replicas]
  resources:
    description:
      - CPU and memory limits and reservations of each task.
      - community.docker's O(limits) and O(reservations) are the same two mappings at the top level.
    type: dict
    suboptions:
      limits:
        description: A mapping with C(cpus) and C(memory), like V(0.5) and V(64m).
        type: dict
      reservations:
        description: A mapping with C(cpus) and C(memory) a node must have free to run a task.
        type: dict
  restart_policy:
    description: When the swarm restarts a task.
    type: dict
    aliases: [restart_config]
    suboptions:
      condition:
        description: V(none), V(on-failure) or V(any).
        type: str
      delay:
        description: Time between restarts, like V(5s).
        type: str
      max_attempts:
        description: Restarts before giving up (0 = no limit).
        type: int
      window:
        description: Time window used to decide whether a restart succeeded.
        type: str
  update_config:
    description: How a rolling update replaces tasks.
    type: dict
    suboptions:
      parallelism:
        description: Tasks updated at a time (0 = all at once).
        type: int
      delay:
        description: Time between updating batches, like V(10s).
        type: str
      order:
        description: V(stop-first) or V(start-first).
        type: str
      failure_action:
        description: V(pause), V(continue) or V(rollback) when a task fails to update.
        type: str
      monitor:
        description: Time to watch each task for failure after its update.
        type: str
      max_failure_ratio:
        description: Failure rate tolerated during an update, 0 to 1.
        type: float
  healthcheck:
    description:
      - The tasks' healthcheck, with C(test), C(interval), C(timeout), C(retries), C(start_period), or C(disable=true), as in the
        container module.
    type: dict
  labels:
    description: Labels of the service. When given, the whole set.
    type: dict
  container_labels:
    description: Labels of the tasks' containers. When given, the whole set.
    type: dict
  user:
    description: User the tasks run as.
    type: str
  working_dir:
    description: Working directory of the tasks.
    type: str
  hostname:
    description: Hostname of the tasks' containers (may use Go templates like V({{.Task.Slot}})).
    type: str
  stop_grace_period:
    description: Time to wait before killing a task, like V(10s).
    type: str
  limits:
    description: community.docker's name for O(resources.limits) (C(cpus), C(memory)).
    type: dict
  reservations:
    description: community.docker's name for O(resources.reservations) (C(cpus), C(memory)).
    type: dict
  publish:
    description:
      - community.docker's name for O(ports), with mappings C({published_port, target_port, protocol, mode}) (or this
        module's C(published)/C(target)); C(mode) V(ingress) (the routing mesh) or V(host).
    type: list
    elements: raw
  secrets:
    description:
      - Docker secrets the tasks read as files (C(--secret)), by name or ID, as strings (the name, as a file of the same
        name under C(/run/secrets)) or mappings with C(secret_name) or C(secret_id), C(filename) (relative to
        C(/run/secrets), or absolute), C(uid), C(gid) (default V(0)) and C(mode) (octal, default V(0444)).
      - Each must exist on the manager (M(devops.docker.secret) makes them); a rolling version C(NAME_vN) is given by
        its full name, for example the RV(devops.docker.secret#module:secret_name) the secret task returned. Pointing
        the service at a new version is a rolling update.
      - When given, the whole set; compared by ID, name and file.
    type: list
    elements: raw
  configs:
    description:
      - Docker configs mounted as files in the tasks (C(--config)), like O(secrets), with C(config_name) or C(config_id),
        C(filename) (default C(/NAME); a relative name is taken from C(/)), C(uid), C(gid) and C(mode).
    type: list
    elements: raw
  logging:
    description: The tasks' logging driver (C(--log-driver), C(--log-opt)).
    type: dict
    suboptions:
      driver:
        description: The driver, like V(json-file), V(local), V(journald).
        type: str
      options:
        description: "The driver's options, like C({max-size: 10m})."
        type: dict
  log_driver:
    description: community.docker's name for O(logging.driver).
    type: str
  log_driver_options:
    description: community.docker's name for O(logging.options).
    type: dict
  rollback_config:
    description:
      - How the swarm rolls a failed update back (C(--rollback-*)), used when O(update_config.failure_action=rollback)
        or on C(docker service rollback).
      - With O(wait=true), an update that the swarm rolled back fails the task with a message that says so; the service
        then runs its previous spec.
    type: dict
    suboptions:
      parallelism:
        description: Tasks rolled back at a time (0 = all at once).
        type: int
      delay:
        description: Time between batches, like V(5s).
        type: str
      order:
        description: V(stop-first) or V(start-first).
        type: str
      failure_action:
        description: V(pause) or V(continue) when a task fails to roll back.
        type: str
      monitor:
        description: Time to watch each task after its rollback.
        type: str
      max_failure_ratio:
        description: Failure rate tolerated during a rollback, 0 to 1.
        type: float
  cap_add:
    description: Kernel capabilities added to the tasks (C(--cap-add)), like V(NET_ADMIN). When given, the whole set.
    type: list
    elements: str
  cap_drop:
    description: Kernel capabilities dropped (C(--cap-drop)). When given, the whole set.
    type: list
    elements: str
  dns:
    description: DNS servers of the tasks (C(--dns)).
    type: list
    elements: str
  dns_search:
    description: DNS search domains (C(--dns-search)).
    type: list
    elements: str
  dns_options:
    description: DNS resolver options (C(--dns-option)), like V(ndots:2).
    type: list
    elements: str
  hosts:
    description: "Extra C(/etc/hosts) entries (C(--host)), a mapping C({HOSTNAME: IP}) or a list of V(HOSTNAME:IP)."
    type: raw
  init:
    description: Run an init process as PID 1 in each task (C(--init)).
    type: bool
  read_only:
    description: Mount the tasks' root filesystem read-only (C(--read-only)).
    type: bool
  tty:
    description: Allocate a TTY (C(--tty)).
    type: bool
  stop_signal:
    description: The signal that stops a task (C(--stop-signal)), like V(SIGINT).
    type: str
  sysctls:
    description: "Namespaced kernel parameters (C(--sysctl)), like C({net.core.somaxconn: 1024})."
    type: dict
  groups:
    description: Additional groups the tasks' user belongs to (C(--group)).
    type: list
    elements: str
  credential_spec:
    description:
      - The credential spec of a Windows group Managed Service Account (C(--credential-spec)), exactly one of C(file),
        C(registry) or C(config) (a Docker config's name or ID).
      - A Windows-only feature - when no node of the swarm runs Windows the task fails with a message that says so and
        nothing is changed (Docker on Linux cannot start a task with one).
    type: dict
    suboptions:
      file:
        description: A file in the CredentialSpecs folder of the Windows nodes' Docker data root.
        type: str
      registry:
        description: A value name under the nodes' registry key of credential specs.
        type: str
      config:
        description: A Docker config that holds the credential spec.
        type: str
  resolve_image:
    description:
      - Pin the image's digest in the service spec, so every node runs the same image
        (C(docker stack deploy --resolve-image), C(docker service create) does it by default). The digest is the one
        the image's registry has for the tag (asked through the daemon, with the credentials M(devops.docker.login)
        stored), else the one of a local image pulled or pushed under that name.
      - V(always) resolves on every run; a tag that now points to another digest is a change (an update that pulls the new
        image). V(changed) resolves only when the service is created or its image name or tag changes. V(never) (the
        default) sends the tag only, and the comparison ignores a digest the service already has.
      - When no digest can be found the service gets the tag only, with a warning that says why.
      - community.docker's boolean is taken too - V(true) is V(always), V(false) V(never).
    type: raw
  with_registry_auth:
    description:
      - Send the registry credentials stored by M(devops.docker.login) (or C(docker login)) for the image's registry
        with the create or update (C(--with-registry-auth)), so the nodes can pull from a registry that needs a
        login. The credentials are read from C(~/.docker/config.json) (or E(DOCKER_CONFIG)) on the host the module
        runs on; they never appear in the output.
      - Swarm keeps them with the service; an update without this option keeps the ones the service has.
    type: bool
    default: false
  force_update:
    description: Replace every task even when nothing changed (C(docker service update --force)); always a change.
    type: bool
    default: false
  wait:
    description: Wait until the desired number of tasks run and a rolling update has completed (or, with O(state=absent),
      until the service's containers are gone).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait with O(wait=true) before failing with the tasks' errors.
    type: int
    default: 120
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions); C(secret_env) values are never shown.
seealso:
  - module: devops.docker.swarm
  - module: devops.docker.network
  - module: devops.docker.stack
"""

EXAMPLES = r"""
- name: An overlay network for the service
  devops.docker.network:
    name: web-net
    driver: overlay
    attachable: true

- name: A web service with three replicas on the overlay network
  devops.docker.service:
    name: web
    image: devops-test/busybox:latest
    command: [httpd, -f, -p, "8080"]
    replicas: 3
    networks: [web-net]
    ports: ["18080:8080"]
    env:
      MODE: production
    secret_env:
      API_TOKEN: "{{ vault_api_token }}"
    resources:
      limits: {cpus: 0.5, memory: 64m}
    restart_policy: {condition: any, delay: 5s}
    update_config: {parallelism: 1, delay: 2s, order: start-first, failure_action: rollback}
    placement:
      constraints: [node.role==worker]

- name: Scale it
  devops.docker.service:
    name: web
    replicas: 5

- name: Remove it
  devops.docker.service:
    name: web
    state: absent

- name: A one-off job - 4 tasks that must exit 0, two at a time
  devops.docker.service:
    name: db-migrate
    image: devops-test/busybox:latest
    command: [sh, -c, "echo migrated"]
    mode: replicated-job
    total_completions: 4
    max_concurrent: 2
"""

RETURN = r"""
service:
  description:
    - The service as C(docker service inspect) shows it, after the change (in check mode, before); C(secret_env) values
      redacted. C(null) when it does not exist.
  returned: always
  type: dict
tasks:
  description:
    - The service's tasks that should run (a job's tasks that should complete), each with C(ID), C(NodeID), C(Slot), C(State), C(DesiredState), C(Err),
      C(ContainerID), C(Image) and C(Addresses) (overlay IPs).
  returned: when O(state=present)
  type: list
  elements: dict
actions:
  description: The C(docker service create), C(update), C(scale) and C(rm) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker service scale web=5
diff:
  description: The options that differ, before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._service import ServiceManager
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_options import SERVICE_ARGS, SERVICE_MUTUALLY_EXCLUSIVE


def main() -> None:
    module = DockerModule(argument_spec=SERVICE_ARGS, supports_check_mode=True, mutually_exclusive=SERVICE_MUTUALLY_EXCLUSIVE)
    module.manage(ServiceManager, keep_diff=False)


if __name__ == "__main__":
    main()
