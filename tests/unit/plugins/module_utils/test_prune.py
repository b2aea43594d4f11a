# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._values._filters import (
    api_filters,
    created_timestamp,
    label_matches,
    parse_until,
)
from ansible_collections.devops.docker.plugins.module_utils._prune import (
    PruneFilters,
    build_cache_candidates,
    container_candidates,
    image_candidates,
    is_dangling,
    network_candidates,
    unique_image_size,
    volume_candidates,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

NOW = 1_700_000_000.0


# ---------------------------------------------------------------- filters
@pytest.mark.parametrize("value, expected", [
    (None, None),
    ({}, None),
    ({"label": "a=b"}, {"label": ["a=b"]}),
    ({"label": ["a", "b=c"], "dangling": True}, {"label": ["a", "b=c"], "dangling": ["true"]}),
    ({"until": 3600}, {"until": ["3600"]}),
])
def test_api_filters(value, expected):
    assert api_filters(value) == expected


@pytest.mark.parametrize("labels, wanted, negated, result", [
    ({"a": "1"}, [], [], True),
    (None, [], [], True),
    ({"a": "1"}, ["a"], [], True),
    ({"a": "1"}, ["a=1"], [], True),
    ({"a": "1"}, ["a=2"], [], False),
    ({"a": "1"}, ["b"], [], False),
    ({"a": "1", "b": ""}, ["a", "b="], [], True),
    ({"a": "1"}, ["a", "b"], [], False),  # every label filter must match
    ({"a": "1"}, [], ["a"], False),
    ({"a": "1"}, [], ["a=2"], True),
    ({"a": "1", "keep": "yes"}, ["a"], ["keep"], False),
])
def test_label_matches(labels, wanted, negated, result):
    assert label_matches(labels, wanted, negated) is result


@pytest.mark.parametrize("value, expected", [
    ("24h", NOW - 86400),
    ("1h30m", NOW - 5400),
    ("10s", NOW - 10),
    ("1699990000", 1699990000.0),
    ("2023-11-14T22:13:20Z", NOW),
    ("2023-11-14T22:13:20+00:00", NOW),
    ("2023-11-14", 1699920000.0),
])
def test_parse_until(value, expected):
    assert parse_until(value, NOW) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["yesterday", "24x", "", "2023-13-45"])
def test_parse_until_rejects(value):
    with pytest.raises(SpecError, match="filters.until"):
        parse_until(value, NOW)


@pytest.mark.parametrize("value, expected", [
    (1700000000, NOW),
    ("2023-11-14T22:13:20.123456789Z", NOW + 0.123456),
    ("2023-11-14T22:13:20Z", NOW),
    ("2023-11-14T23:13:20+01:00", NOW),
    ("", 0.0),
    (None, 0.0),
])
def test_created_timestamp(value, expected):
    assert created_timestamp(value) == pytest.approx(expected)


@pytest.mark.parametrize("filters, message", [
    ({"dangling": True}, "unknown filter(s) dangling"),
    ({"until": ["1h", "2h"]}, "give one value"),
    ({"until": "soon"}, "filters.until"),
    (["label=a"], "expected a dictionary"),
])
def test_prune_filters_reject(filters, message):
    with pytest.raises(SpecError) as exc:
        PruneFilters(filters, now=NOW)
    assert message in str(exc.value)


def test_prune_filters_cli_and_api():
    flt = PruneFilters({"label": ["dt-x", "a=b"], "label!": "keep", "until": "1h"}, now=NOW)
    assert flt.until == NOW - 3600
    assert flt.cli() == ["--filter", "until=1h", "--filter", "label=dt-x", "--filter", "label=a=b", "--filter", "label!=keep"]
    assert flt.api(("label",)) == {"label": ["dt-x", "a=b"]}
    assert flt.api(("until",), dangling=["true"]) == {"until": ["1h"], "dangling": ["true"]}
    assert PruneFilters(None).api() is None


# ---------------------------------------------------------------- candidates
LABEL = PruneFilters({"label": "dt-prune"}, now=NOW)
NONE = PruneFilters(None, now=NOW)


def ctr(cid, state, labels=None, created=NOW - 100, image="sha256:img", mounts=()):
    return {"Id": cid, "Names": ["/" + cid], "State": state, "Labels": labels or {}, "Created": created, "ImageID": image,
            "Mounts": [{"Type": "volume", "Name": m} for m in mounts]}


@pytest.mark.parametrize("containers, filters, expected", [
    ([ctr("a", "exited"), ctr("b", "running"), ctr("c", "created"), ctr("d", "dead"), ctr("e", "paused"),
      ctr("f", "restarting")], NONE, ["a", "c", "d"]),
    ([ctr("a", "exited", {"dt-prune": ""}), ctr("b", "exited"), ctr("c", "running", {"dt-prune": ""})], LABEL, ["a"]),
    ([ctr("old", "exited", created=NOW - 7200), ctr("new", "exited", created=NOW - 60)],
     PruneFilters({"until": "1h"}, now=NOW), ["old"]),
])
def test_container_candidates(containers, filters, expected):
    assert [c["Id"] for c in container_candidates(containers, filters)] == expected


def test_network_candidates():
    nets = [
        {"Id": "1", "Name": "bridge", "Labels": {}},
        {"Id": "2", "Name": "dt-used", "Labels": {"dt-prune": ""}},
        {"Id": "3", "Name": "dt-free", "Labels": {"dt-prune": ""}, "Created": "2023-11-14T20:00:00Z"},
        {"Id": "4", "Name": "other", "Labels": {}, "Created": "2023-11-14T22:13:00Z"},
        {"Id": "5", "Name": "cfg", "Labels": {"dt-prune": ""}, "ConfigOnly": True},
        {"Id": "6", "Name": "ingress", "Labels": {"dt-prune": ""}, "Scope": "swarm"},
    ]
    endpoints = {"2": True}
    assert [n["Name"] for n in network_candidates(nets, LABEL, lambda n: endpoints.get(n["Id"], False))] == ["dt-free"]
    assert [n["Name"] for n in network_candidates(nets, NONE, lambda n: endpoints.get(n["Id"], False))] == ["dt-free", "other"]
    recent_excluded = network_candidates(nets, PruneFilters({"until": "1h"}, now=NOW), lambda n: False)
    assert [n["Name"] for n in recent_excluded] == ["dt-used", "dt-free"]


@pytest.mark.parametrize("anonymous_only, expected", [(False, ["anon", "named"]), (True, ["anon"])])
def test_volume_candidates(anonymous_only, expected):
    vols = [
        {"Name": "named", "Driver": "local", "Labels": {"dt-prune": ""}},
        {"Name": "anon", "Driver": "local", "Labels": {"dt-prune": "", "com.docker.volume.anonymous": ""}},
        {"Name": "used", "Driver": "local", "Labels": {"dt-prune": ""}},
        {"Name": "plugin", "Driver": "sshfs", "Labels": {"dt-prune": ""}},
        {"Name": "unlabelled", "Driver": "local", "Labels": None},
    ]
    assert sorted(v["Name"] for v in volume_candidates(vols, LABEL, {"used"}, anonymous_only)) == expected


def img(iid, tags, labels=None, created=NOW - 100, size=10, shared=-1):
    return {"Id": iid, "RepoTags": tags, "RepoDigests": [], "Labels": labels, "Created": created, "Size": size,
            "SharedSize": shared}


@pytest.mark.parametrize("dangling_only, used, expected", [
    (True, set(), ["dangling"]),
    (True, {"dangling"}, []),
    (False, set(), ["dangling", "none-tag", "tagged"]),
    (False, {"tagged"}, ["dangling", "none-tag"]),
])
def test_image_candidates(dangling_only, used, expected):
    images = [
        img("dangling", [], {"dt-prune": ""}),
        img("none-tag", ["<none>:<none>"], {"dt-prune": ""}) if not dangling_only else img("x", ["a:1"], {}),
        img("tagged", ["dt/img:1"], {"dt-prune": ""}),
        img("other", [], {"unrelated": ""}),
    ]
    assert sorted(i["Id"] for i in image_candidates(images, LABEL, used, dangling_only)) == expected


@pytest.mark.parametrize("image, dangling", [
    ({"RepoTags": []}, True), ({"RepoTags": None}, True), ({"RepoTags": ["<none>:<none>"]}, True),
    ({"RepoTags": ["a:1"]}, False), ({"RepoTags": ["<none>:<none>", "a:1"]}, False),
])
def test_is_dangling(image, dangling):
    assert is_dangling(image) is dangling


def test_sizes_and_build_cache():
    assert unique_image_size(img("a", [], size=100, shared=40)) == 60
    assert unique_image_size(img("a", [], size=100)) == 100
    records = [
        {"ID": "inuse", "InUse": True, "Shared": False, "LastUsedAt": "2023-11-14T20:00:00Z"},
        {"ID": "shared", "InUse": False, "Shared": True, "LastUsedAt": "2023-11-14T20:00:00Z"},
        {"ID": "free", "InUse": False, "Shared": False, "LastUsedAt": "2023-11-14T20:00:00Z"},
        {"ID": "recent", "InUse": False, "Shared": False, "LastUsedAt": "2023-11-14T22:13:00Z"},
    ]
    assert [r["ID"] for r in build_cache_candidates(records, NONE, False)] == ["free", "recent"]
    assert [r["ID"] for r in build_cache_candidates(records, NONE, True)] == ["shared", "free", "recent"]
    assert [r["ID"] for r in build_cache_candidates(records, PruneFilters({"until": "1h"}, now=NOW), True)] == ["shared", "free"]


def test_build_cache_keep_storage_removes_least_recently_used_first():
    records = [
        {"ID": "inuse", "InUse": True, "Shared": False, "Size": 100, "LastUsedAt": "2023-11-14T20:00:00Z"},
        {"ID": "new", "InUse": False, "Shared": False, "Size": 300, "LastUsedAt": "2023-11-14T22:00:00Z"},
        {"ID": "old", "InUse": False, "Shared": False, "Size": 200, "LastUsedAt": "2023-11-14T19:00:00Z"},
    ]
    # 600 bytes in all: keeping 400 removes the oldest free record only, keeping 0 every free one.
    assert [r["ID"] for r in build_cache_candidates(records, NONE, True, keep=400)] == ["old"]
    assert [r["ID"] for r in build_cache_candidates(records, NONE, True, keep=0)] == ["old", "new"]
    assert build_cache_candidates(records, NONE, True, keep=600) == []


def test_build_cache_keep_storage_option_and_cli():
    from ansible_collections.devops.docker.plugins.module_utils._prune import PRUNE_ARGS, PruneManager

    assert "builder_cache_keep_storage" in PRUNE_ARGS["builder_keep_storage"]["aliases"]
    params = {k: v.get("default") for k, v in PRUNE_ARGS.items()}
    params.update(builder=True, builder_keep_storage="1k")
    manager = PruneManager(None, params, True)
    assert manager.builder_keep == 1024
    assert manager._cli("builder") == ["docker", "builder", "prune", "--force", "--keep-storage", "1024"]
    params.update(builder_keep_storage="lots")
    with pytest.raises(SpecError, match="builder_keep_storage"):
        PruneManager(None, params, True)
