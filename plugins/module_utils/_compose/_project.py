# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The loaded project, and the loader's entry: ``load_project()`` runs the stages in order
(read, interpolate, merge, validate, normalize) without a daemon; ``config_hash()`` is the
``com.docker.compose.config-hash`` label of a normalized service.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import interpolate, interpolate_model
from ansible_collections.devops.docker.plugins.module_utils._compose._documents import Documents
from ansible_collections.devops.docker.plugins.module_utils._compose._paths import resolve_document
from ansible_collections.devops.docker.plugins.module_utils._compose._files import check_file_refs, normalize_file_objects
from ansible_collections.devops.docker.plugins.module_utils._compose._refs import implied_dependencies
from ansible_collections.devops.docker.plugins.module_utils._compose._normalize import (
    normalize_networks,
    normalize_service,
    normalize_volumes,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._read import (
    find_files,
    load_yaml,
    project_environment,
    read_file,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import (
    ComposeError,
    TOP_KEYS,
    check_keys,
    check_supported,
    find_cycle,
    normalize_project_name,
)
from ansible_collections.devops.docker.plugins.module_utils._limits import relative_bind_warning


@dataclass
class Project:
    name: str
    working_dir: str
    config_files: list[str]
    services: dict[str, dict[str, t.Any]]
    networks: dict[str, dict[str, t.Any]]
    volumes: dict[str, dict[str, t.Any]]
    disabled: list[str] = field(default_factory=list)  # services left out by profiles
    secrets: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    configs: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # relative bind sources that climb out of the project

    def order(self, names: t.Iterable[str] | None = None) -> list[str]:
        """Services in start order (dependencies first), limited to names plus their dependencies."""
        wanted = set(self.services) if names is None else self.with_dependencies(names)
        ordered: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            for dep in sorted(self.services[name]["depends_on"]):
                visit(dep)
            ordered.append(name)

        for name in sorted(self.services):
            if name in wanted:
                visit(name)
        return [n for n in ordered if n in wanted]

    def with_dependencies(self, names: t.Iterable[str]) -> set[str]:
        result: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in result:
                continue
            if name not in self.services:
                raise ComposeError(
                    f"services: {name!r} is not a service of project {self.name!r}; "
                    f"known services: {', '.join(sorted(self.services)) or 'none'}."
                )
            result.add(name)
            stack.extend(self.services[name]["depends_on"])
        return result


def build_project(
    merged: dict[str, t.Any],
    project_dir: str,
    env: t.Mapping[str, str],
    project_name: str | None = None,
    config_files: list[str] | None = None,
    profiles: list[str] | None = None,
) -> Project:
    """Validate and normalize a merged, interpolated Compose document."""
    check_supported(merged)
    check_keys(merged, TOP_KEYS, "compose file")
    name_source = project_name or merged.get("name") or env.get("COMPOSE_PROJECT_NAME") or os.path.basename(os.path.abspath(project_dir))
    name = normalize_project_name(name_source)
    if not name:
        raise ComposeError(
            f"project name {name_source!r} has no usable character once normalized to [a-z0-9_-]; set project_name."
        )
    raw_services = merged.get("services") or {}
    if not isinstance(raw_services, dict) or not raw_services:
        raise ComposeError("compose file: no service is defined; add at least one under services:.")
    services = {}
    warnings: list[str] = []
    problems = []
    for sname, svc in raw_services.items():
        try:
            services[str(sname)] = normalize_service(str(sname), svc or {}, project_dir, env, warnings)
        except ComposeError as exc:
            problems.append(str(exc))
    if len(problems) == 1:
        raise ComposeError(problems[0])
    if problems:
        raise ComposeError(f"{len(problems)} services cannot be loaded: " + " ".join(problems))
    secrets = normalize_file_objects("secrets", merged.get("secrets"), env, name)
    configs = normalize_file_objects("configs", merged.get("configs"), env, name)
    active_profiles = set(profiles or [])
    disabled = sorted(s for s, svc in services.items() if svc["profiles"] and not active_profiles & set(svc["profiles"]))
    for sname in disabled:
        del services[sname]
    for sname, svc in services.items():
        implied_dependencies(sname, svc, services, disabled)
        check_file_refs(sname, svc, secrets, configs)
        for dep, cfg in list(svc["depends_on"].items()):
            if dep not in services:
                if dep in disabled and cfg["required"]:
                    # the specification: a model whose enabled service depends on a disabled one is invalid
                    wanted = (raw_services.get(dep) or {}).get("profiles") or []
                    raise ComposeError(
                        f"services.{sname}.depends_on: service {dep!r} is disabled by its profiles "
                        f"({', '.join(map(str, wanted))}); enable one of them (the profiles option or COMPOSE_PROFILES), "
                        "or write the dependency with required: false."
                    )
                if dep in disabled or not cfg["required"] and dep not in raw_services:
                    del svc["depends_on"][dep]
                    continue
                raise ComposeError(
                    f"services.{sname}.depends_on: service {dep!r} is not defined; "
                    f"defined services: {', '.join(sorted(services))}."
                )
    cycle = find_cycle(services)
    if cycle:
        raise ComposeError(f"services: dependency cycle {' -> '.join(cycle)}; remove one of these depends_on entries.")

    networks = normalize_networks(merged.get("networks") or None, name)
    volumes = normalize_volumes(merged.get("volumes") or None, name)

    for sname, svc in services.items():
        for net in svc["networks"]:
            if net not in networks:
                if net == "default":
                    networks["default"] = normalize_networks({"default": None}, name)["default"]
                else:
                    raise ComposeError(
                        f"services.{sname}.networks: network {net!r} is not declared; add it under the top-level networks:."
                    )
        for vol in svc["volumes"]:
            if vol["type"] == "volume" and vol["source"] and vol["source"] not in volumes:
                raise ComposeError(
                    f"services.{sname}.volumes: named volume {vol['source']!r} is not declared; add it under the "
                    "top-level volumes: (or write a path starting with / or ./ for a bind mount)."
                )
        check_mount_targets(sname, svc)
        ports_seen: dict[tuple[t.Any, ...], str] = {}
        for port in svc["ports"]:
            if port["published"] is None:
                continue
            key = (port["host_ip"], port["published"], port["protocol"])
            if key in ports_seen:
                raise ComposeError(f"services.{sname}.ports: host port {port['published']}/{port['protocol']} is published twice.")
            ports_seen[key] = sname
            first, _sep, last = str(port["published"]).partition("-")
            room = int(last or first) - int(first) + 1
            if svc["scale"] > room:  # a host range gives each replica a free port of it, as the CLI does
                raise ComposeError(
                    f"services.{sname}: scale {svc['scale']} with the fixed host port {port['published']} would conflict; "
                    "publish without a host port or use scale 1."
                )
    for sname, svc in raw_services.items():
        for index, entry in enumerate((svc or {}).get("volumes") or [] if isinstance(svc, dict) else []):
            source = entry.get("source") if isinstance(entry, dict) else str(entry).split(":", 1)[0]
            warning = relative_bind_warning(str(source or ""), project_dir, f"services.{sname}.volumes[{index}]")
            if warning:
                warnings.append(warning)
    return Project(
        warnings=warnings,
        name=name,
        working_dir=project_dir,
        config_files=list(config_files or []),
        services=services,
        networks=networks,
        volumes=volumes,
        disabled=disabled,
        secrets=secrets,
        configs=configs,
    )


def check_mount_targets(sname: str, svc: dict[str, t.Any]) -> None:
    """Two volumes (or a volume and a tmpfs) on one container path: the engine refuses the container, so the
    file is refused before anything is made, naming both sources."""
    seen: dict[str, str] = {}
    mounts = [(v["target"], v["source"] or f"an anonymous {v['type']}") for v in svc["volumes"]]
    mounts += [(str(entry).split(":", 1)[0], "a tmpfs") for entry in svc["tmpfs"]]
    for target, source in mounts:
        path = posixpath.normpath(target)
        if path in seen:
            raise ComposeError(
                f"services.{sname}.volumes: {path!r} is mounted twice ({seen[path]} and {source}); a container path "
                "takes one mount: remove one of them or give it another target."
            )
        seen[path] = str(source)


def load_project(
    project_src: str | None = None,
    files: list[str] | None = None,
    definition: dict[str, t.Any] | None = None,
    project_name: str | None = None,
    env: t.Mapping[str, t.Any] | None = None,
    env_files: list[str] | None = None,
    profiles: list[str] | None = None,
    os_env: t.Mapping[str, str] | None = None,
) -> Project:
    """Everything together: find/read/interpolate/include/extends/merge/validate/normalize.

    The variables the specification defines: ``COMPOSE_FILE`` (files, separated by ``COMPOSE_PATH_SEPARATOR``)
    and ``COMPOSE_PROFILES`` apply when files and profiles are not given; ``COMPOSE_PROJECT_NAME`` comes after
    project_name and before the top-level name, and is set for interpolation to the project's name.
    """
    os_env = dict(os.environ if os_env is None else os_env)
    if definition is not None and files:
        raise ComposeError("definition and files are mutually exclusive: give the project inline or as files.")
    project_dir = os.path.abspath(project_src) if project_src else None
    loader = Documents(os_env, env)
    if definition is not None:
        if not isinstance(definition, dict):
            raise ComposeError("definition: expected a mapping, the content of a Compose file.")
        project_dir = project_dir or os.getcwd()
        variables = project_environment(project_dir, os_env, env, env_files)
        raw_docs: list[tuple[str, dict[str, t.Any]]] = [("definition", definition)]
        config_files: list[str] = []
    else:
        if not files and project_dir:
            early = project_environment(project_dir, os_env, env, env_files)
            if early.get("COMPOSE_FILE"):
                files = [f for f in early["COMPOSE_FILE"].split(early.get("COMPOSE_PATH_SEPARATOR") or ":") if f]
        paths = find_files(project_src, files)
        project_dir = project_dir or os.path.dirname(paths[0])
        variables = project_environment(project_dir, os_env, env, env_files)
        raw_docs = [(path, load_yaml(read_file(path), path)) for path in paths]
        config_files = paths
    if profiles is None and variables.get("COMPOSE_PROFILES"):
        profiles = [p.strip() for p in variables["COMPOSE_PROFILES"].split(",") if p.strip()]
    name = project_name or variables.get("COMPOSE_PROJECT_NAME")
    if not name:
        for where, raw in raw_docs:
            if isinstance(raw.get("name"), str):
                name = interpolate(raw["name"], variables, f"{os.path.basename(where)}.name")
    name = name or os.path.basename(os.path.abspath(project_dir))
    variables = {**variables, "COMPOSE_PROJECT_NAME": normalize_project_name(name) or name}
    loader.project_name = variables["COMPOSE_PROJECT_NAME"]
    if definition is not None:
        loader.note_version(definition, "definition")
        loader.bind_warnings(definition, project_dir)
        docs = [("definition", resolve_document(project_dir, interpolate_model(definition, variables, "definition")))]
    else:
        docs = loader.main_documents(config_files, project_dir, variables)
    merged = loader.model(docs, project_dir, variables)
    project = build_project(merged, project_dir, variables, name, config_files, profiles)
    project.warnings.extend(loader.warnings)
    return project


def config_hash(service: dict[str, t.Any], extra: t.Any = None) -> str:
    """sha256 of the normalized service (plus what it resolves to), the com.docker.compose.config-hash label."""
    data = {k: v for k, v in service.items() if k not in ("scale", "profiles", "depends_on", "pull_policy")}
    data["depends_on"] = sorted(service.get("depends_on", {}))
    data["extra"] = extra
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
