# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import PortBinding, parse_port


def test_an_empty_host_ip_is_every_address():
    # docker run -p ':8080:80' and Compose files that write '${BIND:-}:8080:80'
    assert parse_port(":8080:80") == [PortBinding(80, "tcp", "", "8080")]
    assert parse_port(":8080:80/udp")[0].cli() == "8080:80/udp"


def test_a_wrong_host_ip_is_still_named():
    with pytest.raises(SpecError, match="invalid host IP 'localhost'"):
        parse_port("localhost:8080:80")
