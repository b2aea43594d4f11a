#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: container
short_description: Create, run, pause, stop and remove Docker containers idempotently
version_added: 0.1.0
description:
  - Manages one container through its whole lifecycle, like C(docker container create), C(start), C(run),
    C(pause), C(unpause), C(stop), C(restart) and C(rm).
  - The options follow the C(docker run) command line (C(-p), C(-v), C(-e), C(--link), C(--network), ...).
  - The container's configuration is compared with the task merged over the image's own configuration, so
    values that come from the image (its ENV, LABEL, EXPOSE, CMD, ENTRYPOINT, WORKDIR, USER, HEALTHCHECK,
    VOLUME) never cause a new container, and a value that is in the container but neither in the image nor in
    the task (an env var, label, port, volume removed from the task) does.
  - A new image behind the same tag (rebuilt or re-pulled) recreates the container.
  - The restart policy, O(memory) and O(cpus) are changed in place (C(docker container update)) and networks
    are connected and disconnected in place (C(docker network connect/disconnect)); every other change
    replaces the container. The old container is kept until the new one has been created.
  - A container created outside Ansible with the same configuration is adopted as it is.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  name:
    description: The container's name (C(--name)).
    type: str
    required: true
  state:
    description:
      - V(present) the container exists (C(docker container create)); a running container is left running.
      - V(started) it runs (created or started or unpaused as needed, like C(docker run -d)).
      - V(stopped) it exists and does not run (C(docker container stop)).
      - V(paused) it runs paused (C(docker container pause)). Only a running container can be paused; an
        existing container that is not running is an error.
      - V(healthy) it runs and its healthcheck reports healthy within O(wait_timeout) seconds.
      - V(absent) it is removed, after a graceful C(docker container stop) (see O(stop_timeout)) when it runs. Volumes stay.
    type: str
    default: started
    choices: [present, started, stopped, paused, absent, healthy]
  image:
    description:
      - The image to run, like V(busybox:latest) or V(localhost:5001/app:1.0) (tag V(latest) when none is given).
      - Required to create a container. When it is not set and the container exists, its current image is kept.
      - A container of the same name whose image is of another repository is an error unless O(recreate=true).
    type: str
  pull:
    description:
      - V(missing) pulls the image only when the Docker host does not have it.
      - V(always) pulls on every run; the container is recreated only when that brings a new image. Check mode
        does not contact the registry, so it cannot predict a newer image there.
      - V(never) never pulls; a missing image is an error (build it with M(devops.docker.image)).
      - Credentials stored by C(docker login) or M(devops.docker.login) in C(~/.docker/config.json) are used.
    type: str
    default: missing
    choices: [missing, always, never]
  command:
    description:
      - The command (arguments after the image in C(docker run)); a string is split like a shell does, a list is
        taken as it is. Not set - the image's CMD.
    type: raw
  entrypoint:
    description: Overrides the image's ENTRYPOINT (C(--entrypoint)); a string is split like a shell does.
    type: raw
  env:
    description:
      - Environment variables (C(-e KEY=VALUE)), added to the image's ENV. Values must be strings; quote YAML
        booleans and numbers you want kept as written.
    type: dict
  secret_env:
    description:
      - Environment variables whose values are secret. They reach the container like O(env), but their values
        never appear in the result, the diff, the actions or the log.
      - A changed value is noticed through a hash kept in the label C(devops.docker.secret-env-hash) and
        recreates the container.
    type: dict
  env_file:
    description:
      - A file of C(KEY=VALUE) lines on the Docker host (C(--env-file)). O(env) wins over it.
    type: path
  ports:
    description:
      - Published ports in the C(-p) syntax C([IP:][HOST:]CONTAINER[/PROTO]), like V(8080:80),
        V(127.0.0.1:5001:5000), V(53:53/udp), V([::1]:8080:80), V(127.0.0.1::80) (random host port) or ranges
        V(8000-8009:80-89).
      - Removing a port from the list recreates the container without it.
    type: list
    elements: raw
  exposed_ports:
    description:
      - Container ports to expose without publishing them (C(--expose)), like V(8080), V(53/udp) or a range
        V(8000-8009); the ports of O(ports) and the image's EXPOSE are exposed anyway.
      - Removing a port from the list recreates the container without it (the image's own stay).
    type: list
    elements: str
    aliases: [expose]
  publish_all:
    description: Publish every exposed port on a random host port (C(--publish-all)).
    type: bool
    default: false
  volumes:
    description:
      - Volumes in the C(-v) syntax C(SOURCE:TARGET[:MODE]); SOURCE is a volume name (V(data:/var/lib/data)) or a
        host path (V(/srv/www:/www:ro)); a relative path (V(./site:/www)) is resolved against the working directory
        of the module on the Docker host. V(/data) alone is an anonymous volume.
      - MODE is V(ro) or V(rw) (default), optionally with V(z), V(Z), V(nocopy) or a propagation like V(rshared).
    type: list
    elements: str
  mounts:
    description: Mounts in the long form (C(--mount)).
    type: list
    elements: dict
    suboptions:
      type:
        description: The kind of mount.
        type: str
        choices: [bind, volume, tmpfs]
        default: volume
      source:
        description: Host path (bind) or volume name (volume; empty for an anonymous volume). None for tmpfs.
        type: str
      target:
        description: The absolute path inside the container.
        type: str
        required: true
      read_only:
        description: Mount read-only.
        type: bool
        default: false
      consistency:
        description: Consistency requirement (for Docker Desktop).
        type: str
        choices: [default, consistent, cached, delegated]
      propagation:
        description: Bind propagation.
        type: str
        choices: [private, rprivate, shared, rshared, slave, rslave]
      no_copy:
        description: Do not copy the image's content at the target into a new volume.
        type: bool
        default: false
      volume_driver:
        description: Driver used to create the volume.
        type: str
      volume_options:
        description: Options of that driver.
        type: dict
      labels:
        description: Labels of a volume created by this mount.
        type: dict
      tmpfs_size:
        description: Size of a tmpfs mount, like V(64m).
        type: str
      tmpfs_mode:
        description: Octal file mode of a tmpfs mount, like V(1777).
        type: str
  tmpfs:
    description: tmpfs mounts as C(PATH[:OPTIONS]) (C(--tmpfs)), like V(/run:size=64m,mode=1777).
    type: list
    elements: str
  network_mode:
    description:
      - C(--network) at creation time - V(bridge) (the default), V(host), V(none), V(container:NAME), or the
        name of a network. Not set and O(networks) given - the first of O(networks).
      - Changing it recreates the container.
    type: str
  networks:
    description:
      - The networks the container is connected to, besides the one of O(network_mode). The container ends up
        connected to exactly these (unless O(networks_exclusive=false)); a network removed from the list is
        disconnected, all without a recreate.
      - The networks must exist (M(devops.docker.network)).
    type: list
    elements: dict
    suboptions:
      name:
        description: The network's name.
        type: str
        required: true
      aliases:
        description: Extra DNS names of the container on this network (C(--network-alias)).
        type: list
        elements: str
      ipv4_address:
        description: A fixed IPv4 address (C(--ip)); the network needs a subnet of its own.
        type: str
      links:
        description: Links as C(CONTAINER[:ALIAS]) on this network.
        type: list
        elements: str
  keep_volumes:
    description:
      - With O(state=absent), whether the container's anonymous volumes (the ones its image declares with
        C(VOLUME) and no name was given for) stay. V(false) removes them with the container, like C(docker rm -v);
        named volumes and bind mounts always stay.
    type: bool
    default: true
  networks_exclusive:
    description:
      - With V(true), the container ends up connected to exactly O(networks) and the network of O(network_mode);
        a connection that is not listed is disconnected.
      - With V(false), connections the task does not list are left alone, such as the ones
        M(devops.docker.network) makes with its C(connected) option; the listed networks are still connected and
        kept in line (aliases, address).
    type: bool
    default: true
  links:
    description: Legacy links as C(CONTAINER[:ALIAS]) (C(--link)); only on the default bridge network.
    type: list
    elements: str
  restart_policy:
    description:
      - V(no), V(always), V(unless-stopped) or V(on-failure) with an optional count V(on-failure:5)
        (C(--restart)). Changed in place. Not set means V(no).
    type: str
  restart_retries:
    description: The count of V(on-failure) as a separate option.
    type: int
  labels:
    description:
      - Labels (C(--label)), added to the image's. A label removed from the task recreates the container without
        it.
    type: dict
  healthcheck:
    description: The healthcheck; values not given come from the image's HEALTHCHECK.
    type: dict
    suboptions:
      test:
        description:
          - A shell command string (run with C(CMD-SHELL)) or a list (V([CMD, wget, -q, http://localhost/]); a list
            not starting with C(CMD) or C(CMD-SHELL) gets C(CMD) in front).
        type: raw
      interval:
        description: Time between checks, like V(30s) or V(1m30s).
        type: str
      timeout:
        description: Time a check may take.
        type: str
      retries:
        description: Consecutive failures that make the container unhealthy.
        type: int
      start_period:
        description: Grace period after start during which failures do not count.
        type: str
      disable:
        description: Disable the image's healthcheck (C(--no-healthcheck)).
        type: bool
        default: false
  user:
    description: User (and group) to run as, like V(1000:1000) (C(--user)). Not set - the image's USER.
    type: str
  working_dir:
    description: Working directory inside the container (C(--workdir)). Not set - the image's WORKDIR.
    type: str
  hostname:
    description: The container's hostname (C(--hostname)). Not set - its short ID.
    type: str
  memory:
    description: Memory limit like V(256m) or V(1g) (C(--memory)). Changed in place; removing it recreates.
    type: str
  cpus:
    description: CPU limit as a number of CPUs like V(0.5) (C(--cpus)). Changed in place; removing it recreates.
    type: float
  log_driver:
    description: Logging driver like V(json-file), V(local) or V(none) (C(--log-driver)). Not set - the daemon's.
    type: str
  log_options:
    description: Options of the logging driver, like C(max-size=10m) (C(--log-opt)).
    type: dict
  auto_remove:
    description: Remove the container when it exits (C(--rm)).
    type: bool
    default: false
  detach:
    description:
      - V(false) runs the container to completion like C(docker run) without C(-d), waiting at most
        O(wait_timeout) seconds, and returns RV(rc) and RV(output); a non-zero exit code fails the task.
      - A container that already ran with the same configuration is not run again; its exit code and logs are
        returned. Needs O(state=started).
    type: bool
    default: true
  interactive:
    description: Keep STDIN open (C(--interactive)).
    type: bool
    default: false
  tty:
    description: Allocate a pseudo-TTY (C(--tty)).
    type: bool
    default: false
  init:
    description: Run an init process as PID 1 (C(--init)).
    type: bool
    default: false
  privileged:
    description: Give the container every capability and device (C(--privileged)).
    type: bool
    default: false
  cap_add:
    description: Capabilities to add, like V(NET_ADMIN) (C(--cap-add)).
    type: list
    elements: str
  cap_drop:
    description: Capabilities to drop, like V(ALL) (C(--cap-drop)).
    type: list
    elements: str
  read_only:
    description: Mount the root filesystem read-only (C(--read-only)).
    type: bool
    default: false
  stop_signal:
    description: Signal that stops the container, like V(SIGTERM) (C(--stop-signal)). Not set - the image's.
    type: str
  stop_timeout:
    description: Seconds to wait after the stop signal before killing (C(--stop-timeout)).
    type: int
  wait_timeout:
    description: Seconds to wait for O(state=healthy) and for a container run with O(detach=false).
    type: int
    default: 60
  max_port_range:
    description:
      - The most ports one entry of O(ports) or O(exposed_ports) may publish (a range like C(8000-8999) counts each
        port). Each published port costs the engine a proxy process and firewall rules, so C(1-65535:1-65535) is
        refused before anything changes.
      - Raise it (up to V(65535)) when a container really needs more.
    type: int
    default: 1000
  restart:
    description: Restart a running container (C(docker container restart)). Reports a change every time.
    type: bool
    default: false
  recreate:
    description:
      - Replace the container with a new one even when nothing changed. Also allows replacing a container whose
        image is of another repository.
    type: bool
    default: false
  extra_hosts:
    description: Extra C(/etc/hosts) entries, as a mapping of host to IP or a list of C(host:ip) (C(--add-host)).
    type: raw
  dns:
    description: DNS servers (C(--dns)).
    type: list
    elements: str
  dns_search:
    description: DNS search domains (C(--dns-search)).
    type: list
    elements: str
  shm_size:
    description: Size of C(/dev/shm), like V(128m) (C(--shm-size)). Not set - 64m.
    type: str
  sysctls:
    description: Namespaced kernel parameters (C(--sysctl)).
    type: dict
  ulimits:
    description: Limits as C(NAME=SOFT[:HARD]), like V(nofile=1024:2048) (C(--ulimit)).
    type: list
    elements: str
  devices:
    description: Host devices as C(HOST[:CONTAINER[:PERMISSIONS]]) (C(--device)).
    type: list
    elements: str
  pid_mode:
    description: PID namespace, like V(host) or V(container:NAME) (C(--pid)).
    type: str
  ipc_mode:
    description: IPC namespace, like V(host), V(private) or V(shareable) (C(--ipc)).
    type: str
notes:
  - Check mode predicts exactly what a real run does and touches nothing (no pull, no create).
  - The RV(actions) are the equivalent docker CLI commands; C(secret_env) shows there as C(-e NAME) only.
seealso:
  - module: devops.docker.container_info
  - module: devops.docker.container_exec
  - module: devops.docker.image
author:
  - devops.docker team (@devops-docker)
"""

EXAMPLES = r"""
- name: Run a web server published on the loopback interface
  devops.docker.container:
    name: web
    image: devops-test/busybox:latest
    command: httpd -f -p 8080 -h /www
    ports:
      - 127.0.0.1:8080:8080
    volumes:
      - ./site:/www:ro
    restart_policy: unless-stopped

- name: Run a database with its data in a named volume and a secret password
  devops.docker.container:
    name: my-mariadb
    image: localhost:5001/mariadb:11
    networks:
      - name: my-network
        aliases: [db]
    volumes:
      - mariadb-data:/var/lib/mysql
    env:
      MARIADB_DATABASE: catalog
    secret_env:
      MARIADB_ROOT_PASSWORD: "{{ vault_db_password }}"
    healthcheck:
      test: healthcheck.sh --connect
      interval: 5s
    state: healthy
    wait_timeout: 120

- name: Run a one-off command to completion and show its output
  devops.docker.container:
    name: migrate
    image: localhost:5001/app:1.0
    command: [app, migrate]
    detach: false
    auto_remove: true
  register: migrate

- name: Show the output of the migration
  ansible.builtin.debug:
    var: migrate.output

- name: Pause, then stop the web server
  devops.docker.container:
    name: web
    state: "{{ item }}"
  loop: [paused, stopped]

- name: Remove the web server
  devops.docker.container:
    name: web
    state: absent
"""

RETURN = r"""
container:
  description:
    - The container as C(docker container inspect) shows it after the run (before it, in check mode), with the
      values of O(secret_env) replaced by C(********). Empty when the container is absent.
  returned: always
  type: dict
  sample: {"Id": "4c2b...", "Name": "/web", "State": {"Status": "running"}, "Config": {"Image": "busybox"}}
actions:
  description: The docker CLI commands equivalent to what was done (or would be done, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["docker container create --name web -p 127.0.0.1:8080:8080 busybox", "docker container start web"]
diff:
  description: Each option that differs, before and after (secrets redacted); C(state) for lifecycle changes.
  returned: always
  type: dict
  contains:
    before:
      description: The values before.
      type: dict
    after:
      description: The values after.
      type: dict
rc:
  description: The exit code of a container run with O(detach=false).
  returned: when O(detach=false) and the container ran
  type: int
  sample: 0
output:
  description: The output (stdout and stderr) of a container run with O(detach=false).
  returned: when O(detach=false) and the container ran
  type: str
  sample: "hello\n"
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._container._desired_compat import community_params
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
from ansible_collections.devops.docker.plugins.module_utils._container._table import container_argument_spec


def main() -> None:
    module = DockerModule(argument_spec=container_argument_spec(), supports_check_mode=True)
    with module.errors(changed=False):
        # community.docker's behaviour options (pull: true, paused, container_default_behavior...) in our terms
        params = community_params(module.params)
        manager = ContainerManager(module.api, params, module.check_mode, warn=module.warn)
        result = manager.run()
    module.exit(**result)


if __name__ == "__main__":
    main()
