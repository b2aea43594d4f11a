# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the keyed secret fingerprints (_fingerprint)."""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
import stat

import pytest

from ansible_collections.devops.docker.plugins.module_utils import _fingerprint as fp

KEY = b"k" * 32


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "state" / "devops.docker" / "fingerprint.key"
    monkeypatch.setenv(fp.KEY_FILE_ENV, str(path))
    monkeypatch.setattr(fp, "_KEY_CACHE", {})
    return path


def test_format_and_determinism():
    one = fp.fingerprint("A=1", "container-secret-env", key=KEY)
    assert one.startswith("hmac-sha256:v1:")
    assert len(one) == len("hmac-sha256:v1:") + 64
    assert one == fp.fingerprint(b"A=1", "container-secret-env", key=KEY)
    assert fp.is_current(one)
    assert not fp.is_legacy(one)


def test_key_changes_output():
    assert fp.fingerprint("A=1", "p", key=KEY) != fp.fingerprint("A=1", "p", key=b"x" * 32)


def test_domain_separation():
    a = fp.fingerprint("secret", "container-secret-env", key=KEY)
    b = fp.fingerprint("secret", "swarm-secret", key=KEY)
    assert a != b
    assert not fp.matches(a, "secret", "swarm-secret", key=KEY)
    assert fp.matches(a, "secret", "container-secret-env", key=KEY)


@pytest.mark.parametrize("purpose", ["", "a\0b", None])
def test_bad_purpose(purpose):
    with pytest.raises(ValueError):
        fp.fingerprint("x", purpose, key=KEY)


def test_short_explicit_key_refused():
    with pytest.raises(fp.FingerprintError):
        fp.fingerprint("x", "p", key=b"short")


def test_key_file_created_private(key_file):
    value = fp.fingerprint("A=1", "container-secret-env")
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert len(key_file.read_bytes()) == fp.KEY_SIZE
    # the same key is used next time (also after the cache is dropped)
    fp._KEY_CACHE.clear()
    assert fp.fingerprint("A=1", "container-secret-env") == value
    assert value == fp.fingerprint("A=1", "container-secret-env", key=key_file.read_bytes())
    # no temporary files left behind
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["fingerprint.key"]


def test_key_file_readable_by_others_refused(key_file):
    fp.load_key()
    os.chmod(key_file, 0o644)
    fp._KEY_CACHE.clear()
    with pytest.raises(fp.FingerprintError, match="chmod 600"):
        fp.fingerprint("A=1", "p")


def test_key_file_symlink_refused(key_file, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_bytes(b"z" * 32)
    os.chmod(target, 0o600)
    key_file.parent.mkdir(parents=True)
    key_file.symlink_to(target)
    with pytest.raises(fp.FingerprintError, match="symbolic link"):
        fp.load_key()


def test_key_file_too_short_refused(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"abc")
    os.chmod(key_file, 0o600)
    with pytest.raises(fp.FingerprintError, match="fewer than"):
        fp.load_key()


def test_default_paths(monkeypatch, tmp_path):
    monkeypatch.delenv(fp.KEY_FILE_ENV, raising=False)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert fp.key_path() == "/var/lib/devops.docker/fingerprint.key"
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert fp.key_path() == str(tmp_path / "devops.docker" / "fingerprint.key")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fp.key_path() == str(tmp_path / "home" / ".local" / "share" / "devops.docker" / "fingerprint.key")


def _race_worker(args):
    path, barrier_dir = args
    os.environ[fp.KEY_FILE_ENV] = path
    fp._KEY_CACHE.clear()
    return fp.load_key()


def test_key_creation_race(tmp_path):
    """Many processes creating the key at once all end up with the one key on disk."""
    path = str(tmp_path / "d" / "fingerprint.key")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(8) as pool:
        keys = pool.map(_race_worker, [(path, str(tmp_path))] * 32)
    on_disk = open(path, "rb").read()
    assert len(on_disk) == fp.KEY_SIZE
    assert set(keys) == {on_disk}
    assert sorted(os.listdir(tmp_path / "d")) == ["fingerprint.key"]


def test_lost_race_reads_winner(key_file, monkeypatch):
    """os.link failing with EEXIST: the other process's key is read and used."""
    winner = b"w" * 32
    real_link = os.link

    def link(src, dst):
        with open(dst, "wb") as handle:
            handle.write(winner)
        os.chmod(dst, 0o600)
        return real_link(src, dst)  # raises FileExistsError now

    monkeypatch.setattr(os, "link", link)
    assert fp.load_key() == winner


SECRETS = ["1234", "hunter2", "s3cr3t-token"]


def _plain_hashes(text: str) -> set[str]:
    out = set()
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "sha3_256"):
        digest = hashlib.new(name, text.encode()).digest()
        out.add(digest.hex())
        out.add(base64.b64encode(digest).decode())
    return out


@pytest.mark.parametrize("secret", SECRETS)
def test_output_is_no_plain_hash(secret):
    data = f"TOKEN={secret}"
    value = fp.fingerprint(data, "container-secret-env", key=KEY)
    body = value[len(fp.PREFIX):]
    for candidate in (secret, data):
        hashes = _plain_hashes(candidate)
        assert value not in hashes
        assert body not in hashes
        assert body.upper() not in {h.upper() for h in hashes}


def test_offline_guess_needs_key():
    """Knowing the format and the purpose, a guess cannot be checked without the key."""
    stored = fp.fingerprint("TOKEN=1234", "container-secret-env", key=KEY)
    hits = [n for n in range(10000)
            if fp.matches(stored, f"TOKEN={n:04d}", "container-secret-env", key=b"g" * 32)]
    assert hits == []


def test_legacy_plain_sha256_matches():
    data = "A=1\nB=two"
    legacy = hashlib.sha256(data.encode()).hexdigest()  # what earlier releases wrote in the label
    assert fp.is_legacy(legacy)
    assert fp.is_legacy("sha256:" + legacy)
    assert fp.is_legacy(legacy.upper())
    assert fp.matches(legacy, data, "container-secret-env", key=KEY)
    assert fp.matches("sha256:" + legacy, data, "container-secret-env", key=KEY)
    assert not fp.matches(legacy, "A=1\nB=three", "container-secret-env", key=KEY)


@pytest.mark.parametrize("stored", [None, "", "garbage", "hmac-sha256:v1:xyz", "hmac-sha256:v2:" + "0" * 64, "0" * 63])
def test_unknown_stored_never_matches(stored):
    assert not fp.matches(stored, "A=1", "p", key=KEY)
    assert not fp.is_legacy(stored)


def test_matches_current_with_host_key(key_file):
    stored = fp.fingerprint("A=1", "container-secret-env")
    assert fp.matches(stored, "A=1", "container-secret-env")
    assert not fp.matches(stored, "A=2", "container-secret-env")
    # another host's key: reads as changed, never as a silent match
    assert not fp.matches(stored, "A=1", "container-secret-env", key=b"o" * 32)
