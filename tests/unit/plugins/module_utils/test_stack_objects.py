# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stack's secrets and configs: definitions (file, environment, content, external) and service references."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import CONFIG, SECRET
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack_objects import parse_definitions, service_refs
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


def test_definitions(tmp_path):
    (tmp_path / "pw.txt").write_bytes(b"s3cret")
    defs = parse_definitions({
        "pw": {"file": "./pw.txt"},
        "key": {"environment": "API_KEY", "name": "api-key-v2"},
        "shared": {"external": True, "name": "made-elsewhere"},
        "old": {"external": {"name": "legacy"}},
    }, SECRET, "shop", str(tmp_path), {"API_KEY": "k"})
    assert defs["pw"]["name"] == "shop_pw" and defs["pw"]["data"] == b"s3cret"
    assert defs["pw"]["labels"] == {"com.docker.stack.namespace": "shop"}
    assert defs["key"]["name"] == "api-key-v2" and defs["key"]["data"] == b"k"
    assert defs["shared"] == {"name": "made-elsewhere", "external": True, "source": "external"}
    assert defs["old"]["name"] == "legacy"
    conf = parse_definitions({"motd": {"content": "hi", "template_driver": "golang"}}, CONFIG, "shop", str(tmp_path), {})
    assert conf["motd"]["data"] == b"hi" and conf["motd"]["template_driver"] == "golang"


@pytest.mark.parametrize("raw, match", [
    ({"pw": {"content": "inline"}}, "does not belong"),
    ({"pw": {"file": "./missing"}}, "cannot read"),
    ({"pw": {"environment": "UNSET"}}, "not set"),
    ({"pw": {}}, "exactly one"),
    ({"pw": {"external": True, "file": "./x"}}, "made elsewhere"),
    ({"pw": {"driver": "vault"}}, "drivers"),
])
def test_bad_definitions(tmp_path, raw, match):
    with pytest.raises(SpecError, match=match):
        parse_definitions(raw, SECRET, "shop", str(tmp_path), {})


def test_service_refs_short_and_long():
    defs = {"pw": {"name": "shop_pw"}, "shared": {"name": "made-elsewhere"}}
    refs = service_refs(["shared", {"source": "pw", "target": "db-pw", "mode": 0o400, "uid": "999"}], SECRET, defs,
                        "services.app.secrets")
    assert refs == [
        {"secret_name": "made-elsewhere", "filename": "shared"},
        {"secret_name": "shop_pw", "filename": "db-pw", "mode": 0o400, "uid": "999"},
    ]
    assert service_refs(None, SECRET, defs, "x") is None
    with pytest.raises(SpecError, match="not defined"):
        service_refs(["nope"], SECRET, defs, "services.app.secrets")
