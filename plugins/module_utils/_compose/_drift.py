# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Network drift of a Compose service container, read from the container list (no extra request).

A container whose configuration hash is unchanged is normally left alone.  It still needs the
converger when it lost a network it should be on: disconnected from outside, or its network was
removed (``docker network rm`` after a forced disconnect) and is created again by this run, or the
network was replaced by another of the same name (its endpoint points to a network ID that is gone).
The container manager then reconnects it with its aliases and addresses; the container itself is not
replaced.
"""

from __future__ import annotations

import typing as t


def network_drift(summary: dict[str, t.Any], wanted: t.Mapping[str, str | None]) -> list[str]:
    """The names of the networks in ``wanted`` ({name: current network ID, None when unknown or about to
    be created}) that the listed container (``GET /containers/json`` entry) is not properly on."""
    endpoints = ((summary.get("NetworkSettings") or {}).get("Networks")) or {}
    drifted = []
    for name, network_id in sorted(wanted.items()):
        endpoint = endpoints.get(name)
        if endpoint is None:
            drifted.append(name)
        elif network_id and endpoint.get("NetworkID") and endpoint["NetworkID"] != network_id:
            drifted.append(name)
    return drifted
