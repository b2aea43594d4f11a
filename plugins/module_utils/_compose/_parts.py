# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The state ComposeManager's parts share, declared once: resources (``_resources``), replicas (``_replica``,
``_containers``), hooks (``_hooks``) and dependency waits (``_waits``) each derive from ``ProjectParts``, and
ComposeManager sets these attributes before any of them runs."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._project import Project
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker


class ProjectParts:
    """The inputs (the Manager base's), the loaded project and what the run has learnt so far."""

    api: t.Any
    params: dict[str, t.Any]
    check_mode: bool
    tracker: Tracker
    warn: t.Callable[[str], None]
    project: Project
    name: str
    selected: list[str]
    wait_timeout: float
    containers: list[dict[str, t.Any]]
    image_ids: dict[str, str | None]
    built: list[str]
    pending_networks: set[str]
    network_ids: dict[str, str]
    _image_cache: dict[str, dict[str, t.Any] | None]
    _container_spec: dict[str, t.Any] | None
    image_ref: t.Callable[[str], str]
    _list_containers: t.Callable[[], list[dict[str, t.Any]]]
    _service_containers: t.Callable[[str], list[dict[str, t.Any]]]
    _waits_for_health: t.Callable[[str], bool]
