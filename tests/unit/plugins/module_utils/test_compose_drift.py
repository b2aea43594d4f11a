# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compose sees a service container that lost a network, from the container listing alone."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._drift import network_drift


def summary(**networks):
    return {"NetworkSettings": {"Networks": {name: {"NetworkID": nid} for name, nid in networks.items()}}}


@pytest.mark.parametrize("listed, wanted, drifted", [
    (summary(p_front="n1", p_back="n2"), {"p_front": "n1", "p_back": "n2"}, []),
    (summary(p_front="n1"), {"p_front": "n1", "p_back": "n2"}, ["p_back"]),  # disconnected from outside
    (summary(p_front="old"), {"p_front": "n1"}, ["p_front"]),  # the network was replaced under it
    (summary(p_front="n1"), {"p_front": None}, []),  # ID unknown: presence is enough
    (summary(), {"p_front": None}, ["p_front"]),  # removed; this run creates it again
    (summary(p_front="n1", other="x"), {"p_front": "n1"}, []),  # extra networks are not drift
    ({}, {"p_front": "n1"}, ["p_front"]),
])
def test_network_drift(listed, wanted, drifted):
    assert network_drift(listed, wanted) == drifted
