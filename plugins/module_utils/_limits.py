# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Input bounds: what the Engine accepts, checked before the first request.

A value the daemon (or the runtime, later, at start) rejects must fail the task
*before* anything changed: an old container stopped for a replacement that
cannot start is the failure this module exists to prevent.  Pure functions,
no daemon; each raises ``SpecError`` naming the option and the fix.

Sources of the bounds (Engine API and daemon code):

- integers: nanosecond durations, memory sizes, CPU quotas, PIDs limits are
  Go ``int64``; fields the daemon declares ``int`` and converts to a duration
  (``StopTimeout``, the ``t`` of ``/stop``) or keeps as a count
  (``MaximumRetryCount``, healthcheck ``Retries``) are bounded here by int32,
  which is also what keeps Python's socket timeouts from overflowing;
  ``OomScoreAdj`` is -1000..1000, ``BlkioWeight`` 10..1000 (0: unset);
- container names and local volume names: the daemon's
  ``^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`` (at least two characters);
- Swarm secret and config names: ``^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$``,
  64 characters at most; Swarm service names (and swarm-scope networks):
  ``^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$``, 63 at most (a DNS label);
- network names: the daemon only refuses an empty name, and accepts a
  newline, a NUL or leading spaces that no later command can name again; this
  collection refuses control characters, leading/trailing white space and the
  names ``docker run --network`` reads as something else (``container``,
  ``container:*``);
- env: a key is not empty and has no ``=`` (the daemon splits ``KEY=VALUE`` at
  the first ``=``: ``{"A=B": "c"}`` would set ``A`` to ``B=c``) and no NUL;
  no value has a NUL (the runtime refuses it at start, after the old
  container is gone); the same for every other string sent (command, labels,
  working_dir...);
- port ranges: every published port costs a proxy process and a set of
  firewall rules; a mapping of more than ``DEFAULT_MAX_PORT_RANGE`` ports is
  refused unless the task raises ``max_port_range``.
"""

from __future__ import annotations

import math
import os
import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import parse_number

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
DEFAULT_MAX_PORT_RANGE = 1000
HOST_NAME_MAX = 64  # Linux: sethostname() refuses more, at start

CONTAINER_NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
LOCAL_VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
SWARM_OBJECT_NAME_RE = re.compile(r"^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$")  # secrets, configs
SWARM_DNS_NAME_RE = re.compile(r"^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$")  # services, swarm networks
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Patterns are used with fullmatch (Python's '$' also matches before a final newline; Go's does not).
_NAME_HELP = "letters, digits, '_', '.' and '-', starting with a letter or digit, at least two characters"


# ---------------------------------------------------------------- integers

def check_int(value: t.Any, option: str, minimum: int | None = None, maximum: int | None = None,
              fix: str = "") -> int | None:
    """``value`` as an int within [minimum, maximum]; None passes through."""
    number = parse_number(value, option, int, "a whole number")
    if number is None:
        return None
    if isinstance(value, float) and value != number:
        raise SpecError(f"{option}: {value!r} is not a whole number.")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        low = "" if minimum is None else f"at least {minimum}"
        high = "" if maximum is None else f"at most {maximum}"
        bounds = " and ".join(b for b in (low, high) if b)
        if minimum == 0 and number < 0:
            bounds += " (it must not be negative)"
        raise SpecError(f"{option}: {value!r} is out of range; the Engine accepts {bounds}.{' ' + fix if fix else ''}")
    return number


def check_int32(value: t.Any, option: str, minimum: int = 0, fix: str = "") -> int | None:
    return check_int(value, option, minimum, INT32_MAX, fix)


def check_int64(value: t.Any, option: str, minimum: int = 0, fix: str = "") -> int | None:
    return check_int(value, option, minimum, INT64_MAX, fix)


def check_seconds(value: t.Any, option: str, minimum: int = 0, maximum: int = INT32_MAX) -> int | None:
    """A count of seconds the daemon keeps as ``int`` (stop_timeout, timeouts of this collection)."""
    return check_int(value, option, minimum, maximum,
                     f"Write a number of seconds (at most {maximum}, about {maximum // (365 * 86400)} years).")


def check_seconds_float(value: t.Any, option: str, maximum: int = INT32_MAX) -> float | None:
    """A number of seconds written as a number (maybe with a fraction); never inf or nan, at most ``maximum``
    (a negative one is the caller's to read, 'forever' for some options)."""
    number = parse_number(value, option, float, "a number of seconds")
    if number is None:
        return None
    if not math.isfinite(number) or number > maximum:
        raise SpecError(f"{option}: {str(value)[:40]!r} is not a number of seconds the module can wait; "
                        f"write at most {maximum} (about {maximum // (365 * 86400)} years).")
    return number


TIMEOUT_MAX = 86400 * 365


def check_timeout(value: t.Any, option: str = "timeout") -> int | None:
    """The connection ``timeout``: seconds to wait for the daemon (or a registry), 1 to a year; 0 or None is the
    default."""
    number = check_int(value, option, 0, TIMEOUT_MAX,
                       "Give the seconds to wait for an answer (default 60); a socket cannot wait longer than that.")
    return number


def check_duration_ns(value: t.Any, option: str, minimum: int = 0) -> int | None:
    """A duration already converted to nanoseconds (Go ``time.Duration``, int64)."""
    return check_int(value, option, minimum, INT64_MAX,
                     "Durations are stored in nanoseconds as a 64-bit integer (at most about 292 years).")


def check_cpus(value: t.Any, option: str = "cpus") -> float | None:
    """``--cpus``: a positive number whose nanoseconds (NanoCpus) fit int64."""
    number = parse_number(value, option, float, "a number of CPUs like 1.5")
    if number is None:
        return None
    if math.isnan(number) or number < 0 or number * 1e9 > INT64_MAX:
        raise SpecError(f"{option}: {value!r} is out of range; write a number of CPUs between 0 and the host's count.")
    return number


# option -> (minimum, maximum) for integer options as the container/compose code names them.
CONTAINER_INT_BOUNDS: dict[str, tuple[int, int]] = {
    "stop_timeout": (0, INT32_MAX),
    "wait_timeout": (0, INT32_MAX),
    "timeout": (1, INT32_MAX),
    "memory": (0, INT64_MAX),
    "memory_reservation": (0, INT64_MAX),
    "memory_swap": (-1, INT64_MAX),
    "kernel_memory": (0, INT64_MAX),
    "shm_size": (0, INT64_MAX),
    "memory_swappiness": (-1, 100),
    "pids_limit": (-1, INT64_MAX),
    "cpu_shares": (0, INT64_MAX),
    "cpu_period": (0, INT64_MAX),
    "cpu_quota": (-1, INT64_MAX),
    "cpu_rt_period": (0, INT64_MAX),
    "cpu_rt_runtime": (-1, INT64_MAX),
    "oom_score_adj": (-1000, 1000),
    "blkio_weight": (0, 1000),
    "restart_retries": (0, INT32_MAX),
}


def check_int_options(values: t.Mapping[str, t.Any], bounds: t.Mapping[str, tuple[int, int]] | None = None,
                      prefix: str = "") -> None:
    """Every integer option of ``values`` named in ``bounds`` within its range (sizes already in bytes)."""
    for name, (low, high) in (bounds or CONTAINER_INT_BOUNDS).items():
        value = values.get(name)
        if value is None or isinstance(value, str):  # strings ('512m', '10s') are checked after parsing
            continue
        check_int(value, prefix + name, low, high)


# ---------------------------------------------------------------- strings

def check_no_nul(value: t.Any, option: str) -> None:
    """No string anywhere in ``value`` holds a NUL (the message never shows the value)."""
    stack: list[tuple[str, t.Any]] = [(option, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise SpecError(f"{where}: contains a NUL character (\\0), which the Engine cannot pass to a process; remove it.")
        elif isinstance(item, dict):
            for key, val in item.items():
                if isinstance(key, str) and "\x00" in key:
                    raise SpecError(f"{where}: a key contains a NUL character (\\0); remove it.")
                stack.append((f"{where}.{key}", val))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{index}]", val) for index, val in enumerate(item))


def check_env(env: t.Mapping[str, t.Any] | None, option: str = "env") -> None:
    """Env keys are not empty and hold no '=' or NUL; values hold no NUL.  Values are never shown."""
    for key, value in (env or {}).items():
        key_text = str(key)
        if not key_text:
            raise SpecError(f"{option}: a variable has an empty name; give every variable a name.")
        if "=" in key_text:
            raise SpecError(
                f"{option}: the variable name {key_text!r} contains '='; the Engine splits KEY=VALUE at the first '=', "
                f"so it would set {key_text.split('=', 1)[0]!r} instead. Remove the '=' from the name."
            )
        if "\x00" in key_text:
            raise SpecError(f"{option}: a variable name contains a NUL character (\\0); remove it.")
        if isinstance(value, str) and "\x00" in value:
            raise SpecError(
                f"{option}.{key_text}: the value contains a NUL character (\\0); the runtime refuses it when the "
                "container starts. Remove it."
            )


def check_env_list(env: t.Iterable[str] | None, option: str = "env") -> None:
    """The same rules for a ``KEY=VALUE`` list (the Engine's Env)."""
    for item in env or []:
        key, sep, value = str(item).partition("=")
        if not sep:
            continue  # 'KEY' alone: passed through from the environment
        check_env({key: value}, option)


def check_container_name(name: t.Any, option: str = "name") -> str:
    text = _name_text(name, option)
    if not CONTAINER_NAME_RE.fullmatch(text):
        raise SpecError(f"{option}: {text!r} is not a valid container name; use {_NAME_HELP}.")
    return text


def check_volume_name(name: t.Any, option: str = "name", driver: str | None = "local") -> str:
    """The local driver's rule; other drivers get the control-character check only."""
    text = _name_text(name, option)
    if driver in (None, "", "local"):
        if not LOCAL_VOLUME_NAME_RE.fullmatch(text):
            raise SpecError(f"{option}: {text!r} is not a valid volume name for the local driver; use {_NAME_HELP}.")
    else:
        _no_control(text, option, "volume name")
    return text


def check_network_name(name: t.Any, option: str = "name", swarm_scope: bool = False) -> str:
    text = _name_text(name, option)
    _no_control(text, option, "network name")
    if text != text.strip():
        raise SpecError(f"{option}: {text!r} starts or ends with white space; remove it (the daemon would keep it).")
    if text == "container" or text.startswith("container:"):
        raise SpecError(f"{option}: {text!r} cannot name a network: 'container:NAME' is a network mode; choose another name.")
    if swarm_scope:
        _check_swarm_name(text, option, "swarm network", _DNS_LABEL)
    return text


# The swarm's name rules: (pattern, longest, allowed characters in words).
_DNS_LABEL = (SWARM_DNS_NAME_RE, 63, "letters, digits, '-' and '_'")
_SWARM_OBJECT = (SWARM_OBJECT_NAME_RE, 64, "letters, digits, '-', '_' and '.'")


def _check_swarm_name(text: str, option: str, what: str, rule: tuple[t.Pattern[str], int, str], note: str = "") -> None:
    pattern, longest, allowed = rule
    if len(text) > longest or not pattern.fullmatch(text):
        raise SpecError(
            f"{option}: {text!r} is not a valid {what} name; use {allowed} "
            f"(starting and ending with a letter or digit), at most {longest} characters{note}."
        )


def check_service_name(name: t.Any, option: str = "name") -> str:
    text = _name_text(name, option)
    _check_swarm_name(text, option, "service", _DNS_LABEL, " (a DNS label)")
    return text


def check_swarm_object_name(name: t.Any, option: str = "name", kind: str = "secret") -> str:
    """Swarm secret and config names."""
    text = _name_text(name, option)
    _check_swarm_name(text, option, kind, _SWARM_OBJECT)
    return text


def check_hostname(value: t.Any, option: str = "hostname") -> str | None:
    """A container hostname the runtime can set at start (sethostname: at most 64 bytes, no control characters)."""
    if value in (None, ""):
        return None
    text = str(value)
    _no_control(text, option, "hostname")
    if len(text.encode("utf-8")) > HOST_NAME_MAX or any(c.isspace() for c in text):
        raise SpecError(
            f"{option}: {text!r} cannot be a hostname; use at most {HOST_NAME_MAX} characters without spaces "
            "(the runtime refuses it when the container starts)."
        )
    return text


def _name_text(name: t.Any, option: str) -> str:
    if name is None or isinstance(name, bool) or not str(name):
        raise SpecError(f"{option}: a name is required.")
    return str(name)


def _no_control(text: str, option: str, what: str) -> None:
    match = _CONTROL_RE.search(text)
    if match:
        raise SpecError(
            f"{option}: the {what} {text!r} contains a control character ({match.group()!r}); "
            "use printable characters only."
        )


# ---------------------------------------------------------------- ports

def check_port_range(low: int, high: int, value: t.Any, option: str = "ports",
                     limit: int | None = DEFAULT_MAX_PORT_RANGE, limit_option: str | None = "max_port_range") -> None:
    """One mapping of ``high - low + 1`` ports is within ``limit`` (None: no limit); ``limit_option`` is the
    option that raises it (None: there is none)."""
    count = high - low + 1
    if limit is not None and count > limit:
        fix = (f"Publish fewer ports, or set {limit_option} to {count} or more if you really need them."
               if limit_option else "Publish fewer ports (a range per service that needs them).")
        raise SpecError(
            f"{option}: {value!r} publishes {count} ports; at most {limit} per mapping are allowed (each published "
            f"port costs a proxy process and firewall rules). {fix}"
        )


_RANGE_RE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def port_spec_count(value: t.Any) -> int:
    """How many container ports a ``-p`` spec publishes, without expanding it ('1-65535:1-65535' -> 65535).

    ``[ip:][host:]container[/proto]``; a host range for one container port is one binding.  A spec that
    does not parse counts 1 (the port parser reports it)."""
    text = str(value).strip()
    text = text.rsplit("/", 1)[0] if "/" in text else text
    container = text.rsplit(":", 1)[-1] if not text.endswith("]") else text
    match = _RANGE_RE.match(container)
    if not match:
        return 1
    low, high = int(match.group(1)), int(match.group(2))
    return max(high - low + 1, 1)


def check_ports(values: t.Iterable[t.Any] | None, option: str = "ports",
                limit: int | None = DEFAULT_MAX_PORT_RANGE, limit_option: str | None = "max_port_range") -> None:
    """Every ``-p`` spec (string or int) publishes at most ``limit`` ports; checked before expanding."""
    for value in values or []:
        if isinstance(value, dict):  # Compose's long syntax: target / published
            count = max(port_spec_count(value.get("target", "")), port_spec_count(value.get("published", "")))
        else:
            count = port_spec_count(value)
        check_port_range(1, count, value, option, limit, limit_option)


def check_port_count(bindings: t.Sized, value: t.Any, option: str = "ports",
                     limit: int | None = DEFAULT_MAX_PORT_RANGE, limit_option: str | None = "max_port_range") -> None:
    """The bindings one spec expanded to are within ``limit``."""
    check_port_range(1, len(bindings), value, option, limit, limit_option)


# ---------------------------------------------------------------- paths

def relative_bind_warning(written: str, base_dir: str | None, option: str = "volumes") -> str | None:
    """A warning when a relative bind source climbs out of its base with '..'; None otherwise.

    ``base_dir`` is what relative paths are resolved against (the project
    directory for compose, the module's working directory for container).
    """
    if not written or written.startswith(("/", "~")):
        return None
    parts = written.replace("\\", "/").split("/")
    if ".." not in parts:
        return None
    base = os.path.abspath(base_dir or os.getcwd())
    resolved = os.path.normpath(os.path.join(base, written))
    if resolved == base or resolved.startswith(base.rstrip("/") + "/"):
        return None
    return (
        f"{option}: the relative bind source {written!r} climbs out of {base} and mounts {resolved}; "
        "write the absolute path if that is intended."
    )


# ---------------------------------------------------------------- the container task as a whole

def _check_texts(params: t.Mapping[str, t.Any]) -> None:
    """No NUL in any option; env and secret_env keys and values checked as environment entries."""
    for option, value in params.items():
        if option in ("env", "secret_env"):
            check_env(value if isinstance(value, dict) else None, option)
        elif value is not None:
            check_no_nul(value, option)


def check_container_params(params: t.Mapping[str, t.Any]) -> None:
    """Everything of a container task (module or Compose service) that can be bounded before parsing:
    no NUL anywhere, env keys and values, the name, the hostname, integers, port ranges (before they
    are expanded), cpus.  Raises SpecError naming the option; never shows a secret value."""
    _check_texts(params)
    check_container_name(params.get("name"), "name")
    check_hostname(params.get("hostname"), "hostname")
    check_int_options(params)
    check_cpus(params.get("cpus"), "cpus")
    limit = params.get("max_port_range")
    limit = DEFAULT_MAX_PORT_RANGE if limit is None else check_int(limit, "max_port_range", 1, 65535)
    check_ports(params.get("ports"), "ports", limit)
    check_ports(params.get("exposed_ports"), "exposed_ports", limit)


def check_container_parsed(parsed: t.Mapping[str, t.Any]) -> None:
    """The parsed values that are sizes or durations: within int64 (bytes, nanoseconds)."""
    for option in ("memory", "memory_reservation", "memory_swap", "shm_size", "kernel_memory"):
        value = parsed.get(option)
        if isinstance(value, int) and not isinstance(value, bool):
            check_int(value, option, -1, INT64_MAX, "Write a size like 512m or 2g.")
    health = parsed.get("healthcheck") or {}
    if isinstance(health, dict):
        for key in ("Interval", "Timeout", "StartPeriod", "StartInterval"):
            if isinstance(health.get(key), int):
                check_duration_ns(health[key], f"healthcheck.{key[0].lower() + key[1:]}")
        if isinstance(health.get("Retries"), int):
            check_int(health["Retries"], "healthcheck.retries", 0, INT32_MAX)
    policy = parsed.get("restart_policy") or {}
    if isinstance(policy, dict) and isinstance(policy.get("MaximumRetryCount"), int):
        check_int(policy["MaximumRetryCount"], "restart_retries", 0, INT32_MAX)


def check_service_params(params: t.Mapping[str, t.Any]) -> None:
    """A Swarm service task: no NUL anywhere, env keys and values, the name (a DNS label), the hostname,
    replicas and port ranges -- all before any request."""
    _check_texts(params)
    check_service_name(params.get("name"), "name")
    check_hostname(params.get("hostname"), "hostname")
    if params.get("replicas") is not None and not isinstance(params.get("replicas"), str):
        check_int(params.get("replicas"), "replicas", 0, INT64_MAX)
    if params.get("wait_timeout") is not None:
        check_seconds(params.get("wait_timeout"), "wait_timeout")
    check_ports([p for p in params.get("ports") or [] if not isinstance(p, dict)], "ports", limit_option=None)
