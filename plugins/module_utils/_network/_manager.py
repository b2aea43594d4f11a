# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The manager behind ``network``: it plans every change first (validating all input and every container
before the first side effect), records it in a ``Tracker`` and only then, outside check mode, applies it.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, Conflict, DockerError
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._limits import check_network_name, check_no_nul
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager, require_api, require_driver
from ansible_collections.devops.docker.plugins.module_utils._network._endpoints import (
    Endpoint,
    check_addresses_in_ipam,
    endpoint_differences,
    endpoint_from_container,
    merge_endpoint,
    parse_connected,
)
from ansible_collections.devops.docker.plugins.module_utils._network._table import (
    OVERLAY_NEEDS_SWARM,
    carried_config,
    check_config_network,
    config_summary,
    create_body,
    create_cli,
    creation_driver,
    desired_summary,
    network_differences,
    parse_ipam,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._networks import PREDEFINED_NETWORKS
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map


def explain_create_error(exc: APIError, name: str, driver: str, available: list[str] | None = None) -> DockerError:
    """Turn the daemon's terse create errors into messages that say what to do."""
    text = exc.explanation or ""
    low = text.lower()
    if "plugin" in low and "not found" in low:
        names = ", ".join(sorted(available)) if available else "see docker info"
        return DockerError(f"driver {driver} is not installed on this engine; available: {names}. (daemon: {text})")
    if "swarm manager" in low or "swarm mode" in low:
        return DockerError(f"{OVERLAY_NEEDS_SWARM}. (daemon: {text})")
    if "overlap" in low:
        return DockerError(
            f"network {name}: the subnet overlaps a network that already exists (daemon: {text}). Pick another subnet; "
            "devops.docker.network_info or `docker network inspect` shows the subnets in use."
        )
    return DockerError(f"Creating network {name} failed: {text}")


def without_alias(entries: t.Any, alias: str) -> t.Any:
    """A list of sub-option dicts without an alias's key (Ansible keeps it beside the option's own name)."""
    if not isinstance(entries, list):
        return entries
    return [{k: v for k, v in e.items() if k != alias} if isinstance(e, dict) else e for e in entries]


class _CreatedMeanwhile(DockerError):
    """The name was free at our inspect and taken at our create (a concurrent run)."""


@dataclass
class _Plan:
    create: bool = False
    remove: bool = False
    connect: list[Endpoint] = field(default_factory=list)
    reconnect: list[Endpoint] = field(default_factory=list)
    disconnect: list[str] = field(default_factory=list)


class NetworkManager(Manager):
    """present/absent for one network, with its connected containers."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        self.name: str = p["name"]
        self.state, self.recreate, self.force = str(p["state"]), str(p["recreate"]), bool(p["force"])
        # community.docker's appends (incremental) is the opposite of exclusive, and wins when given
        self.exclusive: bool = p["exclusive"] if p.get("appends") is None else not p["appends"]
        self.create_spec: dict[str, t.Any] | None = None
        self.network_id: str | None = None  # set when this run created the network
        if not self.name or not self.name.strip():
            raise SpecError("name: a network name is required.")
        if self.state == "present":  # the daemon takes a newline or leading spaces: refuse them before creating
            check_network_name(self.name, "name", swarm_scope=p.get("driver") == "overlay")
            check_no_nul({"labels": p.get("labels"), "options": p.get("options")}, "network")
        # Validate everything the user wrote before any request.
        self.desired: dict[str, t.Any] = {
            "driver": p.get("driver"),
            "config_only": p.get("config_only"),
            "config_from": p.get("config_from"),
            "ingress": p.get("ingress"),
            "scope": p.get("scope"),
            "internal": p.get("internal"),
            "attachable": p.get("attachable"),
            "enable_ipv4": p.get("enable_ipv4"),
            "enable_ipv6": p.get("enable_ipv6"),
            "ipam_driver": p.get("ipam_driver"),
            "ipam_options": string_map(p.get("ipam_options"), "ipam_options"),
            "ipam": parse_ipam(without_alias(p.get("ipam"), "iprange")),
            "options": string_map(p.get("options"), "options"),
            "labels": string_map(p.get("labels"), "labels"),
        }
        self.connected = parse_connected(p.get("connected"))
        check_config_network(self.desired, connected=bool(self.connected))
        check_addresses_in_ipam(self.connected, self.desired["ipam"])

    # -- reading ---------------------------------------------------------
    def attached_containers(self, network: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """Every container attached (running, or stopped but configured), inspected."""
        listed = self.api.get("/containers/json", {"all": True, "filters": {"network": [network["Name"], network["Id"]]}}) or []
        found = []
        for item in listed:
            info = self.api.inspect_container(item["Id"])
            if info is not None:
                found.append(info)
        return sorted(found, key=lambda c: c.get("Name", ""))

    def inspect_containers(self) -> dict[str, dict[str, t.Any]]:
        """Inspect every container of ``connected``; all must exist before anything changes."""
        found: dict[str, dict[str, t.Any]] = {}
        missing = []
        for ep in self.connected:
            info = self.api.inspect_container(ep.name)
            if info is None:
                missing.append(ep.name)
            else:
                found[ep.name] = info
        if missing:
            raise DockerError(
                f"connected: container(s) {', '.join(missing)} do not exist, so they cannot be connected to network "
                f"{self.name}; create them first (devops.docker.container) or fix the names. Nothing was changed."
            )
        for ep in self.connected:
            mode = str((found[ep.name].get("HostConfig") or {}).get("NetworkMode") or "")
            if (mode in ("none", "host") or mode.startswith("container:")) and mode != self.name:
                raise DockerError(
                    f"connected: container {ep.name} runs with network_mode {mode}, which cannot be combined with "
                    f"other networks, so it cannot be connected to {self.name}; recreate it with a network "
                    "(devops.docker.container networks:). Nothing was changed."
                )
        return found

    def check_driver(self, driver: str | None = None) -> None:
        """Before creating: the driver must be installed, and overlay needs swarm mode."""
        driver = driver or creation_driver(self.desired)
        if driver == "null":  # a config-only network: no driver runs it
            return
        info = self.api.get("/info") or {}
        if driver == "overlay":
            swarm = info.get("Swarm") or {}
            if swarm.get("LocalNodeState") != "active" or not swarm.get("ControlAvailable"):
                raise DockerError(
                    f"network {self.name}: {OVERLAY_NEEDS_SWARM} (this engine is "
                    f"{'a swarm worker, create it on a manager' if swarm.get('LocalNodeState') == 'active' else 'not in a swarm'})."
                )
        require_driver(self.api, info, "Network", driver, f"network {self.name}")

    # -- the run ---------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        network = self.api.inspect_network(self.name)
        if self.desired.get("enable_ipv4") is False and self.state == "present":
            require_api(self.api, "1.47", "enable_ipv4: false (a network without IPv4) needs Docker Engine 28 or later")
        if self.state == "absent":
            self.absent(network)
        else:
            try:
                network = self.present(network)
            except _CreatedMeanwhile:
                # Another run created the name between our inspect and our create (two plays at
                # once): converge with the network that now exists instead of failing.
                self.tracker = Tracker()
                self.create_spec = None
                network = self.present(self.api.inspect_network(self.name))
        if self.tracker.changed and not self.check_mode:
            network = self.api.inspect_network(self.network_id or self.name) if self.state == "present" else None
        result = self.tracker.result(network=network)
        return result

    def absent(self, network: dict[str, t.Any] | None) -> None:
        if self.name in PREDEFINED_NETWORKS:
            raise DockerError(
                f"network {self.name} is one of Docker's predefined networks (bridge, host, none) and cannot be removed; "
                "drop the task or use state: present."
            )
        if network is None:
            return
        if network.get("Name") in PREDEFINED_NETWORKS:
            raise DockerError(f"network {self.name} resolves to the predefined network {network['Name']}, which cannot be removed.")
        attached = self.attached_containers(network)
        names = [c["Name"].lstrip("/") for c in attached]
        if attached and not self.force:
            raise DockerError(
                f"network {self.name} has containers attached: {', '.join(names)}. Set force: true to disconnect them "
                "and remove the network, or remove/disconnect the containers first."
            )
        self.tracker.add("connected", names, [])
        self.tracker.add("network", config_summary(network), None)
        for cname in names:
            self.tracker.action("docker", "network", "disconnect", "--force", self.name, cname)
        self.tracker.action("docker", "network", "rm", self.name)
        if self.check_mode:
            return
        self._remove_network(network, attached, "")

    def present(self, network: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        containers = self.inspect_containers()
        is_predefined = self.name in PREDEFINED_NETWORKS or (network is not None and network.get("Name") in PREDEFINED_NETWORKS)
        if network is None:
            if is_predefined:
                raise DockerError(f"the predefined network {self.name} is missing on this engine; it cannot be created.")
            self.check_driver()
            self.tracker.add("network", None, desired_summary(self.desired, None))
            plan = _Plan(create=True, connect=list(self.connected))
            self.tracker.action(*create_cli(self.name, self.desired))
            self.tracker.compare("connected", [], sorted(ep.name for ep in self.connected))
            self._record_connects(plan)
            if not self.check_mode:
                self._apply(plan, None)
            return None

        diffs = network_differences(network, self.desired)
        if diffs and is_predefined:
            raise DockerError(
                f"network {self.name} is a predefined network; its configuration cannot be changed "
                f"(differs: {self._describe(diffs)}). Remove these options from the task."
            )
        if diffs:
            return self._recreate(network, diffs, containers)

        # Same configuration: only the connections may change.
        plan = _Plan()
        wanted_ids = set()
        before_names: set[str] = set()
        for ep in self.connected:
            info = containers[ep.name]
            wanted_ids.add(info["Id"])
            current = endpoint_from_container(info, network["Name"], network["Id"])
            if current is None:
                plan.connect.append(ep)
                continue
            before_names.add(ep.name)
            if endpoint_differences(current, ep):
                merged = merge_endpoint(current, ep)
                plan.reconnect.append(merged)
                self.tracker.add(f"connected.{ep.name}", current.summary(), merged.summary())
        if self.exclusive:
            for info in self.attached_containers(network):
                cname = info["Name"].lstrip("/")
                if info["Id"] not in wanted_ids:
                    plan.disconnect.append(cname)
                    before_names.add(cname)
        if plan.connect or plan.disconnect:
            after = (before_names - set(plan.disconnect)) | {ep.name for ep in plan.connect}
            self.tracker.add("connected", sorted(before_names), sorted(after))
        self._record_connects(plan)
        if not self.check_mode:
            self._apply(plan, network, containers)
        return network

    def _describe(self, diffs: list[tuple[str, t.Any, t.Any]]) -> str:
        return "; ".join(f"{key}: {before!r} -> {after!r}" for key, before, after in diffs)

    def _recreate(
        self, network: dict[str, t.Any], diffs: list[tuple[str, t.Any, t.Any]], containers: dict[str, dict[str, t.Any]]
    ) -> dict[str, t.Any]:
        if self.recreate != "options-changed":
            raise DockerError(
                f"network {self.name} exists with a different configuration, which Docker cannot change in place: "
                f"{self._describe(diffs)}. Set recreate: options-changed to remove and recreate it (attached containers "
                "are disconnected and connected again with their aliases and addresses), or change the task to match."
            )
        carried = carried_config(self.desired, config_summary(network) or {})
        self.check_driver(carried["driver"])
        attached = self.attached_containers(network)
        wanted = {containers[ep.name]["Id"]: ep for ep in self.connected}
        reconnect: list[Endpoint] = []
        for info in attached:
            saved = endpoint_from_container(info, network["Name"], network["Id"]) or Endpoint(name=info["Name"].lstrip("/"))
            reconnect.append(merge_endpoint(saved, wanted.pop(info["Id"], None)))
        reconnect.extend(wanted.values())
        # The kept fixed addresses must fit the new subnets: fail now, before anything is removed.
        # The new network keeps every setting the task does not change (its subnets too).
        self.create_spec = carried
        new_ipam = carried["ipam"]
        try:
            check_addresses_in_ipam(reconnect, new_ipam, option="recreate")
        except SpecError as exc:
            raise DockerError(
                f"{exc} The container keeps that fixed address when the network is recreated; give it a new "
                "ipv4_address in connected. Nothing was changed."
            ) from exc
        for key, before, after in diffs:
            self.tracker.add(f"network.{key}", before, after)
        names = [c["Name"].lstrip("/") for c in attached]
        for cname in names:
            self.tracker.action("docker", "network", "disconnect", "--force", self.name, cname)
        self.tracker.action("docker", "network", "rm", self.name)
        self.tracker.action(*create_cli(self.name, carried))
        after_names = sorted({ep.name for ep in reconnect})
        if after_names != sorted(names):
            self.tracker.add("connected", sorted(names), after_names)
        plan = _Plan(create=True, connect=reconnect)
        self._record_connects(plan)
        if not self.check_mode:
            self._remove_network(network, attached, " to recreate it")
            ids = {ep.name: containers[ep.name]["Id"] for ep in self.connected}
            ids.update({c["Name"].lstrip("/"): c["Id"] for c in attached})
            self._apply(plan, None, ids_by_name=ids)
        return network

    def _record_connects(self, plan: _Plan) -> None:
        for cname in plan.disconnect:
            self.tracker.action("docker", "network", "disconnect", self.name, cname)
        for ep in plan.reconnect:
            self.tracker.action("docker", "network", "disconnect", self.name, ep.name)
            self.tracker.action("docker", "network", "connect", *ep.cli_args(), self.name, ep.name)
        for ep in plan.connect:
            self.tracker.action("docker", "network", "connect", *ep.cli_args(), self.name, ep.name)

    # -- side effects ----------------------------------------------------
    def _one_of_duplicates(self, our_id: str) -> str:
        """The daemon's duplicate-name check is racy: two runs at once can both create the name.
        Every run then agrees on one (the smallest ID) and removes its own if it is another."""
        same = [n for n in self.api.get("/networks", {"filters": {"name": [self.name]}}) or [] if n.get("Name") == self.name]
        if len(same) <= 1:
            self.network_id = our_id
            return our_id
        keeper = min(n["Id"] for n in same)
        if keeper != our_id:
            try:
                self.api.delete(self.api.url("/networks/{0}", our_id))
            except APIError:
                pass
        self.network_id = keeper
        return keeper

    def _apply(
        self,
        plan: _Plan,
        network: dict[str, t.Any] | None,
        containers: dict[str, dict[str, t.Any]] | None = None,
        ids_by_name: dict[str, str] | None = None,
    ) -> None:
        ids = dict(ids_by_name or {})
        for name, info in (containers or {}).items():
            ids.setdefault(name, info["Id"])
        if plan.create:
            try:
                created = self.api.post("/networks/create", body=create_body(self.name, self.create_spec or self.desired))
            except Conflict as exc:
                if network is None and "already exists" in (exc.explanation or ""):
                    raise _CreatedMeanwhile(exc.msg) from exc
                raise explain_create_error(exc, self.name, creation_driver(self.desired)) from exc
            except APIError as exc:
                raise explain_create_error(exc, self.name, creation_driver(self.desired)) from exc
            if created and created.get("Warning"):
                self.warn(f"network {self.name}: {created['Warning']}")
            network_id = self._one_of_duplicates(created["Id"])
        elif network is not None:
            network_id = network["Id"]
        else:  # pragma: no cover - the planner always gives one or the other
            raise DockerError(f"network {self.name}: nothing to connect to (internal planning error).")
        if containers is None and not ids:
            ids = {ep.name: ep.name for ep in plan.connect}
        for cname in plan.disconnect:
            self._disconnect(network_id, cname)
        for ep in plan.reconnect:
            self._disconnect(network_id, ids.get(ep.name, ep.name))
            self._connect(network_id, ids.get(ep.name, ep.name), ep)
        for ep in plan.connect:
            self._connect(network_id, ids.get(ep.name, ep.name), ep)

    def _connect(self, network_id: str, container: str, ep: Endpoint) -> None:
        try:
            self.api.post(
                self.api.url("/networks/{0}/connect", network_id),
                body={"Container": container, "EndpointConfig": ep.endpoint_config()},
            )
        except APIError as exc:
            raise DockerError(f"Connecting container {ep.name} to network {self.name} failed: {exc.explanation}") from exc

    def _remove_network(self, network: dict[str, t.Any], attached: list[dict[str, t.Any]], why: str) -> None:
        """docker network rm, after disconnecting every attached container."""
        for container in attached:
            self._disconnect(network["Id"], container["Id"])
        try:
            self.api.delete(self.api.url("/networks/{0}", network["Id"]))
        except APIError as exc:
            hint = ""
            if network.get("ConfigOnly") and "in use" in (exc.explanation or ""):
                hint = f" Remove the networks created with config_from: {self.name} first (docker network inspect shows ConfigFrom)."
            raise DockerError(f"Removing network {self.name}{why} failed: {exc.explanation}.{hint}") from exc

    def _disconnect(self, network_id: str, container: str) -> None:
        try:
            self.api.post(
                self.api.url("/networks/{0}/disconnect", network_id), body={"Container": container, "Force": True}
            )
        except APIError as exc:
            raise DockerError(f"Disconnecting container {container} from network {self.name} failed: {exc.explanation}") from exc
