# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 5: every service into one canonical shape (ports through the value layer's one grammar,
volumes, healthcheck, environment, resources...), and the project's networks and volumes.
"""

from __future__ import annotations

import os
import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._paths import is_remote
from ansible_collections.devops.docker.plugins.module_utils._compose._read import parse_env_file
from ansible_collections.devops.docker.plugins.module_utils._compose._service_keys import (
    limits_pids,
    normalize_service_keys,
    reservations,
    service_ref,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import (
    split_volume,
    CONDITIONS,
    BUILD_KEYS,
    ComposeError,
    DEPLOY_KEYS,
    OTHER_TOOLS,
    SERVICE_NETWORK_KEYS,
    SWARM_ONLY_DEPLOY,
    NETWORK_KEYS,
    RESTART_VALUES,
    SERVICE_KEYS,
    VOLUME_KEYS,
    boolean,
    check_keys,
    command_list,
    mapping,
    parse_duration,
    parse_size,
    scalar_str,
    named_mappings,
    string_list,
    string_map,
    top_objects,
    whole_number,
)
from ansible_collections.devops.docker.plugins.module_utils._limits import check_ports
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import binding_from_mapping
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_port as parse_port_spec
from ansible_collections.devops.docker.plugins.module_utils._values._ports import port_range


# ---------------------------------------------------------------- ports


def parse_port(value: t.Any, where: str) -> list[dict[str, t.Any]]:
    """One ports entry (short or long syntax) -> [{target, published, host_ip, protocol}], parsed by the
    value layer's one port grammar. ``published`` is the host port (an int), or for a host range given to one
    container port ('8000-8010:80') the range as text: the Engine binds the first free port of it, as with the CLI."""
    try:
        check_ports([value], where, limit_option=None)  # before expanding: '1-65535:1-65535' is refused at once
    except SpecError as exc:
        raise ComposeError(str(exc)) from None
    if isinstance(value, dict):
        check_keys(value, {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"}, where)
        if value.get("target") is None:
            raise ComposeError(f"{where}: the long port syntax needs target (the container port).")
        bindings = binding_from_mapping(value, where)
    else:
        bindings = parse_port_spec(value, where)
    return [
        {"target": b.container_port,
         "published": (int(b.host_port) if b.host_port.isdigit() else b.host_port) if b.host_port else None,
         "host_ip": b.host_ip or None, "protocol": b.protocol}
        for b in bindings
    ]


# ---------------------------------------------------------------- volumes
PROPAGATION = ("shared", "rshared", "slave", "rslave", "private", "rprivate")
VOLUME_FLAGS = ("ro", "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent") + PROPAGATION


def is_path(source: str) -> bool:
    return source.startswith(("/", ".", "~"))


def parse_volume(value: t.Any, where: str, project_dir: str) -> dict[str, t.Any]:
    """One volumes entry -> {type, source, target, read_only, ...}; bind paths absolute."""
    if isinstance(value, dict):
        check_keys(value, {"type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"}, where)
        if value.get("consistency") not in (None, "consistent", "cached", "delegated", "default"):
            raise ComposeError(f"{where}.consistency: {value['consistency']!r} must be consistent, cached or delegated.")
        vtype = value.get("type") or ("bind" if is_path(str(value.get("source") or "x")) else "volume")
        if vtype not in ("volume", "bind", "tmpfs"):
            raise ComposeError(f"{where}: volume type {vtype!r} is not supported; use volume, bind or tmpfs.")
        target = value.get("target")
        if not target or not str(target).startswith("/"):
            raise ComposeError(f"{where}: {value!r} needs target, an absolute path inside the container.")
        vol: dict[str, t.Any] = {
            "type": vtype,
            "source": scalar_str(value.get("source")) or None,
            "target": str(target),
            "read_only": boolean(value.get("read_only", False), where + ".read_only"),
        }
        if vtype == "bind":
            bind = value.get("bind") or {}
            check_keys(bind, {"create_host_path", "propagation", "selinux"}, where + ".bind")
            if not vol["source"]:
                raise ComposeError(f"{where}: a bind mount needs source, a host path.")
            vol["create_host_path"] = boolean(bind.get("create_host_path", True), where + ".bind.create_host_path")
            propagation = bind.get("propagation")
            if propagation is not None and propagation not in PROPAGATION:
                raise ComposeError(f"{where}.bind.propagation: {propagation!r} must be one of {', '.join(PROPAGATION)}.")
            selinux = bind.get("selinux")
            if selinux is not None and selinux not in ("z", "Z"):
                raise ComposeError(f"{where}.bind.selinux: {selinux!r} must be z (shared) or Z (private).")
            vol["propagation"] = propagation
            vol["selinux"] = selinux
        elif vtype == "volume":
            opts = value.get("volume") or {}
            check_keys(opts, {"nocopy", "subpath"}, where + ".volume")
            vol["nocopy"] = boolean(opts.get("nocopy", False), where + ".volume.nocopy")
            vol["subpath"] = scalar_str(opts.get("subpath"))
        else:
            opts = value.get("tmpfs") or {}
            check_keys(opts, {"size", "mode"}, where + ".tmpfs")
            if vol["source"]:
                raise ComposeError(f"{where}: a tmpfs mount has no source; remove it.")
            vol["size"] = parse_size(opts.get("size"), where + ".tmpfs.size")
            if opts.get("mode") is not None:
                mode = opts["mode"]
                if isinstance(mode, str) and re.fullmatch(r"0?[0-7]{1,4}", mode.strip()):
                    vol["mode"] = int(mode.strip(), 8)
                elif isinstance(mode, int) and not isinstance(mode, bool) and 0 <= mode <= 0o7777:
                    vol["mode"] = mode
                else:
                    raise ComposeError(f"{where}.tmpfs.mode: {mode!r} is not a file mode; write it in octal, like 1777.")
    else:
        if not isinstance(value, str) or not value.strip():
            raise ComposeError(f"{where}: {value!r} is not a volume; write [SOURCE:]TARGET[:ro|rw].")
        parts = split_volume(value.strip())
        if len(parts) > 1 and "" in parts[:2]:
            # ':/media' (what '${MEDIA_PATH}:/media' gives when MEDIA_PATH is not set): the CLI refuses it too
            raise ComposeError(
                f"{where}: {value!r} has an empty section between colons (a variable that is not set?); write "
                "SOURCE:TARGET with both parts, or TARGET alone for an anonymous volume."
            )
        mode = ""
        if len(parts) == 3:
            source, target, mode = parts
        elif len(parts) == 2:
            if parts[0].startswith("/") and all(f in VOLUME_FLAGS for f in parts[1].split(",")):
                source, target, mode = "", parts[0], parts[1]
            else:
                source, target = parts
        elif len(parts) == 1:
            source, target = "", parts[0]
        else:
            raise ComposeError(f"{where}: {value!r} is not a volume; write [SOURCE:]TARGET[:ro|rw].")
        flags = [f for f in mode.split(",") if f]
        for flag in flags:
            if flag not in VOLUME_FLAGS:
                raise ComposeError(f"{where}: unknown volume mode {flag!r} in {value!r}; use ro or rw.")
        if not target.startswith("/"):
            raise ComposeError(f"{where}: the target of {value!r} must be an absolute path inside the container.")
        vtype = "bind" if source and is_path(source) else "volume"
        vol = {"type": vtype, "source": source or None, "target": target, "read_only": "ro" in flags}
        if vtype == "bind":
            vol["create_host_path"] = True
            vol["selinux"] = "Z" if "Z" in flags else "z" if "z" in flags else None
            vol["propagation"] = next((f for f in flags if f in PROPAGATION), None)
        else:
            vol["nocopy"] = "nocopy" in flags
    for key in ("selinux", "propagation", "subpath"):
        if vol.get(key) is None:
            vol.pop(key, None)
    if vol["type"] == "bind":
        src = os.path.expanduser(vol["source"])
        vol["source"] = os.path.normpath(os.path.join(project_dir, src))
    return vol


# ---------------------------------------------------------------- service
def service_healthcheck(value: t.Any, where: str) -> dict[str, t.Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ComposeError(f"{where}: healthcheck must be a mapping with test, interval, timeout, retries, start_period.")
    check_keys(value, {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}, where)
    if boolean(value.get("disable", False), where + ".disable"):
        return {"disable": True}
    test = value.get("test")
    if test is None:
        test_list = None
    elif isinstance(test, str):
        test_list = ["CMD-SHELL", test]
    else:
        test_list = command_list(test, where + ".test")
        if test_list and test_list[0] == "NONE":
            return {"disable": True}
        if test_list and test_list[0] not in ("CMD", "CMD-SHELL"):
            raise ComposeError(f"{where}.test: a list test must start with CMD, CMD-SHELL or NONE, got {test!r}.")
    retries = value.get("retries")
    if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        raise ComposeError(f"{where}.retries: expected a non-negative integer, got {retries!r}.")
    check = {
        "test": test_list,
        "interval": parse_duration(value.get("interval"), where + ".interval"),
        "timeout": parse_duration(value.get("timeout"), where + ".timeout"),
        "retries": retries,
        "start_period": parse_duration(value.get("start_period"), where + ".start_period"),
    }
    if value.get("start_interval") is not None:
        check["start_interval"] = parse_duration(value["start_interval"], where + ".start_interval")
    if all(v is None for v in check.values()):
        return None  # 'healthcheck: {disable: false}' (immich writes it) sets nothing: the image's own check runs
    return check


def read_env_files(files: list[str], project_dir: str, env: t.Mapping[str, str], where: str,
                   raw: set[str] | None = None) -> tuple[list[str], dict[str, str]]:
    paths, values = [], {}
    for item in files:
        path = os.path.normpath(os.path.join(project_dir, os.path.expanduser(item)))
        paths.append(path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ComposeError(f"{where}: cannot read env_file {path}: {exc.strerror or exc}. Create it or remove it from env_file.") from exc
        values.update(parse_raw_env_file(text, env) if path in (raw or ()) else parse_env_file(text, env, path))
    return paths, values


def parse_raw_env_file(text: str, env: t.Mapping[str, str]) -> dict[str, str]:
    """An env_file of ``format: raw``: KEY=VALUE lines whose values are taken as written (no quotes removed, nothing
    interpolated); blank lines and lines starting with '#' are skipped; a bare KEY takes the environment's value."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if sep:
            values[key] = value
        elif key in env:
            values[key] = env[key]
    return values


def build_tags(value: t.Any, where: str) -> list[str]:
    """build.tags: more names for the built image (docker build -t each), checked as image names."""
    from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name  # pylint: disable=import-outside-toplevel

    tags = []
    for index, tag in enumerate(string_list(value, where)):
        try:
            name = parse_image_name(tag, f"{where}[{index}]")
        except SpecError as exc:
            raise ComposeError(str(exc)) from None
        if name.digest:
            raise ComposeError(f"{where}[{index}]: {tag!r} has a digest; a tag is 'repository[:tag]'.")
        if tag not in tags:
            tags.append(tag)
    return tags


def cache_image(value: str) -> str | None:
    """A build.cache_from entry as the classic builder reads it: an image name (``type=registry,ref=NAME`` is the
    same image); other cache types are BuildKit's (``unsupported_keys`` names them) and give None."""
    if "type=" not in value and "," not in value:
        return value
    fields = dict(part.partition("=")[::2] for part in value.split(","))
    return fields.get("ref") if fields.get("type", "registry") == "registry" else None


def build_args(args: dict[str, t.Any], env: t.Mapping[str, str]) -> dict[str, str]:
    """build.args: a value-less arg takes its value from the environment, or is left out."""
    result = {}
    for key, value in sorted(args.items()):
        if value is None:
            if key in env:
                result[str(key)] = env[key]
        else:
            result[str(key)] = scalar_str(value) or ""
    return result


def normalize_service(
    name: str, svc: dict[str, t.Any], project_dir: str, env: t.Mapping[str, str], warnings: list[str] | None = None
) -> dict[str, t.Any]:
    where = f"services.{name}"
    warnings = [] if warnings is None else warnings
    if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", name):
        raise ComposeError(f"{where}: invalid service name {name!r}; use letters, digits, '_', '.' and '-'.")
    check_keys(svc, SERVICE_KEYS, where)
    out: dict[str, t.Any] = {"name": name}

    image = svc.get("image")
    if image is not None and (not isinstance(image, str) or not image.strip()):
        raise ComposeError(f"{where}.image: expected an image name like 'busybox:latest', got {image!r}.")
    out["image"] = image
    build = svc.get("build")
    if build is not None:
        if isinstance(build, str):
            build = {"context": build}
        if not isinstance(build, dict):
            raise ComposeError(f"{where}.build: expected a path or a mapping with context, dockerfile, args, target.")
        check_keys(build, BUILD_KEYS, where + ".build")
        context_text = str(build.get("context") or ".")
        remote = context_text if is_remote(context_text) else None
        context = remote or os.path.normpath(os.path.join(project_dir, os.path.expanduser(context_text)))
        args = mapping("environment", build.get("args"), where + ".build")
        inline = build.get("dockerfile_inline")
        if inline is not None and build.get("dockerfile"):
            raise ComposeError(f"{where}.build: dockerfile and dockerfile_inline cannot both be set; keep one of them.")
        out["build"] = {
            "remote": remote,
            "dockerfile_inline": None if inline is None else str(inline),
            "shm_size": scalar_str(build.get("shm_size")),
            "context": context,
            "dockerfile": scalar_str(build.get("dockerfile")) or "Dockerfile",
            "args": build_args(args, env),
            "target": scalar_str(build.get("target")),
            "labels": {k: scalar_str(v) or "" for k, v in mapping("labels", build.get("labels"), where + ".build").items()},
            "network": scalar_str(build.get("network")),
            "no_cache": boolean(build.get("no_cache", False), where + ".build.no_cache"),
            "pull": boolean(build.get("pull", False), where + ".build.pull"),
        }
        more = {
            "tags": build_tags(build.get("tags"), where + ".build.tags"),
            "cache_from": [ref for ref in map(cache_image, string_list(build.get("cache_from"), where + ".build.cache_from")) if ref],
            "extra_hosts": {str(h): host_address(ip) for h, ip in mapping("extra_hosts", build.get("extra_hosts"), where + ".build").items()},
        }
        # only when set: a project written before these keys keeps its config hash (and its containers)
        out["build"].update({k: v for k, v in more.items() if v})
    else:
        out["build"] = None
    if not out["image"] and not out["build"]:
        raise ComposeError(f"{where}: a service needs image or build (or both).")
    out["pull_policy"], out["pull_every"] = pull_policy(svc.get("pull_policy"), where + ".pull_policy")

    out["command"] = command_list(svc.get("command"), where + ".command")
    out["entrypoint"] = command_list(svc.get("entrypoint"), where + ".entrypoint")

    raw: set[str] = set()
    entries = env_file_entries(svc.get("env_file"), where, raw)
    out["env_file"], file_env = read_env_files(entries, project_dir, env, where, raw)
    environment: dict[str, str] = dict(file_env)
    for key, value in mapping("environment", svc.get("environment"), where).items():
        if value is None:
            if key in env:
                environment[str(key)] = env[key]
            else:
                environment.pop(str(key), None)
        else:
            environment[str(key)] = scalar_str(value) or ""
    out["environment"] = environment

    ports: list[dict[str, t.Any]] = []
    raw_ports = svc.get("ports") or []
    if not isinstance(raw_ports, list):
        raise ComposeError(f"{where}.ports: expected a list of ports.")
    for i, port in enumerate(raw_ports):
        for item in parse_port(port, f"{where}.ports[{i}]"):
            if item not in ports:
                ports.append(item)
    out["ports"] = ports
    expose = []
    for item in string_list(svc.get("expose"), where + ".expose"):
        port_text, _sep, proto = item.partition("/")
        low, high = port_range(port_text, item, where + ".expose")
        for port in range(low, high + 1):
            expose.append(f"{port}/{proto or 'tcp'}")
    out["expose"] = expose

    raw_volumes = svc.get("volumes") or []
    if not isinstance(raw_volumes, list):
        raise ComposeError(f"{where}.volumes: expected a list of volumes.")
    out["volumes"] = [parse_volume(v, f"{where}.volumes[{i}]", project_dir) for i, v in enumerate(raw_volumes)]
    out["tmpfs"] = string_list(svc.get("tmpfs"), where + ".tmpfs")

    network_mode = svc.get("network_mode")
    if network_mode is not None and not isinstance(network_mode, str):
        raise ComposeError(f"{where}.network_mode: expected a string like 'host', 'none' or 'service:NAME'.")
    out["network_mode"] = network_mode
    networks: dict[str, dict[str, t.Any]] = {}
    for net, at, cfg in named_mappings("networks", svc.get("networks"), where, SERVICE_NETWORK_KEYS, "aliases, ipv4_address..."):
        networks[net] = {
            "aliases": string_list(cfg.get("aliases"), at + ".aliases"),
            "ipv4_address": scalar_str(cfg.get("ipv4_address")),
        }
        extra = {
            "ipv6_address": scalar_str(cfg.get("ipv6_address")),
            "link_local_ips": string_list(cfg.get("link_local_ips"), at + ".link_local_ips"),
            "mac_address": scalar_str(cfg.get("mac_address")),
            "driver_opts": string_map(cfg.get("driver_opts"), at + ".driver_opts") or None,
            "gw_priority": whole_number(cfg["gw_priority"], at + ".gw_priority") if cfg.get("gw_priority") is not None else None,
            "priority": whole_number(cfg.get("priority") or 0, at + ".priority"),
        }
        networks[net].update({k: v for k, v in extra.items() if v})
    if network_mode and networks:
        raise ComposeError(f"{where}: network_mode and networks cannot both be set; keep one of them.")
    if not network_mode and not networks:
        networks = {"default": {"aliases": [], "ipv4_address": None}}
    out["networks"] = networks

    depends: dict[str, dict[str, t.Any]] = {}
    for dep, at, cfg in named_mappings("depends_on", svc.get("depends_on"), where, {"condition", "restart", "required"},
                                       "condition, restart, required"):
        condition = cfg.get("condition", "service_started")
        if condition not in CONDITIONS:
            raise ComposeError(
                f"{at}.condition: {condition!r} must be service_started, service_healthy "
                "or service_completed_successfully."
            )
        depends[str(dep)] = {
            "condition": condition,
            "required": boolean(cfg.get("required", True), where + ".required"),
            "restart": boolean(cfg.get("restart", False), where + ".restart"),
        }
    out["depends_on"] = depends

    out["healthcheck"] = service_healthcheck(svc.get("healthcheck"), where + ".healthcheck")
    restart = svc.get("restart")
    if restart is not None:
        restart = str(restart) if restart is not False else "no"
        base, _sep, count = restart.partition(":")
        if base not in RESTART_VALUES or count and (base != "on-failure" or not count.isdigit()):
            raise ComposeError(f"{where}.restart: {restart!r} must be no, always, on-failure[:N] or unless-stopped.")
    out["restart"] = restart
    labels: dict[str, str] = {}
    raw = set()
    for path in env_file_entries(svc.get("label_file"), where + ".label_file", raw):
        _paths, file_labels = read_env_files([path], project_dir, {}, where + ".label_file", raw)
        labels.update(file_labels)
    labels.update({str(k): scalar_str(v) or "" for k, v in mapping("labels", svc.get("labels"), where).items()})
    out["labels"] = labels
    for key in ("container_name", "hostname", "user", "working_dir", "stop_signal"):
        value = svc.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise ComposeError(f"{where}.{key}: expected a string, got {value!r}.")
        out[key] = scalar_str(value)
    if out["container_name"] and not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", out["container_name"]):
        raise ComposeError(f"{where}.container_name: {out['container_name']!r} is not a valid container name.")
    out["cap_add"] = sorted(set(string_list(svc.get("cap_add"), where + ".cap_add")))
    out["cap_drop"] = sorted(set(string_list(svc.get("cap_drop"), where + ".cap_drop")))
    for key in ("privileged", "read_only", "tty", "stdin_open"):
        out[key] = boolean(svc.get(key, False), f"{where}.{key}")
    out["init"] = None if svc.get("init") is None else boolean(svc.get("init"), where + ".init")
    hosts = mapping("extra_hosts", svc.get("extra_hosts"), where)
    out["extra_hosts"] = [f"{host}:{host_address(ip)}" for host, ip in sorted(hosts.items())]
    logging = svc.get("logging")
    if logging is not None:
        if not isinstance(logging, dict):
            raise ComposeError(f"{where}.logging: expected a mapping with driver and options.")
        check_keys(logging, {"driver", "options"}, where + ".logging")
        options = logging.get("options") or {}
        if not isinstance(options, dict):
            raise ComposeError(f"{where}.logging.options: expected a mapping.")
        logging = {"driver": scalar_str(logging.get("driver")), "options": {k: scalar_str(v) for k, v in options.items()}}
    out["logging"] = logging
    out["stop_grace_period"] = parse_duration(svc.get("stop_grace_period"), where + ".stop_grace_period")

    memory = parse_size(svc.get("mem_limit"), where + ".mem_limit")
    cpus = svc.get("cpus")
    replicas = None
    deploy = svc.get("deploy")
    if deploy is not None:
        if not isinstance(deploy, dict):
            raise ComposeError(f"{where}.deploy: expected a mapping.")
        check_keys(deploy, DEPLOY_KEYS, where + ".deploy")
        swarm_only = sorted(k for k in SWARM_ONLY_DEPLOY & set(deploy) if deploy[k] and not (k == "mode" and deploy[k] == "replicated"))
        if swarm_only:
            warnings.append(
                f"{where}.deploy: {', '.join(swarm_only)} are read by a Swarm scheduler only; one Docker Engine has no "
                "setting for them, so they are ignored, as docker compose does (deploy the file as a stack to use them)."
            )
        replicas = deploy.get("replicas")
        resources = deploy.get("resources") or {}
        check_keys(resources, {"limits", "reservations"}, where + ".deploy.resources")
        limits = resources.get("limits") or {}
        check_keys(limits, {"memory", "cpus", "pids"}, where + ".deploy.resources.limits")
        if limits.get("memory") is not None:
            limit = parse_size(limits["memory"], where + ".deploy.resources.limits.memory")
            if memory is not None and memory != limit:
                raise distinct_values(where, "mem_limit", "deploy.resources.limits.memory")
            memory = limit
        if limits.get("cpus") is not None:
            if cpus is not None and _number(cpus) != _number(limits["cpus"]):
                raise distinct_values(where, "cpus", "deploy.resources.limits.cpus")
            cpus = limits["cpus"]
        policy = deploy.get("restart_policy") or {}
        check_keys(policy, {"condition", "max_attempts", "delay", "window"}, where + ".deploy.restart_policy")
        if policy.get("delay") is not None or policy.get("window") is not None:
            warnings.append(f"{where}.deploy.restart_policy: delay and window are Swarm settings; the engine's restart "
                            "policy has none, so they are ignored, as docker compose does.")
        if policy and out["restart"] is None:
            cond = {"none": "no", "on-failure": "on-failure", "any": "always"}.get(policy.get("condition", "any"))
            if cond is None:
                raise ComposeError(f"{where}.deploy.restart_policy.condition must be none, on-failure or any.")
            if cond == "on-failure" and policy.get("max_attempts"):
                cond += f":{int(policy['max_attempts'])}"
            out["restart"] = cond
    out["memory"] = memory
    if cpus is not None:
        try:
            cpus = float(cpus)
        except (TypeError, ValueError) as exc:
            raise ComposeError(f"{where}: cpus {cpus!r} must be a number like 0.5.") from exc
        if cpus <= 0:
            raise ComposeError(f"{where}: cpus {cpus!r} must be greater than 0.")
    out["cpus"] = cpus
    scale = svc.get("scale")
    if scale is not None and replicas is not None and scale != replicas:
        raise ComposeError(f"{where}: scale ({scale}) and deploy.replicas ({replicas}) disagree; keep one of them.")
    scale = scale if scale is not None else replicas
    if scale is None:
        scale = 1
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 0:
        raise ComposeError(f"{where}: scale / deploy.replicas must be a non-negative integer, got {scale!r}.")
    if scale > 1 and out["container_name"]:
        raise ComposeError(f"{where}: container_name {out['container_name']!r} allows only one container, but scale is {scale}.")
    out["scale"] = scale
    out["profiles"] = string_list(svc.get("profiles"), where + ".profiles")
    normalize_service_keys(svc, where, out)
    if deploy:
        resources = deploy.get("resources") or {}
        reservations(resources, where + ".deploy.resources.reservations", out, warnings)
        limits_pids(resources.get("limits") or {}, where + ".deploy.resources.limits", out)
    if out["network_mode"] and service_ref(out["network_mode"]):
        out["refs"]["network_mode"] = service_ref(out["network_mode"])
    if out["network_mode"] not in (None, "bridge", "default") and (out["refs"].get("links") or out["refs"].get("external_links")):
        # the engine refuses links on a container that has another's network, or the host's, or none
        raise ComposeError(
            f"{where}: links need a network of the container's own, and network_mode is {out['network_mode']!r}; "
            "remove links/external_links (the containers sharing a network reach each other by name) or network_mode."
        )
    out["secrets"] = file_refs(svc.get("secrets"), "secrets", where)
    out["configs"] = file_refs(svc.get("configs"), "configs", where)
    for key, tool in OTHER_TOOLS.items():
        if svc.get(key) is not None:
            warnings.append(f"{where}.{key} is for {tool}; devops.docker.compose accepts it and does not apply it.")
    return out


def host_address(ip: t.Any) -> str:
    """An extra_hosts address: '[2001:db8::1]' (the bracketed form the spec allows) is sent without brackets, as the
    docker CLI does; the engine writes it to /etc/hosts as it is."""
    text = str(ip).strip()
    return text[1:-1] if len(text) > 2 and text[0] == "[" and text[-1] == "]" else text


def distinct_values(where: str, key: str, deploy_key: str) -> ComposeError:
    """Two spellings of one setting with different values: refused, as the Compose CLI does."""
    return ComposeError(f"{where}: {key} and {deploy_key} are one setting with distinct values here; keep one of them.")


def _number(value: t.Any) -> t.Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def pull_policy(value: t.Any, where: str) -> tuple[str | None, float | None]:
    """pull_policy -> (always|never|missing|build|None, seconds between pulls for daily/weekly/every_<duration>)."""
    if value is None:
        return None, None
    text = str(value)
    if text in ("always", "never", "missing", "build"):
        return text, None
    if text == "if_not_present":
        return "missing", None
    every = {"daily": 86400.0, "weekly": 7 * 86400.0}.get(text)
    if every is None and text.startswith("every_"):
        spec = text[len("every_"):]
        if re.fullmatch(r"\d+", spec):
            spec += "s"
        if re.fullmatch(r"(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?", spec) and spec:
            units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
            every = float(sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([wdhms])", spec)))
    if not every:
        raise ComposeError(
            f"{where}: {text!r} must be always, never, missing, if_not_present, build, daily, weekly or "
            "every_<duration> (like every_12h)."
        )
    return "every", every


def env_file_entries(value: t.Any, where: str, raw: set[str] | None = None) -> list[str]:
    """env_file / label_file: a path, a list of paths, or of {path, required, format}; files not required and
    missing are left out; the paths of ``format: raw`` entries are added to ``raw``."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            check_keys(item, {"path", "required", "format"}, f"{where}[{i}]")
            if item.get("format") not in (None, "raw", "dotenv"):
                raise ComposeError(f"{where}[{i}].format: {item['format']!r} is not supported; use the dotenv format.")
            path = scalar_str(item.get("path"))
            if not path:
                raise ComposeError(f"{where}[{i}]: path is required.")
            if not boolean(item.get("required", True), f"{where}[{i}].required") and not os.path.exists(path):
                continue
            if item.get("format") == "raw" and raw is not None:
                raw.add(os.path.normpath(os.path.expanduser(path)))
            out.append(path)
        elif isinstance(item, str):
            out.append(item)
        else:
            raise ComposeError(f"{where}[{i}]: expected a path or {{path, required}}, got {item!r}.")
    return out


def file_refs(value: t.Any, kind: str, where: str) -> list[dict[str, t.Any]]:
    """A service's secrets/configs: short (the name) or long {source, target, uid, gid, mode}."""
    refs = []
    if value is not None and not isinstance(value, list):
        raise ComposeError(f"{where}.{kind}: expected a list of names or of mappings with source (and target, uid, gid, "
                           f"mode), got {value!r}.")
    for i, item in enumerate(value or []):
        at = f"{where}.{kind}[{i}]"
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, dict) or not item.get("source"):
            raise ComposeError(f"{at}: expected a name or a mapping with source (and target, uid, gid, mode).")
        check_keys(item, {"source", "target", "uid", "gid", "mode"}, at)
        source = str(item["source"])
        target = scalar_str(item.get("target"))
        if kind == "secrets":
            target = target if target and target.startswith("/") else f"/run/secrets/{target or source}"
        else:
            target = target or f"/{source}"
        mode = item.get("mode")
        if isinstance(mode, str):
            try:
                mode = int(mode, 8)
            except ValueError:
                raise ComposeError(f"{at}.mode: {mode!r} is not an octal file mode like 0440.") from None
        refs.append({
            "source": source,
            "target": target,
            "uid": None if item.get("uid") is None else str(item["uid"]),
            "gid": None if item.get("gid") is None else str(item["gid"]),
            "mode": 0o444 if mode is None else int(mode),
        })
    return refs


def normalize_networks(raw: t.Any, project: str) -> dict[str, dict[str, t.Any]]:
    """The top-level networks: {key: {name, external, driver, driver_opts, ipam, internal, attachable, ...}}."""
    out = {}
    for key, where, cfg, external in top_objects("networks", raw, NETWORK_KEYS, "driver, ipam, external, name..."):
        ipam = cfg.get("ipam") or {}
        if not isinstance(ipam, dict):
            raise ComposeError(f"{where}.ipam: expected a mapping with driver and config.")
        check_keys(ipam, {"driver", "config", "options"}, where + ".ipam")
        pools = []
        for i, pool in enumerate(ipam.get("config") or []):
            if not isinstance(pool, dict):
                raise ComposeError(f"{where}.ipam.config[{i}]: expected a mapping with subnet, gateway, ip_range.")
            check_keys(pool, {"subnet", "gateway", "ip_range", "aux_addresses"}, f"{where}.ipam.config[{i}]")
            pools.append({k: pool[k] for k in ("subnet", "gateway", "ip_range", "aux_addresses") if pool.get(k) is not None})
        if external and any(cfg.get(k) for k in ("driver", "driver_opts", "ipam", "internal", "labels")):
            raise ComposeError(f"{where}: an external network is created elsewhere; remove driver, driver_opts, ipam, internal and labels.")
        out[key] = {
            **_object_common(key, where, cfg, external, project, "bridge"),
            "ipam": {"driver": ipam.get("driver") or "default", "config": pools, "options": ipam.get("options") or {}},
            "internal": boolean(cfg.get("internal", False), where + ".internal"),
            # an overlay network is attachable unless the file says otherwise, as the Compose CLI makes it
            "attachable": boolean(cfg.get("attachable", cfg.get("driver") == "overlay"), where + ".attachable"),
            "enable_ipv6": boolean(cfg.get("enable_ipv6", False), where + ".enable_ipv6"),
        }
    return out


def normalize_volumes(raw: t.Any, project: str) -> dict[str, dict[str, t.Any]]:
    """The top-level volumes: {key: {name, external, driver, driver_opts, labels}}."""
    out = {}
    for key, where, cfg, external in top_objects("volumes", raw, VOLUME_KEYS, "driver, driver_opts, external, name..."):
        if external and any(cfg.get(k) for k in ("driver", "driver_opts", "labels")):
            raise ComposeError(f"{where}: an external volume is created elsewhere; remove driver, driver_opts and labels.")
        out[key] = _object_common(key, where, cfg, external, project, "local")
    return out


def _object_common(key: str, where: str, cfg: dict[str, t.Any], external: bool, project: str, driver: str) -> dict[str, t.Any]:
    """What a network and a volume have alike: the engine name (external: as written, else PROJECT_KEY), driver,
    driver_opts and labels."""
    return {
        "key": key,
        "name": str(cfg.get("name") or (key if external else f"{project}_{key}")),
        "external": external,
        "driver": cfg.get("driver") or driver,
        "driver_opts": string_map(cfg.get("driver_opts"), where + ".driver_opts"),
        "labels": {str(k): scalar_str(v) or "" for k, v in mapping("labels", cfg.get("labels"), where).items()},
    }
