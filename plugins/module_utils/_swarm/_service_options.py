# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service options of community.docker's ``docker_swarm_service`` beyond the basic ones.

Each parser reads one task option and returns *rows*: ``Row(name, path, value,
norm, cli)``, one leaf of the service spec (``path`` below the spec), the wanted
value in the API's shape (None: not managed), how both sides are normalised
before they are compared, and the ``docker service create`` flags.  The
service table turns each row into an option of the engine (``path_option``).

Secrets and configs are resolved by name or ID on the manager (their IDs are
what the spec holds); ``registry_auth`` builds the ``X-Registry-Auth`` header
of ``with_registry_auth`` from the credentials ``devops.docker.login`` stored.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._env import read_env_file
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import capabilities, signal_name
from ansible_collections.devops.docker.plugins.module_utils._values._text import check_keys, string_map, whole_number
from ansible_collections.devops.docker.plugins.module_utils._values._units import duration_to_ns

CS = ("TaskTemplate", "ContainerSpec")
ROLLBACK_FAILURE_ACTIONS = ("pause", "continue")
UPDATE_FAILURE_ACTIONS = ("pause", "continue", "rollback")
UPDATE_ORDERS = ("stop-first", "start-first")
PLACEHOLDER_ID = "(created by an earlier task)"


@dataclass(frozen=True)
class Row:
    """One leaf of the service spec a task option manages."""

    name: str
    path: tuple[str, ...]
    value: t.Any
    norm: t.Callable[[t.Any], t.Any]
    cli: tuple[str, ...] = ()


def _plain(value: t.Any) -> t.Any:
    return value if value not in ([], {}, "") else None


def _unordered(value: t.Any) -> t.Any:
    return sorted(str(v) for v in value) if value else None


def _bool(value: t.Any) -> t.Any:
    return bool(value)


# ---------------------------------------------------------------- secrets and configs
@dataclass(frozen=True)
class FileKind:
    name: str  # secret / config
    endpoint: str
    list_key: str  # Secrets / Configs
    id_key: str  # SecretID / ConfigID
    name_key: str  # SecretName / ConfigName
    default_dir: str  # where a relative filename lands (secrets: /run/secrets; configs: /)


SECRET_FILES = FileKind("secret", "/secrets", "Secrets", "SecretID", "SecretName", "/run/secrets")
CONFIG_FILES = FileKind("config", "/configs", "Configs", "ConfigID", "ConfigName", "/")


def _mode(value: t.Any, option: str) -> int:
    """0o444, 292, '0444' or '444' -> 292 (a file mode)."""
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a file mode; write it like '0440'.")
    if isinstance(value, int):
        mode = value
    else:
        text = str(value).strip()
        try:
            mode = int(text, 8)
        except ValueError:
            raise SpecError(f"{option}: {value!r} is not a file mode; write it in octal, like '0440'.") from None
    if not 0 <= mode <= 0o7777:
        raise SpecError(f"{option}: {value!r} is not a file mode between 0000 and 7777 (octal).")
    return mode


def parse_file_refs(value: t.Any, kind: FileKind, option: str) -> list[dict[str, t.Any]] | None:
    """secrets/configs: names, or {secret_name|secret_id, filename, uid, gid, mode} -> normalised references.

    ``name``/``id``: how the object is found; ``file``: the target path (a relative filename of a secret lands in
    /run/secrets, of a config in /), ``uid``/``gid`` strings, ``mode`` an int (default 0o444)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise SpecError(f"{option}: write a list of {kind.name} names or mappings with {kind.name}_name and filename.")
    out = []
    targets = set()
    for i, item in enumerate(value):
        where = f"{option}[{i}]"
        if isinstance(item, str):
            item = {f"{kind.name}_name": item}
        spec = check_keys(item, {f"{kind.name}_name", f"{kind.name}_id", "filename", "uid", "gid", "mode", "source", "target"},
                          where)
        name = spec.get(f"{kind.name}_name") or spec.get("source")
        ident = spec.get(f"{kind.name}_id")
        if not name and not ident:
            raise SpecError(f"{where}: give {kind.name}_name (or {kind.name}_id), the {kind.name} to use.")
        filename = spec.get("filename") or spec.get("target") or name or ident
        filename = str(filename)
        if kind.name == "config" and not filename.startswith("/"):
            filename = "/" + filename
        if filename in targets:
            raise SpecError(f"{where}: {filename} is the target of two {kind.name}s; give each its own filename.")
        targets.add(filename)
        out.append({
            "name": str(name) if name else None,
            "id": str(ident) if ident else None,
            "file": filename,
            "uid": str(spec.get("uid") if spec.get("uid") is not None else "0"),
            "gid": str(spec.get("gid") if spec.get("gid") is not None else "0"),
            "mode": _mode(spec["mode"], f"{where}.mode") if spec.get("mode") is not None else 0o444,
        })
    return out


def resolve_file_refs(api: t.Any, refs: list[dict[str, t.Any]], kind: FileKind, service: str,
                      check_mode: bool = False, warn: t.Callable[[str], None] | None = None) -> list[dict[str, t.Any]]:
    """References -> the spec's Secrets/Configs entries; each object must exist on the manager.

    In check mode an object that does not exist yet (an earlier task of the same run would create it) gets a
    placeholder ID and a warning instead of an error."""
    out = []
    for ref in refs:
        wanted = ref["id"] or ref["name"]
        found = api.get_or_none(api.url(kind.endpoint + "/{0}", wanted))
        if found is None or (ref["name"] and ref["id"] and (found.get("Spec") or {}).get("Name") != ref["name"]):
            if check_mode and found is None:
                if warn:
                    warn(f"{kind.name} {wanted} does not exist (yet); in a real run the service {service} needs it.")
                ident, name = PLACEHOLDER_ID, ref["name"] or wanted
            else:
                raise DockerError(
                    f"{kind.name}s: {kind.name} {wanted} does not exist on this manager; create it first with "
                    f"devops.docker.{kind.name}. Service {service} was not changed."
                )
        else:
            ident, name = found["ID"], (found.get("Spec") or {}).get("Name")
        out.append({
            kind.id_key: ident,
            kind.name_key: name,
            "File": {"Name": ref["file"], "UID": ref["uid"], "GID": ref["gid"], "Mode": ref["mode"]},
        })
    return out


def norm_file_refs(value: t.Any) -> t.Any:
    """Secrets/Configs compared as a set of (id, name, file, uid, gid, mode)."""
    if not value:
        return None
    out = []
    for ref in value:
        ident = ref.get("SecretID") or ref.get("ConfigID")
        name = ref.get("SecretName") or ref.get("ConfigName")
        f = ref.get("File") or {}
        out.append((str(ident), str(name), str(f.get("Name")), str(f.get("UID", "0")), str(f.get("GID", "0")),
                    int(f.get("Mode", 0o444))))
    return sorted(out)


def file_ref_cli(entry: dict[str, t.Any], kind: FileKind) -> str:
    f = entry["File"]
    return (f"source={entry[kind.name_key]},target={f['Name']},uid={f['UID']},gid={f['GID']},mode={f['Mode']:04o}")


def file_ref_rows(api: t.Any, p: dict[str, t.Any], service: str, check_mode: bool,
                  warn: t.Callable[[str], None] | None = None) -> list[Row]:
    rows = []
    for kind, option in ((SECRET_FILES, "secrets"), (CONFIG_FILES, "configs")):
        refs = parse_file_refs(p.get(option), kind, option)
        if refs is None:
            continue
        entries = resolve_file_refs(api, refs, kind, service, check_mode, warn)
        rows.append(Row(option, CS + (kind.list_key,), entries, norm_file_refs,
                        tuple(x for e in entries for x in (f"--{kind.name}", file_ref_cli(e, kind)))))
    return rows


# ---------------------------------------------------------------- the rest of docker_swarm_service
def _update_like(value: t.Any, option: str, key: str, failure_actions: tuple[str, ...], flag: str) -> list[Row]:
    spec = check_keys(value, {"parallelism", "delay", "order", "failure_action", "monitor", "max_failure_ratio"}, option)
    if spec.get("order") is not None and spec["order"] not in UPDATE_ORDERS:
        raise SpecError(f"{option}.order: {spec['order']!r} must be stop-first or start-first.")
    if spec.get("failure_action") is not None and spec["failure_action"] not in failure_actions:
        raise SpecError(f"{option}.failure_action: {spec['failure_action']!r} must be one of {', '.join(failure_actions)}.")
    ratio = None
    if spec.get("max_failure_ratio") is not None:
        try:
            ratio = float(spec["max_failure_ratio"])
        except (TypeError, ValueError):
            raise SpecError(f"{option}.max_failure_ratio must be a number between 0 and 1.") from None
        if not 0 <= ratio <= 1:
            raise SpecError(f"{option}.max_failure_ratio must be between 0 and 1.")
    base = (key,)
    rows = [
        Row(f"{option}.parallelism", base + ("Parallelism",), whole_number(spec.get("parallelism"), f"{option}.parallelism"),
            _plain, (f"--{flag}-parallelism", str(spec.get("parallelism")))),
        Row(f"{option}.delay", base + ("Delay",), duration_to_ns(spec.get("delay"), f"{option}.delay"), _plain,
            (f"--{flag}-delay", str(spec.get("delay")))),
        Row(f"{option}.order", base + ("Order",), spec.get("order"), lambda v: v or "stop-first",
            (f"--{flag}-order", str(spec.get("order")))),
        Row(f"{option}.failure_action", base + ("FailureAction",), spec.get("failure_action"), lambda v: v or "pause",
            (f"--{flag}-failure-action", str(spec.get("failure_action")))),
        Row(f"{option}.monitor", base + ("Monitor",), duration_to_ns(spec.get("monitor"), f"{option}.monitor"), _plain,
            (f"--{flag}-monitor", str(spec.get("monitor")))),
        Row(f"{option}.max_failure_ratio", base + ("MaxFailureRatio",), ratio, lambda v: float(v or 0),
            (f"--{flag}-max-failure-ratio", str(ratio))),
    ]
    return [r for r in rows if r.value is not None]


def update_rows(p: dict[str, t.Any]) -> list[Row]:
    return _update_like(p.get("update_config"), "update_config", "UpdateConfig", UPDATE_FAILURE_ACTIONS, "update")


def rollback_rows(p: dict[str, t.Any]) -> list[Row]:
    return _update_like(p.get("rollback_config"), "rollback_config", "RollbackConfig", ROLLBACK_FAILURE_ACTIONS, "rollback")


def logging_rows(p: dict[str, t.Any]) -> list[Row]:
    """logging {driver, options} (or community.docker's log_driver / log_driver_options)."""
    spec = check_keys(p.get("logging"), {"driver", "options"}, "logging")
    driver = spec.get("driver") or p.get("log_driver")
    options = string_map(spec.get("options") if spec.get("options") is not None else p.get("log_driver_options"),
                         "logging.options")
    if driver is None:
        if options:
            raise SpecError("logging.options: give logging.driver too (docker service create --log-driver).")
        return []
    value = {"Name": str(driver), "Options": options or {}}
    cli = ("--log-driver", str(driver)) + tuple(x for k, v in sorted((options or {}).items()) for x in ("--log-opt", f"{k}={v}"))
    return [Row("logging", ("TaskTemplate", "LogDriver"), value,
                lambda v: {"Name": (v or {}).get("Name"), "Options": dict((v or {}).get("Options") or {})} if v else None, cli)]


def _dns_rows(p: dict[str, t.Any]) -> list[Row]:
    rows = []
    for option, key, flag in (("dns", "Nameservers", "--dns"), ("dns_search", "Search", "--dns-search"),
                              ("dns_options", "Options", "--dns-option")):
        values = p.get(option)
        if values is None:
            continue
        values = [str(v) for v in values]
        rows.append(Row(option, CS + ("DNSConfig", key), values, lambda v: list(v) if v else None,
                        tuple(x for v in values for x in (flag, v))))
    return rows


def parse_hosts(value: t.Any, option: str = "hosts") -> list[str] | None:
    """{hostname: ip} (community.docker) or ['host:ip'] -> the spec's 'IP HOSTNAME' lines."""
    if value is None:
        return None
    pairs: list[tuple[str, str]] = []
    if isinstance(value, dict):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    elif isinstance(value, list):
        for item in value:
            host, sep, ip = str(item).partition(":")
            if not sep or not host or not ip:
                raise SpecError(f"{option}: {item!r} must be 'HOSTNAME:IP' (or write a mapping {{HOSTNAME: IP}}).")
            pairs.append((host, ip))
    else:
        raise SpecError(f"{option}: write a mapping {{HOSTNAME: IP}}.")
    return [f"{ip} {host}" for host, ip in pairs]


def container_rows(p: dict[str, t.Any]) -> list[Row]:
    """cap_add/cap_drop, dns*, hosts, init, read_only, stop_signal, sysctls, tty, groups."""
    rows: list[Row] = []
    for option, key, flag in (("cap_add", "CapabilityAdd", "--cap-add"), ("cap_drop", "CapabilityDrop", "--cap-drop")):
        if p.get(option) is not None:
            caps = capabilities(p[option])
            rows.append(Row(option, CS + (key,), caps, lambda v: capabilities(v) or None,
                            tuple(x for c in caps for x in (flag, c))))
    rows += _dns_rows(p)
    hosts = parse_hosts(p.get("hosts"))
    if hosts is not None:
        rows.append(Row("hosts", CS + ("Hosts",), hosts, _unordered,
                        tuple(x for h in hosts for x in ("--host", "{1}:{0}".format(*h.split(" ", 1))))))
    for option, key, flag in (("init", "Init", "--init"), ("read_only", "ReadOnly", "--read-only"), ("tty", "TTY", "--tty")):
        if p.get(option) is not None:
            rows.append(Row(option, CS + (key,), bool(p[option]), _bool, (f"{flag}={str(bool(p[option])).lower()}",)))
    if p.get("stop_signal") is not None:
        sig = signal_name(p["stop_signal"])
        rows.append(Row("stop_signal", CS + ("StopSignal",), sig, lambda v: signal_name(v) if v else None,
                        ("--stop-signal", sig)))
    sysctls = string_map(p.get("sysctls"), "sysctls")
    if sysctls is not None:
        rows.append(Row("sysctls", CS + ("Sysctls",), sysctls, lambda v: dict(v) if v else None,
                        tuple(x for k, v in sorted(sysctls.items()) for x in ("--sysctl", f"{k}={v}"))))
    if p.get("groups") is not None:
        groups = [str(g) for g in p["groups"]]
        rows.append(Row("groups", CS + ("Groups",), groups, _unordered, tuple(x for g in groups for x in ("--group", g))))
    return rows


def extra_rows(api: t.Any, p: dict[str, t.Any], service: str, check_mode: bool = False,
               warn: t.Callable[[str], None] | None = None) -> list[Row]:
    """Every row this file adds to the service table, in a stable order."""
    return file_ref_rows(api, p, service, check_mode, warn) + logging_rows(p) + rollback_rows(p) + container_rows(p)


# ---------------------------------------------------------------- credential_spec (Windows gMSA)
CREDENTIAL_SOURCES = {"file": "File", "registry": "Registry", "config": "Config"}


def credential_spec_rows(api: t.Any, p: dict[str, t.Any], service: str, check_mode: bool = False) -> list[Row]:
    """credential_spec {file | registry | config}: TaskTemplate.ContainerSpec.Privileges.CredentialSpec.

    A credential spec is a Windows feature (group Managed Service Accounts): a Linux engine refuses to start a task
    with one. It is set only when the swarm has a Windows node to run it; otherwise the task fails, saying so."""
    spec = p.get("credential_spec")
    if spec is None:
        return []
    spec = check_keys(spec, set(CREDENTIAL_SOURCES), "credential_spec")
    given = [k for k in CREDENTIAL_SOURCES if spec.get(k)]
    if len(given) != 1:
        raise SpecError("credential_spec: give exactly one of file (a file in the nodes' CredentialSpecs folder), "
                        "registry (a registry value name) or config (a Docker config's name or ID).")
    source = given[0]
    value = str(spec[source])
    systems = sorted({str(((n.get("Description") or {}).get("Platform") or {}).get("OS") or "unknown").lower()
                      for n in api.get("/nodes") or []})
    if "windows" not in systems:
        raise DockerError(
            f"credential_spec: a credential spec (gMSA) is a Windows feature, and this swarm's nodes run "
            f"{', '.join(systems) or 'no known system'}: Docker on Linux cannot start a task with one (it refuses the "
            f"credentialspec security option). Remove credential_spec, or add a Windows node and constrain the service "
            f"to it (node.platform.os==windows). Service {service} was not changed."
        )
    cli_value = f"{source}://{value}"
    if source == "config":
        ref = resolve_file_refs(api, [{"id": None, "name": value, "file": value, "uid": "0", "gid": "0", "mode": 0o444}],
                                CONFIG_FILES, service, check_mode)[0]
        value = ref["ConfigID"]
    return [Row("credential_spec", CS + ("Privileges", "CredentialSpec"), {CREDENTIAL_SOURCES[source]: value},
                lambda v: {k: v[k] for k in sorted(v or {}) if v[k]} or None, ("--credential-spec", cli_value))]


# ---------------------------------------------------------------- resolve_image
RESOLVE_CHOICES = ("always", "changed", "never")


def resolve_choice(value: t.Any, default: str = "never") -> str:
    """resolve_image: always/changed/never; community.docker's service takes a boolean (true: always)."""
    if value is None:
        return default
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return "always"
    if text in ("false", "no", "off", "0"):
        return "never"
    if text not in RESOLVE_CHOICES:
        raise SpecError(f"resolve_image: {value!r} must be always, changed or never (or a boolean: true is always).")
    return text


def image_digest(api: t.Any, image: str) -> tuple[str | None, str]:
    """The digest ``image`` (a name:tag) has in its registry, else in a local image pulled or pushed under that
    repository; with the reason when there is none.

    The registry is asked through the daemon (GET /distribution/NAME/json, what ``docker stack deploy
    --resolve-image`` asks), with the credentials ``devops.docker.login`` stored for it."""
    name = parse_image_name(image, "image")
    try:
        found = api.get(api.url("/distribution/{0}/json", image), headers=registry_auth(image))
        digest = ((found or {}).get("Descriptor") or {}).get("digest")
        if digest:
            return digest, "registry"
        reason = "the registry returned no digest"
    except APIError as exc:
        reason = f"the registry answered: {exc.explanation}"
    local = api.get_or_none(api.url("/images/{0}/json", image)) or {}
    for entry in local.get("RepoDigests") or []:
        repo, digest = (str(entry).split("@", 1) + [""])[:2]
        if digest and parse_image_name(repo + "@" + digest, "image").repository == name.repository:
            return digest, "local image"
    return None, reason + "; the local image (if any) was never pushed or pulled under that name"


def pin_image(image: str, digest: str) -> str:
    """name:tag@digest, as the CLI pins it (a digest already in ``image`` is replaced; no tag is ``latest``)."""
    name = parse_image_name(image, "image")
    return f"{name.repository}:{name.tag or 'latest'}@{digest}"


# ---------------------------------------------------------------- arguments and aliases
# update_config and rollback_config take the same settings (docker service create --update-* / --rollback-*).
UPDATE_OPTIONS: dict[str, dict[str, t.Any]] = {
    "parallelism": {"type": "int"},
    "delay": {"type": "str"},
    "order": {"type": "str"},
    "failure_action": {"type": "str"},
    "monitor": {"type": "str"},
    "max_failure_ratio": {"type": "float"},
}

# The service module's arguments, each once (the rows above read them; community_aliases maps community.docker's).
SERVICE_ARGS: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "image": {"type": "str"},
    "command": {"type": "raw"},
    "args": {"type": "list", "elements": "str"},
    "entrypoint": {"type": "raw"},
    "env": {"type": "dict"},
    "env_files": {"type": "list", "elements": "path"},
    "secret_env": {"type": "dict", "no_log": True},
    "ports": {"type": "list", "elements": "raw"},
    "endpoint_mode": {"type": "str", "choices": ["vip", "dnsrr"]},
    "networks": {"type": "list", "elements": "raw"},
    "mounts": {"type": "list", "elements": "raw"},
    "mode": {"type": "str", "choices": ["replicated", "global", "replicated-job", "global-job"]},
    "replicas": {"type": "int"},
    "placement": {
        "type": "dict",
        "options": {
            "constraints": {"type": "list", "elements": "str"},
            "preferences": {"type": "list", "elements": "raw"},
            "max_replicas_per_node": {"type": "int", "aliases": ["replicas_max_per_node", "max_replicas"]},
        },
    },
    "resources": {
        "type": "dict",
        "options": {"limits": {"type": "dict"}, "reservations": {"type": "dict"}},
    },
    "restart_policy": {
        "type": "dict",
        "aliases": ["restart_config"],
        "options": {
            "condition": {"type": "str"},
            "delay": {"type": "str"},
            "max_attempts": {"type": "int"},
            "window": {"type": "str"},
        },
    },
    "update_config": {"type": "dict", "options": dict(UPDATE_OPTIONS)},
    "healthcheck": {"type": "dict"},
    "labels": {"type": "dict"},
    "container_labels": {"type": "dict"},
    "user": {"type": "str"},
    "working_dir": {"type": "str"},
    "hostname": {"type": "str"},
    "stop_grace_period": {"type": "str"},
    "secrets": {"type": "list", "elements": "raw", "no_log": False},
    "configs": {"type": "list", "elements": "raw"},
    "log_driver": {"type": "str"},
    "log_driver_options": {"type": "dict"},
    "cap_add": {"type": "list", "elements": "str"},
    "cap_drop": {"type": "list", "elements": "str"},
    "dns": {"type": "list", "elements": "str"},
    "dns_search": {"type": "list", "elements": "str"},
    "dns_options": {"type": "list", "elements": "str"},
    "hosts": {"type": "raw"},
    "init": {"type": "bool"},
    "read_only": {"type": "bool"},
    "stop_signal": {"type": "str"},
    "sysctls": {"type": "dict"},
    "tty": {"type": "bool"},
    "groups": {"type": "list", "elements": "str"},
    "with_registry_auth": {"type": "bool", "default": False},
    "credential_spec": {"type": "dict", "options": {source: {"type": "str"} for source in CREDENTIAL_SOURCES}},
    "resolve_image": {"type": "raw"},
    "max_concurrent": {"type": "int"},
    "total_completions": {"type": "int"},
    "logging": {"type": "dict", "options": {"driver": {"type": "str"}, "options": {"type": "dict"}}},
    "rollback_config": {"type": "dict", "options": dict(UPDATE_OPTIONS)},
    "limits": {"type": "dict"},
    "reservations": {"type": "dict"},
    "publish": {"type": "list", "elements": "raw"},
    "force_update": {"type": "bool", "default": False},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 120},
}
SERVICE_MUTUALLY_EXCLUSIVE = [("ports", "publish"), ("resources", "limits"), ("resources", "reservations"),
                              ("logging", "log_driver")]


def community_aliases(p: dict[str, t.Any]) -> dict[str, t.Any]:
    """community.docker's option shapes -> ours, in place of the task's params (a copy).

    args -> command (the container's arguments); with args, the task's command is community.docker's, our entrypoint;
    env_files -> env (the files' variables, then env's);
    publish [{published_port, target_port, protocol, mode}] -> ports; limits / reservations -> resources;
    restart_config -> restart_policy; placement.replicas_max_per_node/max_replicas -> max_replicas_per_node."""
    p = dict(p)
    if p.get("args") is not None:
        if p.get("command") is not None:
            # community.docker's pair: its command replaces the image's entrypoint, args are the arguments.
            if p.get("entrypoint") is not None:
                raise SpecError("args: with args, command is community.docker's command, the entrypoint; "
                                "give command or entrypoint, not both.")
            p["entrypoint"] = p["command"]
        p["command"] = p["args"]
    if p.get("env_files"):
        # community.docker's env files, read on the managed host in order; env wins over them.
        env: dict[str, t.Any] = {}
        for path in p["env_files"]:
            env.update(read_env_file(path, "env_files"))
        env.update(p.get("env") or {})
        p["env"] = env
    if p.get("publish") is not None:
        if p.get("ports") is not None:
            raise SpecError("publish is community.docker's name for ports; give one of them.")
        ports = []
        for i, item in enumerate(p["publish"]):
            if isinstance(item, dict):
                item = check_keys(item, {"published_port", "target_port", "protocol", "mode", "published", "target"},
                                  f"publish[{i}]")
                item = {k: v for k, v in {
                    "published": item.get("published_port", item.get("published")),
                    "target": item.get("target_port", item.get("target")),
                    "protocol": item.get("protocol"),
                    "mode": item.get("mode"),
                }.items() if v is not None}
            ports.append(item)
        p["ports"] = ports
    if p.get("limits") is not None or p.get("reservations") is not None:
        if p.get("resources") is not None:
            raise SpecError("limits and reservations are community.docker's names for resources.limits/reservations; "
                            "give one form.")
        p["resources"] = {k: p[k] for k in ("limits", "reservations") if p.get(k) is not None}
    if p.get("restart_config") is not None and p.get("restart_policy") is None:
        # An alias: Ansible has set restart_policy already (and keeps restart_config in the params too).
        p["restart_policy"] = p["restart_config"]
    placement = p.get("placement")
    if isinstance(placement, dict):
        placement = dict(placement)
        for alias in ("replicas_max_per_node", "max_replicas"):
            if placement.get(alias) is not None:
                placement["max_replicas_per_node"] = placement.pop(alias)
            else:
                placement.pop(alias, None)
        p["placement"] = placement
    return p


def registry_auth(image: str | None) -> dict[str, str]:
    """with_registry_auth: X-Registry-Auth for the image's registry from the stored credentials (login module)."""
    if not image:
        return {}
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.devops.docker.plugins.module_utils._image_registry import auth_header
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.devops.docker.plugins.module_utils._values._images import registry_host

    return auth_header(registry_host(parse_image_name(image, "image")))
