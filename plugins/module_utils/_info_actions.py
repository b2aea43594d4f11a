# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``actions`` of the modules that only read: the ``docker`` (or ``curl``)
commands that read the same information, built from the module's parameters
and what it found.  Pure functions, no daemon."""

from __future__ import annotations

import shlex
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters


def cli(*argv: t.Any) -> str:
    """One shell-quoted command line; empty and None arguments are left out."""
    return " ".join(shlex.quote(str(a)) for a in argv if a is not None and a != "")


def filter_args(filters: t.Any, option: str = "filters") -> list[str]:
    """{"label": ["a=b"], "dangling": true} -> ['--filter', 'dangling=true', '--filter', 'label=a=b']."""
    argv: list[str] = []
    normalized = api_filters(filters, option) or {}
    for key in sorted(normalized):
        for value in normalized[key]:
            argv += ["--filter", f"{key}={value}"]
    return argv


def _ids(items: t.Iterable[dict[str, t.Any]] | None) -> list[str]:
    return [str(item["Id"]) for item in items or [] if isinstance(item, dict) and item.get("Id")]


def image_info_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    names = [str(n) for n in params.get("name") or [] if n]
    if names:
        return [cli("docker", "image", "inspect", *names)]
    actions = [cli("docker", "image", "ls", "--all" if params.get("all") else None, *filter_args(params.get("filters")), "--no-trunc")]
    ids = _ids(result.get("images"))
    if ids:
        actions.append(cli("docker", "image", "inspect", *ids))
    return actions


def network_info_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    name = params.get("name")
    if name:
        return [cli("docker", "network", "inspect", name)]
    actions = [cli("docker", "network", "ls", *filter_args(params.get("filters")), "--no-trunc")]
    ids = _ids(result.get("networks"))
    if ids and params.get("containers", True):
        actions.append(cli("docker", "network", "inspect", *ids))
    return actions


def volume_info_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    name = params.get("name")
    if name:
        # UsedBy: the containers that mount it.
        return [cli("docker", "volume", "inspect", name), cli("docker", "ps", "--all", "--filter", f"volume={name}")]
    return [cli("docker", "volume", "ls", *filter_args(params.get("filters"))), cli("docker", "ps", "--all", "--no-trunc")]


def host_info_actions(params: dict[str, t.Any]) -> list[str]:
    def filters(kind: str) -> list[str]:  # community.docker's <kind>_filters win over filters
        own = params.get(f"{kind}_filters")
        return filter_args(own if own is not None else params.get("filters"))

    actions = [cli("docker", "version"), cli("docker", "info")]
    if params.get("containers"):
        actions.append(cli("docker", "ps", "--all" if params.get("containers_all") else None, *filters("containers"), "--no-trunc"))
    if params.get("images"):
        actions.append(cli("docker", "image", "ls", *filters("images"), "--no-trunc"))
    if params.get("networks"):
        actions.append(cli("docker", "network", "ls", *filters("networks"), "--no-trunc"))
    if params.get("volumes"):
        actions.append(cli("docker", "volume", "ls", *filters("volumes")))
    if params.get("disk_usage"):
        actions.append(cli("docker", "system", "df", "--verbose"))
    return actions


def swarm_info_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    actions = [cli("docker", "info", "--format", "{{json .Swarm}}")]
    if result.get("is_manager") and params.get("join_tokens"):
        actions += [cli("docker", "swarm", "join-token", "-q", "worker"), cli("docker", "swarm", "join-token", "-q", "manager")]
    if params.get("nodes"):
        actions.append(cli("docker", "node", "ls", *filter_args(params.get("nodes_filters"), "nodes_filters")))
    if params.get("services"):
        actions.append(cli("docker", "service", "ls", *filter_args(params.get("services_filters"), "services_filters")))
    if params.get("tasks"):
        # The API lists the tasks of every service at once; the CLI needs the services named.
        argv = cli("docker", "service", "ps", "--no-trunc", *filter_args(params.get("tasks_filters"), "tasks_filters"))
        actions.append(argv + " $(docker service ls -q)")
    for kind in ("secret", "config"):
        if params.get(f"{kind}s"):
            actions.append(cli("docker", kind, "ls", *filter_args(params.get(f"{kind}s_filters"), f"{kind}s_filters")))
    return actions


_MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
)


def registry_info_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    """curl commands for the registry v2 API requests (the password is never shown: curl asks for it)."""
    url = str(result.get("url") or params.get("url") or "").rstrip("/")
    opts: list[str] = []
    if params.get("username"):
        opts += ["--user", str(params["username"])]
    if params.get("validate_certs") is False:
        opts.append("--insecure")
    elif params.get("ca_path"):
        opts += ["--cacert", str(params["ca_path"])]
    page = f"?n={params['page_size']}" if params.get("page_size") else ""
    repository = params.get("repository")
    if not repository:
        return [cli("curl", "--silent", *opts, f"{url}/v2/_catalog{page}")]
    actions = [cli("curl", "--silent", *opts, f"{url}/v2/{repository}/tags/list{page}")]
    if params.get("tag"):
        actions.append(
            cli("curl", "--silent", "--head", *opts, "--header", f"Accept: {_MANIFEST_TYPES}", f"{url}/v2/{repository}/manifests/{params['tag']}")
        )
    return actions
