# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's option names and return values, mapped onto this collection's modules.

A playbook written for community.docker runs after replacing ``community.docker.`` by ``devops.docker.``
(docs/migrating.md). Plain renames are aliases in the modules' argument specs; what needs more than a rename
(an option that selects another of ours, per-kind filters, a return value under another key) is here, one
function per module, called from its ``main()``.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError

PRUNE_KIND_FILTERS = {
    "containers": "containers_filters",
    "networks": "networks_filters",
    "volumes": "volumes_filters",
    "images": "images_filters",
    "builder": "builder_cache_filters",
}


def _truthy(value: t.Any) -> bool:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def prune_groups(params: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """Split a prune task into runs that share one set of filters.

    community.docker's ``containers_filters``, ``images_filters``, ... give each kind its own filters; ours has one
    ``filters`` for all kinds. A kind with its own filters is pruned in its own run (in the order of
    ``docker system prune``); kinds without run together with ``filters``. ``images_filters: {dangling: false}``
    is community.docker's way to say ``images_dangling_only: false``, ``volumes_filters: {all: true}`` the way to
    say ``volumes_all: true``.
    """
    base = dict(params)
    kinds = [k for k in PRUNE_KIND_FILTERS if params.get(k)]
    runs: list[tuple[dict[str, t.Any] | None, list[str]]] = []
    for kind in kinds:
        own = params.get(PRUNE_KIND_FILTERS[kind])
        if own is None:
            effective = params.get("filters")
        else:
            effective = dict(own)
            if kind == "images" and "dangling" in effective:
                base["images_dangling_only"] = _truthy(effective.pop("dangling"))
            if kind == "volumes" and "all" in effective:
                base["volumes_all"] = _truthy(effective.pop("all"))
            if params.get("filters"):
                effective = {**params["filters"], **effective}
        for filters, members in runs:
            if filters == effective:
                members.append(kind)
                break
        else:
            runs.append((effective, [kind]))
    if not runs:
        return [base]
    out = []
    for filters, members in runs:
        run = dict(base)
        for kind in PRUNE_KIND_FILTERS:
            run[kind] = kind in members
        run["filters"] = filters
        out.append(run)
    return out


def prune(module: t.Any, manager_class: t.Any) -> dict[str, t.Any]:
    """Run the prune manager once per group of kinds sharing filters; add community.docker's result keys."""
    results = [
        manager_class(module.api, params, module.check_mode, warn=module.warn).run()
        for params in prune_groups(module.params)
    ]
    merged: dict[str, t.Any] = {}
    actions: list[str] = []
    before: dict[str, t.Any] = {}
    after: dict[str, t.Any] = {}
    changed = False
    for res in results:
        changed = changed or bool(res.get("changed"))
        actions.extend(res.get("actions") or [])
        diff = res.get("diff")
        if isinstance(diff, dict):
            before.update(diff.get("before") or {})
            after.update(diff.get("after") or {})
        for key, value in res.items():
            if key in ("changed", "actions", "diff"):
                continue
            if key == "space_reclaimed":
                merged[key] = int(merged.get(key) or 0) + int(value or 0)
            else:
                merged[key] = value
    merged.update(changed=changed, actions=actions)
    if module.diff_mode:
        merged["diff"] = {"before": before, "after": after}
    # community.docker's names for the same lists.
    for ours, theirs in (
        ("containers_deleted", "containers"),
        ("networks_deleted", "networks"),
        ("volumes_deleted", "volumes"),
        ("images_deleted", "images"),
        ("builder_cache_deleted", "builder_cache_caches_deleted"),
    ):
        if ours in merged:
            merged[theirs] = merged[ours]
    return merged


def host_info_filters(params: dict[str, t.Any], kind: str) -> t.Any:
    """community.docker's ``<kind>_filters`` wins over our shared ``filters`` for that kind."""
    own = params.get(f"{kind}_filters")
    return own if own is not None else params.get("filters")


def stack_compose(params: dict[str, t.Any]) -> None:
    """community.docker's ``compose`` (file paths and inline definitions, merged in order) -> files / definition."""
    compose = params.get("compose")
    if not compose:
        return
    if params.get("files") or params.get("definition") or params.get("project_src"):
        raise DockerError("compose: give either compose (community.docker's name) or files/definition/project_src, not both.")
    files = [c for c in compose if isinstance(c, str)]
    inline = [c for c in compose if isinstance(c, dict)]
    if len(files) + len(inline) != len(compose):
        raise DockerError("compose: each entry is the path of a Compose file or a Compose definition (a dict).")
    if files and inline:
        raise DockerError(
            "compose: mixing Compose file paths and inline definitions in one task is not supported; put the inline "
            "part in a file, or give only inline definitions."
        )
    if files:
        params["files"] = files
    else:
        merged: dict[str, t.Any] = {}
        for part in inline:
            merged = _merge(merged, part)
        params["definition"] = merged


def _merge(base: dict[str, t.Any], override: dict[str, t.Any]) -> dict[str, t.Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------- compose (community.docker's docker_compose_v2)
COMPOSE_COMPAT_ARGS: dict[str, t.Any] = {
    "dependencies": {"type": "bool", "default": True},
    "scale": {"type": "dict"},
    "remove_images": {"type": "str", "choices": ["all", "local"]},
    "assume_yes": {"type": "bool", "default": False},
    "check_files_existing": {"type": "bool", "default": True},
    "ignore_build_events": {"type": "bool", "default": True},
}


def compose_compat_args(compose_args: dict[str, t.Any]) -> dict[str, t.Any]:
    """The compose module's argument spec plus community.docker's docker_compose_v2 names and values."""
    spec = {key: dict(value) for key, value in compose_args.items()}
    spec["build"]["choices"] = list(spec["build"]["choices"]) + ["policy"]
    spec["pull"]["choices"] = list(spec["pull"]["choices"]) + ["policy"]
    spec.update(COMPOSE_COMPAT_ARGS)
    return spec


def compose(module: t.Any, manager_class: t.Any) -> dict[str, t.Any]:
    """Run the compose manager with community.docker's build/pull V(policy), scale, dependencies, remove_images."""
    params = module.params
    build_policy = params.get("build") == "policy"
    if build_policy:
        params["build"] = "auto"
    if params.get("pull") == "policy":  # each service's pull_policy, missing where it has none
        params["pull"] = "missing"
    scale = params.get("scale") or {}
    for service, replicas in scale.items():
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
            try:
                replicas = int(str(replicas))
            except ValueError:
                replicas = -1
            if replicas < 0:
                raise DockerError(f"scale.{service}: give a number of containers (0 or more), not {scale[service]!r}.")
            scale[service] = replicas
    manager = manager_class(module.api, module.params, module.check_mode, warn=module.warn)
    if build_policy:
        # community.docker's policy builds an image only when it is missing (or pull_policy: build, which the
        # manager honours in any mode); auto would also rebuild an existing image whose context changed.
        built = [s for s in manager.selected if manager.project.services[s].get("build")]
        if built and all(module.api.inspect_image(manager.image_ref(s)) is not None for s in built):
            params["build"] = "never"
    unknown = sorted(set(scale) - set(manager.project.services))
    if unknown:
        raise DockerError(
            f"scale: the project has no service {', '.join(unknown)}; its services are "
            f"{', '.join(sorted(manager.project.services))}. Nothing was changed."
        )
    for service, replicas in scale.items():
        manager.project.services[service]["scale"] = replicas
    if not params.get("dependencies") and params.get("services"):
        manager.selected = [s for s in manager.selected if s in params["services"]]
    result = manager.run()
    if params.get("remove_images") and params.get("state") == "absent":
        _compose_remove_images(module, manager, result)
    compose_ps(module.api, manager, result)
    return result


def compose_ps(api: t.Any, manager: t.Any, result: dict[str, t.Any]) -> None:
    """community.docker's returns: each of ``containers`` also with ``docker compose ps --format json``'s keys,
    and ``images`` as ``docker compose images --format json`` (one image list, only when there are containers)."""
    from ansible_collections.devops.docker.plugins.module_utils._compose._ps import (  # pylint: disable=import-outside-toplevel
        image_entries,
        ps_entry,
        shape_actions,
    )

    listed = {summary.get("Id"): summary for summary in manager.containers or []}
    summaries = []
    for item in result.get("containers") or []:
        summary = listed.get(item.get("id"))
        if summary is None:
            continue
        summaries.append(summary)
        for key, value in ps_entry(summary, result.get("project_name") or "", item.get("service") or "").items():
            item.setdefault(key, value)
    result["images"] = image_entries(summaries, api.get("/images/json") or []) if summaries else []
    shape_actions(manager.params, result)


def _compose_remove_images(module: t.Any, manager: t.Any, result: dict[str, t.Any]) -> None:
    """docker compose down --rmi all|local: the services' images (local: only those named after the project)."""
    api = module.api
    removed: list[str] = []
    for service in sorted(manager.selected):
        if module.params.get("remove_images") == "local" and manager.project.services[service].get("image"):
            continue
        ref = manager.image_ref(service)
        if ref in removed or api.inspect_image(ref) is None:
            continue
        removed.append(ref)
        result.setdefault("actions", []).append(f"docker image rm {ref}")
        result["changed"] = True
        if not module.check_mode:
            try:
                api.delete(api.url("/images/{0}", ref))
            except DockerError as exc:
                module.warn(f"remove_images: {ref} was not removed: {exc.msg}")
    if removed:
        diff = result.get("diff")
        if isinstance(diff, dict):
            diff.setdefault("before", {})["images"] = removed
            diff.setdefault("after", {})["images"] = []
    result["images_removed"] = removed


# ---------------------------------------------------------------- swarm_info (community.docker's docker_swarm_info)
def swarm_info_summaries(api: t.Any, result: dict[str, t.Any]) -> None:
    """Add community.docker's short keys to each node, service and task (ours are the full API documents).

    The keys the API document already has keep the API's value: a node's ``Status`` and ``ManagerStatus`` stay
    the API's dictionaries (community.docker's strings are ``Status.State`` and ``ManagerStatus.Reachability``).
    """
    for node in result.get("nodes") or []:
        desc = node.get("Description") or {}
        node.setdefault("Hostname", desc.get("Hostname"))
        node.setdefault("Availability", (node.get("Spec") or {}).get("Availability"))
        node.setdefault("EngineVersion", (desc.get("Engine") or {}).get("EngineVersion"))
    for svc in result.get("services") or []:
        spec = svc.get("Spec") or {}
        mode = spec.get("Mode") or {}
        svc.setdefault("Name", spec.get("Name"))
        svc.setdefault("Mode", "Replicated" if "Replicated" in mode else "Global" if "Global" in mode else None)
        svc.setdefault("Replicas", (mode.get("Replicated") or {}).get("Replicas"))
        svc.setdefault("Image", ((spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}).get("Image"))
        svc.setdefault("Ports", (spec.get("EndpointSpec") or {}).get("Ports") or [])
    tasks = result.get("tasks") or []
    if tasks:
        names = {n.get("ID"): (n.get("Description") or {}).get("Hostname") for n in api.get("/nodes") or []}
        for task in tasks:
            status = task.get("Status") or {}
            task.setdefault("ContainerID", (status.get("ContainerStatus") or {}).get("ContainerID"))
            task.setdefault("Image", ((task.get("Spec") or {}).get("ContainerSpec") or {}).get("Image"))
            task.setdefault("Node", names.get(task.get("NodeID")))
            task.setdefault("CurrentState", status.get("State"))
            task.setdefault("Error", status.get("Err"))
