# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading containers: ``docker ps``, ``docker container inspect``, ``docker logs``.

Pure helpers (filters, timestamps, log frames, secret redaction) sit at the
top and are unit-tested; ``ContainerInfo`` does the requests.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._diff import REDACTED, redact
from ansible_collections.devops.docker.plugins.module_utils._specs import SpecError, parse_duration

# Written by devops.docker.container: the comma-separated env keys that came
# from secret_env. Their values are redacted from everything we return.
SECRET_ENV_KEYS_LABEL = "devops.docker.secret-env-keys"
# Secret values shorter than this are only redacted in Config.Env, not
# searched for in the rest of the document (a one-letter secret would
# otherwise garble every string of the inspect data).
MIN_SECRET_SEARCH_LEN = 4

CONTAINER_FILTERS = (
    "ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label",
    "name", "network", "publish", "since", "status", "volume",
)
STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")


# ---------------------------------------------------------------- filters
def _filter_value(value: t.Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def normalize_filters(filters: dict[str, t.Any] | None, option: str = "filters") -> dict[str, list[str]]:
    """Turn what a user writes into what the Engine API wants: {key: [str, ...]}.

    ``{status: running}`` -> ``{"status": ["running"]}``;
    ``{label: {app: web, tier: null}}`` -> ``{"label": ["app=web", "tier"]}``.
    """
    result: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        if key not in CONTAINER_FILTERS:
            raise DockerError(
                f"{option}: unknown container filter {key!r}; use one of {', '.join(CONTAINER_FILTERS)} "
                "(as `docker ps --filter` takes them)."
            )
        if value is None:
            raise DockerError(f"{option}.{key}: a value is required, like {key}: VALUE or a list of values.")
        if isinstance(value, dict):
            values = [str(k) if v is None else f"{k}={_filter_value(v)}" for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            values = [_filter_value(v) for v in value]
        else:
            values = [_filter_value(value)]
        if key == "status":
            bad = [v for v in values if v not in STATUSES]
            if bad:
                raise DockerError(f"{option}.status: {', '.join(bad)} is not a container status; use {', '.join(STATUSES)}.")
        result[key] = values
    return result


def filters_to_cli(filters: dict[str, list[str]]) -> list[str]:
    """['--filter', 'label=app=web', ...] for the actions."""
    argv: list[str] = []
    for key in sorted(filters):
        for value in filters[key]:
            argv += ["--filter", f"{key}={value}"]
    return argv


# ---------------------------------------------------------------- timestamps
_NUMERIC_TS = re.compile(r"^\d+(?:\.\d{1,9})?$")


def parse_timestamp(value: t.Any, option: str, now: float | None = None) -> str | None:
    """A point in time as ``docker logs --since/--until`` takes it -> the API's 'seconds.nanos'.

    Accepts a UNIX timestamp (``1700000000``, ``1700000000.5``), an RFC 3339 /
    ISO 8601 date-time (``2024-05-01T10:00:00Z``, ``2024-05-01``; without a zone
    it is local time, like the CLI), or a duration meaning "that long ago"
    (``10m``, ``1h30m``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DockerError(f"{option}: {value!r} is not a point in time; write a UNIX timestamp, '2024-05-01T10:00:00Z' or '10m' (ago).")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = str(value).strip()
        if _NUMERIC_TS.match(text):
            seconds = float(text)
        elif re.fullmatch(r"[0-9.]+(?:ns|us|µs|ms|s|m|h)(?:[0-9.]+(?:ns|us|µs|ms|s|m|h))*", text):
            try:
                ago = parse_duration(text, option) or 0.0
            except SpecError as exc:
                raise DockerError(exc.msg) from exc
            seconds = (time.time() if now is None else now) - ago
        else:
            try:
                moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
            except ValueError as exc:
                raise DockerError(
                    f"{option}: {value!r} is not a point in time; write a UNIX timestamp (1700000000), "
                    "an RFC 3339 date-time ('2024-05-01T10:00:00Z', '2024-05-01') or a duration meaning that long ago ('10m', '1h30m')."
                ) from exc
            if moment.tzinfo is None:
                moment = moment.astimezone()
            seconds = moment.timestamp()
    if seconds < 0:
        raise DockerError(f"{option}: {value!r} lies before 1970; give a later point in time.")
    whole = int(seconds)
    nanos = int(round((seconds - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    return f"{whole}.{nanos:09d}"


def parse_tail(value: t.Any, option: str = "tail") -> str:
    """'all' or a count of lines -> the API's tail parameter."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "all"):
        return "all"
    if isinstance(value, bool):
        raise DockerError(f"{option}: {value!r} is not a number of lines; write a number like 20, or 'all'.")
    try:
        lines = int(str(value).strip())
    except ValueError as exc:
        raise DockerError(f"{option}: {value!r} is not a number of lines; write a number like 20, or 'all'.") from exc
    if lines < 0:
        raise DockerError(f"{option}: {value!r} is negative; write a number of lines (0 or more), or 'all'.")
    return str(lines)


# ---------------------------------------------------------------- log frames
def iter_frames(data: bytes) -> t.Iterator[tuple[int, bytes]]:
    """Docker's multiplexed stream -> (stream, payload): 0 stdin, 1 stdout, 2 stderr.

    Bytes that do not form a frame (a TTY stream, or a cut-off tail) come out as stdout.
    """
    pos = 0
    size_total = len(data)
    while pos + 8 <= size_total and data[pos] in (0, 1, 2) and data[pos + 1:pos + 4] == b"\x00\x00\x00":
        kind = data[pos]
        size = int.from_bytes(data[pos + 4:pos + 8], "big")
        yield (kind or 1), data[pos + 8:pos + 8 + size]
        pos += 8 + size
    if pos < size_total:
        yield 1, data[pos:]


def split_output(data: bytes, tty: bool) -> dict[str, str]:
    """stdout and stderr apart, plus ``output`` (both, in the order they were written)."""
    if tty:
        text = data.decode("utf-8", errors="replace")
        return {"stdout": text, "stderr": "", "output": text}
    out, err, both = bytearray(), bytearray(), bytearray()
    for kind, payload in iter_frames(data):
        (err if kind == 2 else out).extend(payload)
        both.extend(payload)
    return {
        "stdout": out.decode("utf-8", errors="replace"),
        "stderr": err.decode("utf-8", errors="replace"),
        "output": both.decode("utf-8", errors="replace"),
    }


# ---------------------------------------------------------------- secrets
def secret_env_keys(container: dict[str, t.Any]) -> list[str]:
    labels = (container.get("Config") or {}).get("Labels") or {}
    raw = labels.get(SECRET_ENV_KEYS_LABEL) or ""
    return [key.strip() for key in raw.split(",") if key.strip()]


def secret_values(container: dict[str, t.Any] | None, min_len: int = 1) -> list[str]:
    """The values of the container's secret env keys (longest first), at least ``min_len`` characters long."""
    if not container:
        return []
    keys = set(secret_env_keys(container))
    values = []
    for item in (container.get("Config") or {}).get("Env") or []:
        key, sep, value = item.partition("=")
        if sep and key in keys and len(value) >= max(min_len, 1):
            values.append(value)
    return sorted(set(values), key=len, reverse=True)


def redact_container(container: dict[str, t.Any] | None, keys: t.Iterable[str] | None = None) -> dict[str, t.Any] | None:
    """Inspect data with the values of secret env keys replaced by ********.

    ``keys`` defaults to the keys named in the container's
    ``devops.docker.secret-env-keys`` label.  The values are replaced in
    ``Config.Env`` and, when at least 4 characters long, anywhere else in the document.
    """
    if not container:
        return container
    wanted = set(secret_env_keys(container) if keys is None else keys)
    if not wanted:
        return container
    doc = copy.deepcopy(container)
    config = doc.get("Config") or {}
    env = config.get("Env") or []
    secrets: list[str] = []
    new_env = []
    for item in env:
        key, sep, value = item.partition("=")
        if sep and key in wanted:
            if value:
                secrets.append(value)
            new_env.append(f"{key}={REDACTED}")
        else:
            new_env.append(item)
    if "Env" in config:
        config["Env"] = new_env
    long_secrets = sorted((s for s in secrets if len(s) >= MIN_SECRET_SEARCH_LEN), key=len, reverse=True)
    return redact(doc, long_secrets) if long_secrets else doc


# ---------------------------------------------------------------- the reader
class ContainerInfo:
    """What container_info does: inspect one, list many, read logs."""

    def __init__(self, api: DockerAPI, params: dict[str, t.Any]) -> None:
        self.api = api
        self.params = params
        self.actions: list[str] = []

    def _action(self, *argv: str) -> None:
        import shlex  # pylint: disable=import-outside-toplevel

        self.actions.append(" ".join(shlex.quote(a) for a in argv if a))

    def validate(self) -> dict[str, t.Any]:
        """Check every option before talking to the daemon."""
        p = self.params
        checked: dict[str, t.Any] = {}
        if p.get("name") is None and p.get("logs"):
            raise DockerError("logs: reading logs needs one container: set name (logs are not read for a list of containers).")
        checked["filters"] = normalize_filters(p.get("filters"))
        checked["tail"] = parse_tail(p.get("tail"))
        checked["since"] = parse_timestamp(p.get("since"), "since")
        checked["until"] = parse_timestamp(p.get("until"), "until")
        return checked

    def run(self) -> dict[str, t.Any]:
        checked = self.validate()
        p = self.params
        if p.get("name") is not None:
            return self._one(p["name"], checked)
        return self._many(checked)

    def _one(self, name: str, checked: dict[str, t.Any]) -> dict[str, t.Any]:
        self._action("docker", "container", "inspect", name)
        container = self.api.inspect_container(name)
        result: dict[str, t.Any] = {"exists": container is not None, "container": redact_container(container) or {}}
        if container is not None and self.params.get("logs"):
            result["logs"], result["logs_lines"] = self._logs(container, checked)
        result["actions"] = self.actions
        return result

    def _logs(self, container: dict[str, t.Any], checked: dict[str, t.Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
        p = self.params
        argv = ["docker", "logs"]
        if checked["tail"] != "all":
            argv += ["--tail", checked["tail"]]
        if p.get("since") not in (None, ""):
            argv += ["--since", str(p["since"])]
        if p.get("until") not in (None, ""):
            argv += ["--until", str(p["until"])]
        if p.get("timestamps"):
            argv.append("--timestamps")
        self._action(*argv, p["name"])
        query = {
            "stdout": True,
            "stderr": True,
            "follow": False,
            "timestamps": bool(p.get("timestamps")),
            "tail": checked["tail"],
            "since": checked["since"],
            "until": checked["until"],
        }
        resp = self.api.request("GET", self.api.url("/containers/{0}/logs", container["Id"]), query, expect=(501,))
        data = resp.read()
        if resp.status == 501:
            driver = ((container.get("HostConfig") or {}).get("LogConfig") or {}).get("Type", "?")
            raise DockerError(
                f"logs: container {p['name']!r} logs with the {driver!r} log driver, which cannot be read back; "
                "recreate it with log_driver json-file or local to read its logs."
            )
        tty = bool((container.get("Config") or {}).get("Tty"))
        parts = split_output(data, tty)
        secrets = secret_values(container, MIN_SECRET_SEARCH_LEN)
        if secrets:
            parts = redact(parts, secrets)
        lines = {key: parts[key].splitlines() for key in ("stdout", "stderr", "output")}
        return parts, lines

    def _many(self, checked: dict[str, t.Any]) -> dict[str, t.Any]:
        p = self.params
        filters = checked["filters"]
        argv = ["docker", "ps"]
        if p.get("all"):
            argv.append("--all")
        argv += filters_to_cli(filters)
        argv.append("--no-trunc")
        self._action(*argv)
        listed = self.api.get("/containers/json", {"all": bool(p.get("all")), "filters": filters or None}) or []
        if p.get("inspect"):
            ids = [c["Id"] for c in listed]
            if ids:
                self._action("docker", "container", "inspect", *ids)
            containers = []
            for cid in ids:
                data = self.api.inspect_container(cid)
                if data is not None:  # removed between the list and the inspect
                    containers.append(redact_container(data))
        else:
            containers = listed
        return {"exists": bool(containers), "containers": containers, "actions": self.actions}
