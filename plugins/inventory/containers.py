# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: containers
short_description: The containers of one or several Docker hosts as inventory hosts
version_added: 0.1.0
author:
  - devops.docker team (@devops-docker)
description:
  - One inventory host per container (C(docker ps)) of one or several Docker daemons, read with the Engine API
    (one request per daemon; no Docker SDK needed).
  - Each host gets C(docker_*) variables from the daemon, and C(ansible_connection=devops.docker.docker),
    C(ansible_host) (the container's name) and the daemon's connection variables, so a play over this inventory
    runs its tasks inside the containers right away (see P(devops.docker.docker#connection)).
  - Default groups by daemon, state, image, network, Compose project and service, and chosen labels
    (O(add_default_groups)); more with O(compose), O(groups) and O(keyed_groups) as in the constructed plugins.
  - The inventory file's name must end in C(containers.yml), C(containers.yaml), C(docker.yml) or C(docker.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; it makes the file an inventory source of this plugin.
    type: str
    required: true
    choices: [devops.docker.containers]
  docker_host:
    description:
      - The Docker daemon to list, as C(unix:///path/to/docker.sock), C(tcp://HOST:PORT) or
        C(ssh://[USER@]HOST[:PORT]).
      - Defaults to the E(DOCKER_HOST) environment variable, then to C(unix:///var/run/docker.sock).
      - With C(ssh://), the controller's C(ssh) client runs C(docker system dial-stdio) on HOST, as the docker CLI
        does (C(~/.ssh/config), ssh-agent and known_hosts apply; ssh never prompts). The TLS options do not apply
        to it. The hosts get the same C(ssh://) URL for the connection plugin.
      - Ignored when O(docker_hosts) is set.
    type: str
    env:
      - name: DOCKER_HOST
  tls:
    description: Use TLS for a C(tcp://) O(docker_host) without verifying the daemon's certificate.
    type: bool
    default: false
  validate_certs:
    description: Use TLS and verify the daemon's certificate against O(ca_path).
    type: bool
    default: false
  ca_path:
    description: CA certificate file used to verify the daemon's certificate.
    type: path
  client_cert:
    description: Client certificate file presented to the daemon.
    type: path
  client_key:
    description: Private key file of O(client_cert).
    type: path
  api_version:
    description: The Engine API version to speak, for example V(1.41); V(auto) uses the daemon's own.
    type: str
    default: auto
  timeout:
    description: Seconds to wait for an answer from the daemon.
    type: int
    default: 60
  docker_hosts:
    description:
      - Several daemons to list. Each entry takes the connection options above (O(docker_host) is required),
        plus C(name), the daemon's name in group names and in C(docker_daemon) (default V(default) for the
        first entry, V(daemonN) for the others), and C(host_prefix), put before each of its containers' host
        names so equal container names on two daemons stay apart.
      - Options not given in an entry take the top-level values.
    type: list
    elements: dict
    default: []
  running_only:
    description:
      - List only running containers (C(docker ps)). V(false) lists stopped ones too (C(docker ps --all)); they
        are hosts as well, but a task against them fails until they are started.
    type: bool
    default: true
  label_filters:
    description:
      - Keep only containers with these labels, as C(docker ps --filter label=...) takes them,
        V(KEY) (label present) or V(KEY=VALUE). A container must match every entry.
    type: list
    elements: str
    default: []
  filters:
    description:
      - 'A dict: other filters of the Engine API''s container list, as a dict of lists, for example
        C({"network": ["my-network"], "ancestor": ["devops-test/python"]}); the daemon applies them.'
      - 'A list: conditions on each host''s variables (the C(docker_*) variables and O(compose) results), each
        C({include: CONDITION}) or C({exclude: CONDITION}) with a Jinja2 expression; the first condition that
        is true decides, and a host that no condition matches is kept.'
    type: raw
    default: {}
  include_names:
    description:
      - Keep only containers whose name matches one of these shell-style patterns (C(web-*)).
        Empty keeps every name.
    type: list
    elements: str
    default: []
  exclude_names:
    description: Drop containers whose name matches one of these shell-style patterns.
    type: list
    elements: str
    default: []
  hostname:
    description: What names the inventory host; C(ansible_host) is always the container's name.
    type: str
    choices: [name, id, short_id]
    default: name
  add_default_groups:
    description:
      - Put each host in the groups C(docker_daemon_<name>), C(docker_state_<state>), C(docker_image_<image>),
        C(docker_network_<network>) for each of its networks, C(compose_project_<project>) and
        C(compose_service_<project>_<service>) (from the C(com.docker.compose.*) labels), and
        C(docker_label_<key>_<value>) for each key of O(group_by_labels). Characters a group name cannot have
        become C(_).
    type: bool
    default: true
  group_by_labels:
    description: Label keys that make default groups (see O(add_default_groups)).
    type: list
    elements: str
    default: []
  connection_vars:
    description:
      - Set C(ansible_connection=devops.docker.docker), C(ansible_host) and the daemon's connection variables
        (C(ansible_docker_docker_host), C(ansible_docker_tls)...) on each host.
      - V(false) leaves the connection to the rest of the inventory (for example containers that run sshd).
    type: bool
    default: true
"""

EXAMPLES = r"""
# inventory/containers.yml: the running containers of the local daemon
plugin: devops.docker.containers

---
# The containers of a Compose project, with the project's services as groups
plugin: devops.docker.containers
label_filters:
  - com.docker.compose.project=shop
keyed_groups:
  - key: docker_labels['com.docker.compose.service']
    prefix: service

---
# Containers of one image, but not the ones labelled as test fixtures
plugin: devops.docker.containers
filters:
  - exclude: "docker_labels['fixture'] | default('') == 'true'"
  - include: "docker_image.startswith('localhost:5001/shop/')"
  - exclude: true

---
# Two daemons, stopped containers too, a variable and a group of our own, a cache
plugin: devops.docker.containers
docker_hosts:
  - name: local
    docker_host: unix:///var/run/docker.sock
  - name: build
    docker_host: tcp://build.example.com:2376
    validate_certs: true
    ca_path: /etc/docker/ca.pem
    host_prefix: build-
running_only: false
exclude_names: ["buildx_*"]
compose:
  ansible_python_interpreter: "'/usr/bin/python3'"
groups:
  databases: "'mariadb' in docker_image"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/devops-docker-inventory
cache_timeout: 300

---
# The containers of a remote Docker host, over SSH (the controller's ssh client, its ~/.ssh/config
# and known_hosts); their tasks reach them the same way, through the connection plugin
plugin: devops.docker.containers
docker_host: ssh://deploy@docker1.example.com
"""

import typing as t

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display

from ansible_collections.devops.docker.plugins.module_utils._client import DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.plugin_utils._inventory import (
    api_filters,
    default_groups,
    host_vars,
    hostname,
    name_selected,
)

CONNECTION_OPTIONS = ("docker_host", "tls", "validate_certs", "ca_path", "client_cert", "client_key",
                      "api_version", "timeout")
DAEMON_KEYS = frozenset(CONNECTION_OPTIONS) | {"name", "host_prefix"}
FILE_ENDINGS = ("containers.yml", "containers.yaml", "docker.yml", "docker.yaml")

display = Display()


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """One inventory host per Docker container."""

    NAME = "devops.docker.containers"

    def verify_file(self, path: str) -> bool:
        return super().verify_file(path) and path.endswith(FILE_ENDINGS)

    def _daemons(self) -> list[dict[str, t.Any]]:
        """The daemons to list, each with every connection option resolved."""
        top = {option: self.get_option(option) for option in CONNECTION_OPTIONS}
        entries = self.get_option("docker_hosts") or [{}]
        daemons = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise AnsibleParserError(f"docker_hosts[{index}] must be a dict with docker_host, name...; got {entry!r}.")
            unknown = sorted(set(entry) - DAEMON_KEYS)
            if unknown:
                raise AnsibleParserError(
                    f"docker_hosts[{index}] has unknown keys {', '.join(unknown)}; "
                    f"allowed: {', '.join(sorted(DAEMON_KEYS))}."
                )
            if self.get_option("docker_hosts") and not entry.get("docker_host"):
                raise AnsibleParserError(f"docker_hosts[{index}] needs docker_host (unix:///... or tcp://HOST:PORT).")
            daemon = dict(top)
            daemon.update({k: v for k, v in entry.items() if v is not None})
            daemon.setdefault("name", "default" if index == 0 else f"daemon{index}")
            daemon.setdefault("host_prefix", "")
            daemon["name"] = str(daemon["name"])
            daemons.append(daemon)
        names = [d["name"] for d in daemons]
        if len(set(names)) != len(names):
            raise AnsibleParserError(f"docker_hosts: each entry needs its own name; got {names}.")
        return daemons

    def _filters(self) -> tuple[dict[str, t.Any], list[dict[str, t.Any]]]:
        """The filters option: (Engine API filters, host conditions)."""
        value = self.get_option("filters") or {}
        if isinstance(value, dict):
            return value, []
        if isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ("include", "exclude"):
                    raise AnsibleParserError(
                        f"filters[{index}] must be {{include: CONDITION}} or {{exclude: CONDITION}}; got {item!r}."
                    )
            return {}, value
        raise AnsibleParserError(
            "filters must be a dict of Engine API filters or a list of {include: ...} / {exclude: ...} conditions."
        )

    def _selected(self, conditions: list[dict[str, t.Any]], variables: dict[str, t.Any], host: str) -> bool:
        for condition in conditions:
            kind, expression = next(iter(condition.items()))
            if isinstance(expression, bool):
                result = expression
            else:
                try:
                    result = bool(self._compose(expression, variables))
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    raise AnsibleParserError(f"filters: cannot evaluate {kind} {expression!r} for host {host}: {exc}") from exc
            if result:
                return kind == "include"
        return True

    def _fetch(self, daemons: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
        """GET /containers/json of each daemon: what the cache keeps."""
        filters = api_filters(self.get_option("running_only"), self.get_option("label_filters"), self._filters()[0])
        results = []
        for daemon in daemons:
            params = {option: daemon.get(option) for option in CONNECTION_OPTIONS}
            try:
                api = DockerAPI(params)
                containers = api.get(
                    api.url("/containers/json"),
                    {"all": not self.get_option("running_only"), "filters": filters or None},
                )
            except DockerError as exc:
                raise AnsibleError(f"devops.docker.containers: daemon {daemon['name']}: {exc.msg}") from exc
            results.append({"daemon": daemon["name"], "docker_host": api.base_url, "containers": containers})
        return results

    def _populate(self, daemons: list[dict[str, t.Any]], results: list[dict[str, t.Any]]) -> None:
        by_name = {d["name"]: d for d in daemons}
        strict = self.get_option("strict")
        include = self.get_option("include_names")
        exclude = self.get_option("exclude_names")
        conditions = self._filters()[1]
        seen: dict[str, str] = {}
        for result in results:
            daemon = dict(by_name.get(result["daemon"]) or {"name": result["daemon"], "host_prefix": ""})
            daemon["docker_host"] = result["docker_host"]
            for entry in sorted(result["containers"], key=lambda e: e.get("Names") or [e["Id"]]):
                hv = host_vars(entry, daemon, connection_vars=self.get_option("connection_vars"))
                if not name_selected(hv["docker_name"], include, exclude):
                    continue
                host = hostname(hv, self.get_option("hostname"), daemon.get("host_prefix") or "")
                if conditions and not self._selected(conditions, self._with_compose(hv, strict), host):
                    continue
                if host in seen:
                    display.warning(
                        f"devops.docker.containers: daemons {seen[host]} and {daemon['name']} both have a container "
                        f"named {host}: they make one inventory host, with the variables of {daemon['name']}. Give "
                        "docker_hosts entries a host_prefix to keep them apart."
                    )
                seen[host] = daemon["name"]
                self.inventory.add_host(host)
                for key, value in hv.items():
                    self.inventory.set_variable(host, key, value)
                if self.get_option("add_default_groups"):
                    for group in default_groups(hv, self.get_option("group_by_labels")):
                        self.inventory.add_group(group)
                        self.inventory.add_child(group, host)
                self._set_composite_vars(self.get_option("compose"), hv, host, strict=strict)
                self._add_host_to_composed_groups(self.get_option("groups"), hv, host, strict=strict)
                self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hv, host, strict=strict)

    def _with_compose(self, hv: dict[str, t.Any], strict: bool) -> dict[str, t.Any]:
        """The host variables plus the compose results, as the filter conditions see them."""
        variables = dict(hv)
        for name, expression in (self.get_option("compose") or {}).items():
            try:
                variables[name] = self._compose(expression, variables)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                if strict:
                    raise AnsibleParserError(f"compose: cannot set {name}: {exc}") from exc
        return variables

    def parse(self, inventory: t.Any, loader: t.Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        daemons = self._daemons()

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        results = None
        if use_cache:
            try:
                results = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if results is None:
            results = self._fetch(daemons)
        if update_cache:
            self._cache[cache_key] = results
        self._populate(daemons, results)
