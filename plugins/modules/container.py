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
  - 'The restart policy and the resource limits (O(memory), O(cpus), O(cpu_shares), O(cpu_period), O(cpu_quota),
    O(cpuset_cpus), O(cpuset_mems), O(memory_reservation), O(memory_swap), O(blkio_weight), O(pids_limit)) are
    changed in place (C(docker container update), same container ID) and networks are connected and
    disconnected in place (C(docker network connect/disconnect)); every other change replaces the container.
    The old container is kept until the new one runs: the new one is created as C(<name>-dt-new-<old id>),
    the old one is stopped (killed with O(force_kill)) only right before the new one starts (they may publish
    the same host ports), and removed once the new one runs (and, with O(state=healthy), is healthy); then the
    new one takes the name.
    When any step fails, the new container is removed and the old one started again - the same container, same
    ID - and the error says what was rolled back.'
  - Every option is checked before the first change (see C(docs/reliability.md)) - names against the daemon's
    rules, env names without C(=) and values without NUL, integers within what the Engine stores, at most
    O(max_port_range) ports per O(ports) entry.
  - B(What a task manages.) A task that gives O(image) describes the whole container - an option it leaves
    out is compared with its default (the image's value, or Docker's), so a port, env var, label or volume
    removed from the task is removed from the container. A task without O(image) (O(name) and O(state), or
    O(name) and O(networks)) manages only the options it names - C(name) with C(state=started) starts an
    existing container and never recreates it.
  - B(community.docker.) Every option and alias of community.docker's C(docker_container) is accepted with
    the same meaning (C(devops.docker.docker_container) is this module). Where the behaviour differs on
    purpose, the option that restores community.docker's is named in its description and in
    C(docs/migrating.md) - mostly O(container_default_behavior) (options a task leaves out are not managed)
    and O(comparisons) (V(allow_more_present) for lists and mappings).
  - A container created outside Ansible with the same configuration is adopted as it is.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.container_compat
  - devops.docker.container_resources
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
      - Also community.docker's V(true) (same as V(always)) and V(false) (same as V(missing)).
      - V(missing) pulls the image only when the Docker host does not have it.
      - V(always) pulls on every run; the container is recreated only when that brings a new image. Check mode
        does not contact the registry, so it cannot predict a newer image there.
      - V(never) never pulls; a missing image is an error (build it with M(devops.docker.image)).
      - Credentials stored by C(docker login) or M(devops.docker.login) in C(~/.docker/config.json) are used.
    type: raw
    default: missing
    choices: [missing, always, never, true, false]
  command:
    description:
      - The command (arguments after the image in C(docker run)); a string is split like a shell does, a list is
        taken as it is. Not set - the image's CMD.
      - An empty one (V([]) or V("")) is sent as such, as community.docker does; the Engine then runs the image's CMD
        unless the container has an entrypoint of its own (not the image's), so with the image's ENTRYPOINT it changes
        nothing. With O(command_handling=compatibility) it is not given.
    type: raw
  entrypoint:
    description:
      - Overrides the image's ENTRYPOINT (C(--entrypoint)); a string is split like a shell does.
      - An empty one (V([]), V(""), or V([""]) as C(docker run --entrypoint "") sends it) clears the image's
        ENTRYPOINT, as with community.docker; without O(command) the image's CMD then runs on its own.
        With O(command_handling=compatibility) it is not given.
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
      - A host range for one container port, like V(127.0.0.1:8000-8010:80), lets the Engine bind a free port of the
        range (C(docker port) shows which); the container keeps the range, and it is compared as written.
      - Removing a port from the list recreates the container without it.
      - community.docker's name O(ports) is also the name here; O(published_ports) is its alias.
    type: list
    elements: raw
    aliases: [published_ports]
  exposed_ports:
    description:
      - Container ports to expose without publishing them (C(--expose)), like V(8080), V(53/udp) or a range
        V(8000-8009); the ports of O(ports) and the image's EXPOSE are exposed anyway.
      - Removing a port from the list recreates the container without it (the image's own stay).
    type: list
    elements: str
    aliases: [exposed, expose]
  publish_all:
    description:
      - Publish every exposed port on a random host port (C(--publish-all)); the bindings of O(ports) stay.
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
    aliases: [publish_all_ports]
  volumes:
    description:
      - Volumes in the C(-v) syntax C(SOURCE:TARGET[:MODE]); SOURCE is a volume name (V(data:/var/lib/data)) or a
        host path (V(/srv/www:/www:ro)); a relative path (V(./site:/www)) is resolved against the working directory
        of the module on the Docker host. V(/data) alone is an anonymous volume.
      - MODE is V(ro) or V(rw) (default), optionally with V(z), V(Z), V(nocopy) or a propagation like V(rshared).
    type: list
    elements: str
  mounts:
    description:
      - Mounts in the long form (C(--mount)). Options that need a newer Engine API than the daemon's fail with the
        version they need, only when used.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - The kind of mount. V(npipe) is for Docker on Windows; V(cluster) needs API 1.42, V(image) API 1.47.
        type: str
        choices: [bind, volume, tmpfs, npipe, cluster, image]
        default: volume
      source:
        description:
          - Host path (bind) or volume name (volume; empty for an anonymous volume); the image for V(image). None for
            tmpfs.
        type: str
      target:
        description: The absolute path inside the container.
        type: str
        required: true
      read_only:
        description: Mount read-only.
        type: bool
      consistency:
        description: Consistency requirement (for Docker Desktop).
        type: str
        choices: [default, consistent, cached, delegated]
      propagation:
        description: Bind propagation (bind only).
        type: str
        choices: [private, rprivate, shared, rshared, slave, rslave]
      no_copy:
        description: Do not copy the image's content at the target into a new volume (volume only).
        type: bool
      create_mountpoint:
        description: Create the host path when it is missing (bind only; API 1.42).
        type: bool
      non_recursive:
        description: Do not bind-mount the mounts below the source (bind only).
        type: bool
      read_only_non_recursive:
        description: Make the mount read-only, but not the mounts below it (bind only; API 1.44).
        type: bool
      read_only_force_recursive:
        description: Fail when the mount cannot be made read-only recursively (bind only; API 1.44).
        type: bool
      subpath:
        description: A relative path inside the volume or image to mount instead of its root (API 1.45).
        type: str
      volume_driver:
        description: Driver used to create the volume (volume only).
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
      tmpfs_options:
        description:
          - "Options of the tmpfs mount, each a mapping of one key to a value or V(null) for a flag, like
            V([{exec: null}]) (API 1.46)."
        type: list
        elements: dict
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
        connected to exactly these (unless O(networks_exclusive=false), or a task without O(image)); a network
        removed from the list is disconnected, all without a recreate.
      - The networks must exist (M(devops.docker.network)).
      - A task without O(image) and without O(networks) that sets V(strict) for C(networks) in O(comparisons)
        disconnects the container from every network (community.docker's example "Remove container from all
        networks").
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
      ipv6_address:
        description: A fixed IPv6 address (C(--ip6)); the network needs IPv6 and a subnet of its own.
        type: str
      link_local_ips:
        description: Link-local addresses of the endpoint (C(--link-local-ip)), such as V(169.254.10.5).
        type: list
        elements: str
      links:
        description: Links as C(CONTAINER[:ALIAS]) on this network.
        type: list
        elements: str
      mac_address:
        description: The endpoint's MAC address (API 1.44).
        type: str
      driver_opts:
        description: Driver options of the endpoint, like C(com.docker.network.endpoint.ifname).
        type: dict
      gw_priority:
        description: Which network's gateway is the default one (the highest wins; API 1.48).
        type: int
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
      - Not given, V(true) for a task that gives O(image), and V(false) for one that does not (O(name) and
        O(networks) add networks to the existing container, as community.docker does) unless O(comparisons) sets
        C(networks) to V(strict).
    type: bool
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
            not starting with C(CMD) or C(CMD-SHELL) gets C(CMD) in front). V([NONE]) disables the healthcheck.
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
      start_interval:
        description: Time between checks during the start period (API 1.44, Docker Engine 25).
        type: str
      test_cli_compatible:
        description:
          - Not set or V(true) - a healthcheck without O(healthcheck.test) keeps the image's test and overrides only
            the values given, as the Docker CLI does.
          - V(false) - community.docker's classic behaviour, a healthcheck without O(healthcheck.test) disables the
            healthcheck.
        type: bool
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
    aliases: [log_opt]
  auto_remove:
    description:
      - Remove the container when it exits (C(--rm)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
  detach:
    description:
      - V(false) runs the container to completion like C(docker run) without C(-d), waiting at most
        O(wait_timeout) seconds, and returns RV(rc) and RV(output); a non-zero exit code fails the task.
      - A container that already ran with the same configuration is not run again; its exit code and logs are
        returned. Needs O(state=started).
    type: bool
    default: true
  interactive:
    description:
      - Keep STDIN open (C(--interactive)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
  tty:
    description:
      - Allocate a pseudo-TTY (C(--tty)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
  init:
    description:
      - Run an init process as PID 1 (C(--init)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
  privileged:
    description:
      - Give the container every capability and device (C(--privileged)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
  cap_add:
    description: Capabilities to add, like V(NET_ADMIN) or V(sys_time) (C(--cap-add)); the order does not matter.
    type: list
    elements: str
    aliases: [capabilities]
  cap_drop:
    description: Capabilities to drop, like V(ALL) (C(--cap-drop)).
    type: list
    elements: str
  read_only:
    description:
      - Mount the root filesystem read-only (C(--read-only)).
      - Not set - V(false) when the task gives O(image), else left as it is.
    type: bool
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
    description:
      - Extra C(/etc/hosts) entries, as a mapping of host to IP or a list of C(host:ip) (C(--add-host)).
        V(host-gateway) as the IP is the host's gateway.
    type: raw
    aliases: [etc_hosts]
  dns:
    description: DNS servers (C(--dns)). Compared in any order.
    type: list
    elements: str
    aliases: [dns_servers]
  dns_search:
    description: DNS search domains (C(--dns-search)). Compared in any order.
    type: list
    elements: str
    aliases: [dns_search_domains]
  shm_size:
    description: Size of C(/dev/shm), like V(128m) (C(--shm-size)). Not set - 64m.
    type: str
  sysctls:
    description: Namespaced kernel parameters (C(--sysctl)).
    type: dict
  ulimits:
    description:
      - Limits as C(NAME=SOFT[:HARD]), like V(nofile=1024:2048) (C(--ulimit)), or community.docker's
        C(NAME:SOFT[:HARD]), like V(nofile:1024:2048).
    type: list
    elements: str
  devices:
    description: Host devices as C(HOST[:CONTAINER[:PERMISSIONS]]) (C(--device)). Compared in any order.
    type: list
    elements: str
  pid_mode:
    description:
      - PID namespace, like V(host) or V(container:NAME) (C(--pid)). V(container:NAME) and V(container:ID) of the
        same container are the same.
    type: str
  ipc_mode:
    description:
      - IPC namespace, like V(host), V(private), V(shareable) or V(container:NAME) (C(--ipc)). V(container:NAME) and
        V(container:ID) of the same container are the same.
    type: str
  storage_opts:
    description: Storage driver options like C(size=10G) (C(--storage-opt)); overlay2 needs an XFS with pquota.
    type: dict
  groups:
    description: Extra groups (names or IDs) of the container's process (C(--group-add)). Compared in any order.
    type: list
    elements: str
  security_opts:
    description: Security options like V(no-new-privileges) or V(seccomp=unconfined) (C(--security-opt)).
    type: list
    elements: str
  dns_opts:
    description: DNS resolver options like V(ndots:2) (C(--dns-option)). Compared in any order.
    type: list
    elements: str
  volumes_from:
    description: Containers whose volumes to mount, as C(NAME[:ro|rw]) (C(--volumes-from)).
    type: list
    elements: str
  userns_mode:
    description: User namespace mode, V(host) or V("") (C(--userns)).
    type: str
  uts:
    description: UTS namespace mode, V(host) (C(--uts)).
    type: str
  cgroupns_mode:
    description: Cgroup namespace mode (C(--cgroupns)). Not set - the daemon's default.
    type: str
    choices: [host, private]
  cgroup_parent:
    description: The parent cgroup of the container (C(--cgroup-parent)).
    type: str
  runtime:
    description: The OCI runtime, like V(runc) (C(--runtime)); it must be configured in the daemon. Not set - the daemon's.
    type: str
  volume_driver:
    description: The volume driver of the container's volumes (C(--volume-driver)).
    type: str
  domainname:
    description: The container's domain name (C(--domainname)).
    type: str
  mac_address:
    description:
      - The container's MAC address (C(--mac-address)). Not set - the one Docker generates. Docker API 1.44 and
        later take it per network (O(networks[].mac_address)).
    type: str
  platform:
    description:
      - The platform as C(os[/arch[/variant]]), like V(linux/amd64) (C(--platform)); the image must be of that
        platform. A container whose image is of another platform is recreated.
    type: str
notes:
  - Check mode predicts exactly what a real run does and touches nothing (no pull, no create).
  - The RV(actions) are the equivalent docker CLI commands; C(secret_env) shows there as C(-e NAME) only.
seealso:
  - module: devops.docker.container_info
  - module: devops.docker.container_exec
  - module: devops.docker.image
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
    - With O(detach=false), also C(Output), the container's output, as community.docker returns it.
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
status:
  description: The exit code of a container run with O(detach=false) (community.docker's name of RV(rc)).
  returned: when O(detach=false) and the container ran
  type: int
  sample: 0
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
from ansible_collections.devops.docker.plugins.module_utils._container._module_log import logged_run
from ansible_collections.devops.docker.plugins.module_utils._container._table import container_argument_spec


def main() -> None:
    module = DockerModule(argument_spec=container_argument_spec(), supports_check_mode=True)
    with module.errors(changed=False):
        # community.docker's behaviour options (pull: true, paused, container_default_behavior...) in our terms
        params = community_params(module.params)
        manager = ContainerManager(module.api, params, module.check_mode, warn=module.warn)
        result = logged_run(manager.run, params, module.module.log)  # output_logs and debug: the host's log
    module.exit(**result)


if __name__ == "__main__":
    main()
