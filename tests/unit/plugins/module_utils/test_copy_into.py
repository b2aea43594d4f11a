# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""container_copy_into: mode parsing, the one-file tar, and the copy's decisions against a fake archive API."""

from __future__ import annotations

import base64
import io
import json
import tarfile
import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._copy_into import (
    COPY_INTO_ARGS,
    CopyInto,
    container_file_mode,
    is_binary,
    one_file_tar,
    parse_mode,
)

CID = "c" * 64


@pytest.mark.parametrize(
    "value, how, expected",
    [
        (420, "legacy", 0o644),
        ("420", "legacy", 420),  # community.docker's legacy: a string is decimal
        ("0644", "modern", 0o644),
        (0o755, "modern", 0o755),
        ("4755", "octal_string_only", 0o4755),
        (None, "modern", None),
    ],
)
def test_parse_mode(value: t.Any, how: str, expected: int | None) -> None:
    assert parse_mode(value, how) == expected


@pytest.mark.parametrize("value, how", [(420, "octal_string_only"), ("89", "modern"), ("x", "legacy"), (0o17777, "modern"), (True, "legacy")])
def test_parse_mode_rejects(value: t.Any, how: str) -> None:
    with pytest.raises(DockerError, match="mode"):
        parse_mode(value, how)


def test_is_binary() -> None:
    assert not is_binary(b"hello\nworld\n")
    assert is_binary(b"a\x00b")
    assert is_binary(b"\xff\xfe")


def test_container_file_mode_special_bits() -> None:
    assert container_file_mode(0o644) == 0o644
    assert container_file_mode(0o755 | (1 << 23)) == 0o4755  # Go ModeSetuid
    assert container_file_mode(0o755 | (1 << 22)) == 0o2755  # Go ModeSetgid
    assert container_file_mode(0o777 | (1 << 20)) == 0o1777  # Go ModeSticky


def test_one_file_tar() -> None:
    body = one_file_tar("app.conf", b"x=1\n", None, 0o640, 1000, 1001)
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        (member,) = tar.getmembers()
        assert (member.name, member.mode, member.uid, member.gid, member.size) == ("app.conf", 0o640, 1000, 1001, 4)
        assert tar.extractfile(member).read() == b"x=1\n"
    body = one_file_tar("link", None, "/etc/target", 0o777, 0, 0)
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        (member,) = tar.getmembers()
        assert member.issym() and member.linkname == "/etc/target"


# ---------------------------------------------------------------- the copy against a fake daemon
class FakeResponse:
    def __init__(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}

    def read(self) -> bytes:
        return self.body


class FakeArchiveAPI:
    """One container whose files are {path: (data, mode, uid, gid)}; folders are a set."""

    def __init__(self, files: dict[str, tuple[bytes, int, int, int]], folders: set[str], running: bool = True) -> None:
        self.files = files
        self.folders = folders
        self.running = running
        self.puts: list[tuple[str, bytes]] = []

    def url(self, path: str, *args: str) -> str:
        return path.format(*args)

    def inspect_container(self, name: str) -> dict[str, t.Any] | None:
        if name != "dt-box":
            return None
        return {"Id": CID, "Name": "/dt-box", "State": {"Running": self.running, "Paused": False}}

    def request(self, method: str, path: str, params: t.Any = None, body: t.Any = None, **kwargs: t.Any) -> FakeResponse:
        target = params["path"]
        if method == "HEAD":
            if target in self.folders:
                stat = {"name": target.rsplit("/", 1)[-1], "size": 0, "mode": (1 << 31) | 0o755, "linkTarget": ""}
            elif target in self.files:
                data, mode, _uid, _gid = self.files[target]
                stat = {"name": target.rsplit("/", 1)[-1], "size": len(data), "mode": mode, "linkTarget": ""}
            else:
                return FakeResponse(404)
            return FakeResponse(200, headers={"X-Docker-Container-Path-Stat": base64.b64encode(json.dumps(stat).encode()).decode()})
        if method == "GET":
            if target not in self.files:
                return FakeResponse(404)
            data, mode, uid, gid = self.files[target]
            return FakeResponse(200, one_file_tar(target.rsplit("/", 1)[-1], data, None, mode, uid, gid))
        if method == "PUT":
            self.puts.append((target, body))
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                for member in tar.getmembers():
                    handle = tar.extractfile(member)
                    self.files[target.rstrip("/") + "/" + member.name] = (
                        handle.read() if handle else b"", member.mode, member.uid, member.gid)
            return FakeResponse(200)
        raise AssertionError(f"unexpected {method} {path}")


class FakeModule:
    def __init__(self, api: FakeArchiveAPI, check_mode: bool = False, diff_mode: bool = True, **params: t.Any) -> None:
        self.params = {key: spec.get("default") for key, spec in COPY_INTO_ARGS.items()}
        self.params.update(params)
        self.api = api
        self.check_mode = check_mode
        self.diff_mode = diff_mode


def run(api: FakeArchiveAPI, check_mode: bool = False, **params: t.Any) -> dict[str, t.Any]:
    params = {"container": "dt-box", "container_path": "/etc/app.conf", "owner_id": 0, "group_id": 0, **params}
    return CopyInto(FakeModule(api, check_mode, **params)).run()


def test_content_create_then_idempotent_then_change() -> None:
    api = FakeArchiveAPI({}, {"/", "/etc"})
    res = run(api, check_mode=True, content="a=1\n", mode="0644", mode_parse="modern")
    assert res["changed"] and not api.puts  # check mode writes nothing
    res = run(api, content="a=1\n", mode="0644", mode_parse="modern")
    assert res["changed"] and api.files["/etc/app.conf"] == (b"a=1\n", 0o644, 0, 0)
    assert run(api, content="a=1\n", mode="0644", mode_parse="modern")["changed"] is False
    assert run(api, content="a=1\n", mode="0600", mode_parse="modern")["changed"] is True  # mode differs
    assert run(api, content="a=1\n", mode="0600", mode_parse="modern", owner_id=5, group_id=5)["changed"] is True
    assert run(api, content="a=2\n", mode="0600", mode_parse="modern", owner_id=5, group_id=5)["changed"] is True
    assert api.files["/etc/app.conf"] == (b"a=2\n", 0o600, 5, 5)


def test_content_is_never_in_the_diff() -> None:
    api = FakeArchiveAPI({"/etc/app.conf": (b"old-secret\n", 0o600, 0, 0)}, {"/", "/etc"})
    res = run(api, content="new-secret\n", mode=0o600, mode_parse="modern")
    text = json.dumps(res)
    assert "old-secret" not in text and "new-secret" not in text
    assert res["diff"]["before"] != res["diff"]["after"]


def test_path_diff_shows_text(tmp_path: t.Any) -> None:
    src = tmp_path / "data.txt"
    src.write_bytes(b"line\n")
    src.chmod(0o640)
    api = FakeArchiveAPI({"/etc/app.conf": (b"other\n", 0o640, 0, 0)}, {"/", "/etc"})
    res = run(api, path=str(src))
    assert res["diff"]["before"] == "other\n" and res["diff"]["after"] == "line\n"
    assert api.files["/etc/app.conf"] == (b"line\n", 0o640, 0, 0)  # mode taken from the source file
    assert run(api, path=str(src))["changed"] is False


def test_force_false_only_creates() -> None:
    api = FakeArchiveAPI({"/etc/app.conf": (b"keep\n", 0o644, 0, 0)}, {"/", "/etc"})
    assert run(api, content="other\n", mode=420, force=False)["changed"] is False
    assert api.files["/etc/app.conf"][0] == b"keep\n"
    assert run(api, content="keep\n", mode=420, force=True)["changed"] is True


def test_missing_folder_fails_in_check_mode_too() -> None:
    api = FakeArchiveAPI({}, {"/"})
    with pytest.raises(DockerError, match="folder /etc does not exist"):
        run(api, check_mode=True, content="x", mode=420)


def test_directory_destination_fails() -> None:
    api = FakeArchiveAPI({}, {"/", "/etc", "/etc/app.conf"})
    with pytest.raises(DockerError, match="is a directory"):
        run(api, content="x", mode=420)


def test_stopped_container_needs_owner() -> None:
    api = FakeArchiveAPI({}, {"/", "/etc"}, running=False)
    with pytest.raises(DockerError, match="owner_id and group_id"):
        run(api, content="x", mode=420, owner_id=None, group_id=None)


def test_missing_container() -> None:
    api = FakeArchiveAPI({}, {"/"})
    with pytest.raises(DockerError, match="does not exist"):
        run(api, container="dt-nope", content="x", mode=420)
