# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the compose module takes (``COMPOSE_ARGS``) and the labels Docker Compose writes on what it
makes, so the Compose CLI and this collection adopt each other's containers, networks and volumes."""

from __future__ import annotations

import re
import typing as t

LABEL_PROJECT = "com.docker.compose.project"
LABEL_SERVICE = "com.docker.compose.service"
LABEL_NUMBER = "com.docker.compose.container-number"
LABEL_ONEOFF = "com.docker.compose.oneoff"
LABEL_HASH = "com.docker.compose.config-hash"
LABEL_WORKDIR = "com.docker.compose.project.working_dir"
LABEL_FILES = "com.docker.compose.project.config_files"
LABEL_DEPENDS = "com.docker.compose.depends_on"
LABEL_IMAGE = "com.docker.compose.image"
LABEL_VERSION = "com.docker.compose.version"
LABEL_NETWORK = "com.docker.compose.network"
LABEL_VOLUME = "com.docker.compose.volume"
LABEL_REFS_DIGEST = "devops.docker.compose.refs-digest"  # sha256 of the containers it shares namespaces/volumes with
LABEL_FILES_DIGEST = "devops.docker.compose.files-digest"  # sha256 of the secrets/configs a container mounts
COMPOSE_VERSION = "2.20.2"  # the Compose CLI version whose labels we write

COMPOSE_ARGS: dict[str, t.Any] = {
    "project_src": {"type": "path"},
    "files": {"type": "list", "elements": "path"},
    "definition": {"type": "dict"},
    "project_name": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "stopped", "restarted"]},
    "services": {"type": "list", "elements": "str"},
    "build": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "pull": {"type": "str", "default": "missing", "choices": ["missing", "always", "never"]},
    "recreate": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "remove_orphans": {"type": "bool", "default": False},
    "remove_volumes": {"type": "bool", "default": False},
    "renew_anon_volumes": {"type": "bool", "default": False},
    "actions_format": {"type": "str", "choices": ["cli", "compose"], "default": "cli"},
    "wait": {"type": "bool", "default": False},
    "wait_timeout": {"type": "int", "default": 120},
    "env": {"type": "dict"},
    "env_files": {"type": "list", "elements": "path"},
    "profiles": {"type": "list", "elements": "str"},
}

POLL = 0.25
# Environment variables with these words in their name are passed as the container
# module's secret_env: their values never show in the diff, the actions or the output.
SECRET_NAME_RE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY", re.IGNORECASE)


def spec_defaults(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    """A full params dict from an argument spec: every option, at its default (suboptions too)."""
    result: dict[str, t.Any] = {}
    for key, opt in spec.items():
        result[key] = opt.get("default")
    return result


def fill_params(spec: dict[str, t.Any], values: dict[str, t.Any]) -> dict[str, t.Any]:
    """values over the spec's defaults, suboptions too: a full params dict for another manager."""
    params = spec_defaults(spec)
    params.update(values)
    for key, opt in spec.items():
        sub = opt.get("options")
        if sub and isinstance(params.get(key), dict):
            params[key] = fill_params(sub, params[key])
    return params


def summary_name(summary: dict[str, t.Any]) -> str:
    """A container's name in a /containers/json entry."""
    names = summary.get("Names") or []
    return names[0].lstrip("/") if names else summary["Id"][:12]


def replica_number(summary: dict[str, t.Any]) -> int:
    """The replica number Compose labels a container with (0 when it has none)."""
    try:
        return int((summary.get("Labels") or {}).get(LABEL_NUMBER) or 0)
    except ValueError:
        return 0
