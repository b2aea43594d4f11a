# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runtime settings written like the CLI writes them: commands, restart policies, links, signals,
capabilities, ulimits, devices and extra hosts."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

MAX_ARG_STRLEN = 131072  # Linux: the longest single argument (or environment string) execve accepts


def check_arg_lengths(value: t.Any, option: str, error: type[SpecError] = SpecError) -> None:
    """A command (a string, or a list of words) whose text no process could get: a word longer than Linux passes in
    one argument fails here, before a megabyte of text is split like a shell would (which takes seconds)."""
    texts = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []
    if any(isinstance(x, str) and len(x) > MAX_ARG_STRLEN for x in texts):
        raise error(f"{option}: a command word of more than {MAX_ARG_STRLEN} characters, more than Linux passes "
                    "to a process in one argument; put long data in a file or a volume and pass its path.")


def command_argv(value: t.Any, option: str, error: type[SpecError] = SpecError) -> list[str] | None:
    """A command (command, entrypoint, healthcheck test...) as argv: a string is split like a shell would,
    a list of strings (or numbers) is kept; None stays None. ``error`` is the exception class to raise."""
    if value is None:
        return None
    check_arg_lengths(value, option, error)
    if isinstance(value, str):
        import shlex  # pylint: disable=import-outside-toplevel

        try:
            return shlex.split(value)
        except ValueError as exc:
            raise error(f"{option}: {value[:80]!r} does not split into words like a shell command ({exc}); "
                        "close the quote or write it as a list.") from None
    if isinstance(value, (list, tuple)) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value):
        return [str(x) for x in value]
    raise error(f"{option}: write a command as a string like 'sleep 60' or a list of strings like ['sleep', '60'], "
                f"not {str(value)[:80]!r}.")


def entrypoint_argv(value: t.Any, option: str = "entrypoint", error: type[SpecError] = SpecError) -> list[str] | None:
    """An entrypoint as argv (see ``command_argv``). Not given is None (the image's ENTRYPOINT); an empty one
    (``''``, ``[]``, or ``['']`` as ``docker run --entrypoint ''`` sends it) is ``[]``: no entrypoint."""
    argv = command_argv(value, option, error)
    return [] if argv == [""] else argv


def engine_command(entrypoint: list[str] | None, command: list[str] | None,
                   image_entrypoint: t.Any = None, image_command: t.Any = None) -> tuple[list[str], list[str]]:
    """The (ENTRYPOINT, CMD) the Engine keeps for a create request that sends ``entrypoint`` and ``command``
    (None: not sent), as comparable lists ([] for none). The Engine's rule: a request without an entrypoint of its
    own (not sent, or empty) and without a command gets the image's CMD; one that sends no entrypoint at all gets
    the image's ENTRYPOINT. So an empty command alone brings the image's CMD back, and an empty entrypoint clears
    the image's ENTRYPOINT but keeps its CMD unless a command is given."""
    if not entrypoint:
        if not command:
            command = list(image_command or [])
        if entrypoint is None:
            entrypoint = list(image_entrypoint or [])
    return list(entrypoint or []), list(command or [])


_RESTART_NAMES = ("no", "always", "on-failure", "unless-stopped")


def parse_restart_policy(value: t.Any, retries: t.Any = None, option: str = "restart_policy") -> dict[str, t.Any]:
    """'no', 'always', 'unless-stopped', 'on-failure[:N]' -> {Name, MaximumRetryCount}."""
    if value is None or value == "":
        value = "no"
    if isinstance(value, bool):  # YAML 'no' unquoted
        value = "always" if value else "no"
    text = str(value).strip()
    name, _sep, count = text.partition(":")
    if name not in _RESTART_NAMES:
        raise SpecError(f"{option}: {value!r} is not a restart policy; use no, always, unless-stopped or on-failure[:N].")
    maximum = 0
    if count:
        if name != "on-failure" or not count.isdigit():
            raise SpecError(f"{option}: {value!r}: only on-failure takes a count, as 'on-failure:5'.")
        maximum = int(count)
    if retries not in (None, ""):
        if name != "on-failure":
            raise SpecError(f"{option}: restart_retries only applies to on-failure, not {name!r}.")
        if count and int(retries) != maximum:
            raise SpecError(f"{option}: {value!r} and restart_retries={retries} disagree; give the count once.")
        maximum = int(retries)
        if maximum < 0:
            raise SpecError(f"{option}: restart_retries must not be negative.")
    return {"Name": name, "MaximumRetryCount": maximum}


def parse_link(value: t.Any, option: str = "links") -> tuple[str, str]:
    """'name[:alias]' (like --link) -> (name, alias)."""
    text = str(value).strip() if value is not None else ""
    name, _sep, alias = text.partition(":")
    name, alias = name.strip("/"), (alias or name).strip("/")
    pattern = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
    if not pattern.match(name) or not pattern.match(alias) or text.count(":") > 1:
        raise SpecError(f"{option}: {value!r} is not a link; write it like --link: 'CONTAINER' or 'CONTAINER:ALIAS'.")
    return name, alias


def normalize_link(text: str) -> str:
    """'/db:/web/database' (as the daemon stores it) or 'db:database' -> 'db:database'."""
    name, _sep, alias = text.partition(":")
    name = name.strip("/")
    alias = alias.rsplit("/", 1)[-1] if alias else name
    return f"{name}:{alias}"


def signal_name(value: t.Any) -> str:
    """'term', 'SIGTERM', 'SIGRTMIN+3' -> 'SIGTERM' ...; numbers stay as written; '' when not given."""
    if value in (None, ""):
        return ""
    text = str(value).upper()
    if text.isalpha() or ("+" in text and text[:1].isalpha()):
        return text if text.startswith("SIG") else "SIG" + text
    return text


def capability_name(name: t.Any) -> str:
    """'cap_net_admin' / 'NET_ADMIN' -> 'NET_ADMIN' (the daemon's spelling, without CAP_)."""
    name = str(name).upper()
    return name[4:] if name.startswith("CAP_") else name


def capabilities(values: t.Iterable[t.Any] | None) -> list[str]:
    """A capability list as comparable data: names normalized, sorted, no duplicates."""
    return sorted({capability_name(c) for c in values or []})


def restart_policy_to_cli(policy: dict[str, t.Any]) -> str:
    """{Name, MaximumRetryCount} -> 'on-failure:3' / 'always'."""
    if policy.get("MaximumRetryCount"):
        return f"{policy['Name']}:{policy['MaximumRetryCount']}"
    return str(policy["Name"])


def parse_extra_hosts(value: t.Any, option: str = "extra_hosts") -> list[str]:
    """{host: ip} or ['host:ip'] -> sorted 'host:ip' entries."""
    if not value:
        return []
    if not isinstance(value, (dict, list, tuple)):
        raise SpecError(f"{option}: write a mapping {{host: ip}} or a list of 'host:ip', not {str(value)[:60]!r}.")
    items = value.items() if isinstance(value, dict) else (str(v).split(":", 1) if ":" in str(v) else (v, None) for v in value)
    result = []
    for host, ip in items:
        if not host or not ip:
            raise SpecError(f"{option}: write {{host: ip}} or 'host:ip', not {host!r}.")
        result.append(f"{host}:{ip}")
    return sorted(result)


def parse_ulimits(value: t.Any, option: str = "ulimits") -> list[dict[str, t.Any]]:
    """['nofile=1024:2048'] (also 'nofile:1024:2048') -> [{Name, Soft, Hard}] sorted by name."""
    result = []
    for item in value or []:
        text = str(item)
        if "=" in text:
            name, sep, limits = text.partition("=")
        else:
            name, sep, limits = text.partition(":")
        soft, _sep2, hard = limits.partition(":")
        try:
            if not sep or not name:
                raise ValueError
            soft_i = int(soft)
            hard_i = int(hard) if hard else soft_i
        except ValueError:
            raise SpecError(f"{option}: {item!r} is not NAME=SOFT[:HARD], like 'nofile=1024:2048'.") from None
        result.append({"Name": name, "Soft": soft_i, "Hard": hard_i})
    return sorted(result, key=lambda u: u["Name"])


def ulimit_to_cli(ulimit: dict[str, t.Any]) -> str:
    """{Name, Soft, Hard} -> 'nofile=1024:2048' (the ``--ulimit`` value)."""
    if ulimit["Soft"] == ulimit["Hard"]:
        return f"{ulimit['Name']}={ulimit['Soft']}"
    return f"{ulimit['Name']}={ulimit['Soft']}:{ulimit['Hard']}"


def parse_devices(value: t.Any, option: str = "devices") -> list[dict[str, str]]:
    """['/dev/fuse', '/dev/sda:/dev/xvda:r'] -> [{PathOnHost, PathInContainer, CgroupPermissions}]."""
    result = []
    for item in value or []:
        parts = str(item).split(":")
        if not parts[0].startswith("/") or len(parts) > 3:
            raise SpecError(f"{option}: {item!r} is not HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]], like '/dev/fuse'.")
        inside = parts[1] if len(parts) > 1 and parts[1] else parts[0]
        perms = parts[2] if len(parts) > 2 else "rwm"
        result.append({"PathOnHost": parts[0], "PathInContainer": inside, "CgroupPermissions": perms})
    return result


def device_to_cli(device: dict[str, str]) -> str:
    """{PathOnHost, PathInContainer, CgroupPermissions} -> the ``--device`` value."""
    text = device["PathOnHost"]
    if device["PathInContainer"] != device["PathOnHost"] or device["CgroupPermissions"] != "rwm":
        text += f":{device['PathInContainer']}"
    if device["CgroupPermissions"] != "rwm":
        text += f":{device['CgroupPermissions']}"
    return text
