# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The compiled-code cache of module_utils imported from AnsiballZ's zip (_bytecode)."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
import zipfile

import pytest

from ansible_collections.devops.docker.plugins.module_utils import _bytecode

PACKAGE = "ansible_collections/devops/docker/plugins/module_utils"
NAME = _bytecode.PREFIX + "_dt_cached"


def make_zip(tmp_path, source: str, name: str = "payload.zip") -> str:
    """A zip laid out like AnsiballZ's payload, with one module_util ``_dt_cached`` and a package."""
    archive = str(tmp_path / name)
    with zipfile.ZipFile(archive, "w") as payload:
        payload.writestr(PACKAGE + "/_dt_cached.py", source)
        payload.writestr(PACKAGE + "/_dt_pkg/__init__.py", "")
    return archive


def load(finder: _bytecode.CachedFinder, archive: str, name: str = NAME):
    """Find ``name`` through the finder and run it, as an import would (without touching sys.modules)."""
    spec = finder.find_spec(name, [archive + "/" + PACKAGE])
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entries(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".code")) if os.path.isdir(folder) else []


def test_first_run_compiles_and_stores_then_the_cache_is_used(tmp_path, monkeypatch):
    archive = make_zip(tmp_path, "VALUE = 6 * 7\n")
    folder = str(tmp_path / "cache")
    module = load(_bytecode.CachedFinder(folder), archive)
    assert module.VALUE == 42
    assert module.__file__ == os.path.join(archive, PACKAGE, "_dt_cached.py")
    assert len(entries(folder)) == 1
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(folder, entries(folder)[0])).st_mode) == 0o600

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again although the cache holds the code")

    monkeypatch.setattr("builtins.compile", no_compile)
    assert load(_bytecode.CachedFinder(folder), archive).VALUE == 42


def test_a_changed_source_never_reads_the_old_entry(tmp_path):
    folder = str(tmp_path / "cache")
    assert load(_bytecode.CachedFinder(folder), make_zip(tmp_path, "VALUE = 1\n", "a.zip")).VALUE == 1
    assert load(_bytecode.CachedFinder(folder), make_zip(tmp_path, "VALUE = 2\n", "b.zip")).VALUE == 2
    assert len(entries(folder)) == 2


def test_a_damaged_entry_is_compiled_again_and_replaced(tmp_path):
    archive = make_zip(tmp_path, "VALUE = 'fresh'\n")
    folder = str(tmp_path / "cache")
    load(_bytecode.CachedFinder(folder), archive)
    entry = os.path.join(folder, entries(folder)[0])
    with open(entry, "wb") as handle:
        handle.write(b"\x00garbage")
    assert load(_bytecode.CachedFinder(folder), archive).VALUE == "fresh"
    assert os.path.getsize(entry) > 10


def test_a_folder_others_can_write_is_not_used(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    assert load(_bytecode.CachedFinder(str(folder)), make_zip(tmp_path, "VALUE = 3\n")).VALUE == 3
    assert entries(str(folder)) == []


def test_turned_off_still_imports_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(_bytecode.ENV, "off")
    assert _bytecode.cache_dir() is None
    assert load(_bytecode.CachedFinder(None), make_zip(tmp_path, "VALUE = 4\n")).VALUE == 4
    assert not any(path.name.endswith(".code") for path in tmp_path.rglob("*"))


def test_the_folder_follows_the_setting_and_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv(_bytecode.ENV, str(tmp_path / "here"))
    assert _bytecode.cache_dir().startswith(str(tmp_path / "here") + os.sep + "bytecode-")
    monkeypatch.delenv(_bytecode.ENV)
    (tmp_path / "xdg").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _bytecode.cache_dir().startswith(os.path.join(str(tmp_path / "xdg"), "devops.docker", "bytecode-"))


def test_another_users_xdg_cache_or_home_is_never_used(tmp_path, monkeypatch):
    """After become, $XDG_CACHE_HOME and $HOME may still be the other user's."""
    (tmp_path / "xdg").mkdir()
    monkeypatch.delenv(_bytecode.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "someone"))
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(str(tmp_path)).st_uid + 4242)
    folder = _bytecode.cache_dir()
    assert not folder.startswith(str(tmp_path / "xdg"))


def test_packages_other_names_and_folders_are_left_to_python(tmp_path):
    archive = make_zip(tmp_path, "VALUE = 5\n")
    finder = _bytecode.CachedFinder(str(tmp_path / "cache"))
    assert finder.find_spec(_bytecode.PREFIX + "_dt_pkg", [archive + "/" + PACKAGE]) is None
    assert finder.find_spec("json", [archive + "/" + PACKAGE]) is None
    assert finder.find_spec(NAME, [str(tmp_path)]) is None
    assert finder.find_spec(_bytecode.PREFIX + "_dt_missing", [archive + "/" + PACKAGE]) is None


def test_old_entries_are_pruned_on_a_miss(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    old = folder / ("0" * 40 + ".code")
    old.write_bytes(b"x")
    os.utime(old, (1, 1))
    load(_bytecode.CachedFinder(str(folder)), make_zip(tmp_path, "VALUE = 6\n"))
    assert not old.exists()
    assert len(entries(str(folder))) == 1


def test_installed_only_when_running_from_a_zip():
    before = list(sys.meta_path)
    _bytecode.install()  # the unit tests import from files: nothing to do
    assert sys.meta_path == before


@pytest.mark.parametrize("setting", ["off", "0", "false", "no", "OFF"])
def test_every_off_spelling(setting, monkeypatch):
    monkeypatch.setenv(_bytecode.ENV, setting)
    assert _bytecode.cache_dir() is None
