# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Built module payloads kept between ansible-playbook runs (plugin_utils/_payload_cache)."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.devops.docker.plugins.plugin_utils import _payload_cache as cache

NAME = "ansible_collections.devops.docker.plugins.modules.compose-ZIP_DEFLATED-none"


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """A run's local tmp and an ANSIBLE_HOME, both empty."""
    run_tmp, home = tmp_path / "local", tmp_path / "home"
    run_tmp.mkdir()
    monkeypatch.setattr(cache.C, "DEFAULT_LOCAL_TMP", str(run_tmp), raising=False)
    monkeypatch.setattr(cache.C, "ANSIBLE_HOME", str(home), raising=False)
    monkeypatch.delenv(cache.ENV, raising=False)
    return run_tmp, home


def test_a_payload_built_in_one_run_is_there_for_the_next(dirs):
    run_tmp, home = dirs
    first = cache.Folders()
    first.seed()
    (run_tmp / "ansiballz_cache" / NAME).write_bytes(b"payload")  # what Ansible builds
    (run_tmp / "ansiballz_cache" / (NAME + ".lock")).write_bytes(b"")
    (run_tmp / "ansiballz_cache" / "ansible_collections.other.coll.plugins.modules.x-ZIP_DEFLATED-none").write_bytes(b"no")
    first.keep()
    kept = home / "devops.docker" / "payloads" / cache.fingerprint()
    assert sorted(os.listdir(kept)) == [NAME]
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(kept / NAME).st_mode) == 0o600

    next_run = run_tmp / "next"
    cache.C.DEFAULT_LOCAL_TMP = str(next_run)
    cache.Folders().seed()
    assert (next_run / "ansiballz_cache" / NAME).read_bytes() == b"payload"


def test_the_fingerprint_follows_every_module_file(tmp_path):
    plugins = tmp_path / "plugins"
    (plugins / "modules").mkdir(parents=True)
    (plugins / "module_utils" / "_sub").mkdir(parents=True)
    (plugins / "modules" / "m.py").write_text("A = 1\n")
    (plugins / "module_utils" / "_sub" / "_u.py").write_text("B = 1\n")
    before = cache.fingerprint(str(plugins))
    assert cache.fingerprint(str(plugins)) == before
    (plugins / "module_utils" / "_sub" / "_u.py").write_text("B = 2\n")
    changed = cache.fingerprint(str(plugins))
    assert changed != before
    (plugins / "module_utils" / "_sub" / "_v.py").write_text("")
    assert cache.fingerprint(str(plugins)) != changed


def test_turned_off_touches_nothing(dirs, monkeypatch):
    run_tmp, home = dirs
    monkeypatch.setenv(cache.ENV, "off")
    folders = cache.Folders()
    folders.seed()
    folders.keep()
    assert folders.kept is None and not home.exists()


def test_a_kept_folder_others_can_read_is_not_used(dirs):
    run_tmp, home = dirs
    store = home / "devops.docker" / "payloads"
    store.mkdir(parents=True)
    os.chmod(store, 0o755)
    assert cache.Folders().kept is None


def test_other_fingerprints_go_when_unused_for_a_week(dirs):
    run_tmp, home = dirs
    store = home / "devops.docker" / "payloads"
    old, recent = store / "old", store / "recent"
    for folder in (old, recent):
        folder.mkdir(parents=True)
    os.chmod(home / "devops.docker", 0o700)
    os.chmod(store, 0o700)
    os.utime(old, (1, 1))
    folders = cache.Folders()
    (run_tmp / "ansiballz_cache").mkdir()
    (run_tmp / "ansiballz_cache" / NAME).write_bytes(b"payload")
    folders.keep()
    assert not old.exists() and recent.exists()
