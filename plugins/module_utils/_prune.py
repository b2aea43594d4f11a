# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``prune``: like ``docker system prune``, per kind, with a check mode that
predicts what would go.

The prediction follows the daemon's own rules (moby ``daemon/prune.go``,
``image_prune.go``, the volume service), in the order ``docker system prune``
runs them: containers, networks, volumes, images, build cache.  A container
that would be pruned no longer holds its image or volumes, as in a real run.
The rules are pure functions (``*_candidates``) and unit-tested.
"""

from __future__ import annotations

import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, version_tuple
from ansible_collections.devops.docker.plugins.module_utils._compat import PRUNE_KIND_FILTERS
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._values._filters import (
    api_filters,
    created_timestamp,
    label_matches,
    parse_until,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._networks import PREDEFINED_NETWORKS
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size

# A bool per kind (builder also as community.docker's builder_cache), its option, and filters per kind
# (community.docker's containers_filters, ..., builder_cache_filters) over the shared filters.
PRUNE_ARGS: dict[str, dict[str, t.Any]] = {
    **{kind: {"type": "bool", "default": False} for kind in ("containers", "images", "networks", "volumes")},
    "builder": {"type": "bool", "default": False, "aliases": ["builder_cache"]},
    "images_dangling_only": {"type": "bool", "default": True},
    "volumes_all": {"type": "bool", "default": False},
    "builder_all": {"type": "bool", "default": False, "aliases": ["builder_cache_all"]},
    "builder_keep_storage": {"type": "str", "aliases": ["builder_cache_keep_storage"]},
    "filters": {"type": "dict"},
    **{option: {"type": "dict"} for option in PRUNE_KIND_FILTERS.values()},
}

KNOWN_FILTERS = ("until", "label", "label!")
RUNNING_STATES = ("running", "paused", "restarting")
ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous"


class PruneFilters:
    """The validated ``filters`` option."""

    def __init__(self, filters: t.Any, now: float | None = None) -> None:
        self.raw = api_filters(filters) or {}
        unknown = sorted(set(self.raw) - set(KNOWN_FILTERS))
        if unknown:
            raise SpecError(
                f"filters: unknown filter(s) {', '.join(unknown)}; prune takes {', '.join(KNOWN_FILTERS)} "
                "(until: a duration like '24h', a date or a Unix timestamp; label: 'key' or 'key=value')."
            )
        until = self.raw.get("until") or []
        if len(until) > 1:
            raise SpecError(f"filters.until: give one value, not {until!r}.")
        self.now = time.time() if now is None else now
        self.until: float | None = parse_until(until[0], self.now) if until else None
        self.labels = list(self.raw.get("label") or [])
        self.not_labels = list(self.raw.get("label!") or [])

    def match(self, labels: dict[str, t.Any] | None, created: t.Any = None, use_until: bool = True) -> bool:
        if use_until and self.until is not None and created_timestamp(created) > self.until:
            return False
        return label_matches(labels, self.labels, self.not_labels)

    def cli(self, keys: t.Iterable[str] = KNOWN_FILTERS) -> list[str]:
        argv: list[str] = []
        for key in keys:
            for value in self.raw.get(key) or []:
                argv += ["--filter", f"{key}={value}"]
        return argv

    def api(self, keys: t.Iterable[str] = KNOWN_FILTERS, **extra: list[str]) -> dict[str, list[str]] | None:
        out = {k: list(self.raw[k]) for k in keys if self.raw.get(k)}
        out.update(extra)
        return out or None


# ---------------------------------------------------------------- the daemon's rules, as pure functions
def container_name(container: dict[str, t.Any]) -> str:
    names = container.get("Names") or []
    return names[0].lstrip("/") if names else container.get("Id", "")[:12]


def container_candidates(containers: list[dict[str, t.Any]], filters: PruneFilters) -> list[dict[str, t.Any]]:
    """Containers that are not running (nor paused or restarting) and match the filters."""
    return [
        c for c in containers
        if c.get("State") not in RUNNING_STATES and filters.match(c.get("Labels"), c.get("Created"))
    ]


def network_candidates(
    networks: list[dict[str, t.Any]], filters: PruneFilters, has_endpoints: t.Callable[[dict[str, t.Any]], bool]
) -> list[dict[str, t.Any]]:
    """Custom local networks with no active endpoint (stopped containers do not count) that match the filters."""
    out = []
    for net in networks:
        if net.get("Name") in PREDEFINED_NETWORKS or net.get("ConfigOnly") or net.get("Scope") == "swarm":
            continue
        if not filters.match(net.get("Labels"), net.get("Created")):
            continue
        if has_endpoints(net):
            continue
        out.append(net)
    return out


def volume_candidates(
    volumes: list[dict[str, t.Any]], filters: PruneFilters, used: set[str], anonymous_only: bool
) -> list[dict[str, t.Any]]:
    """Local volumes no container uses, matching the label filters (API >= 1.42: anonymous ones unless all)."""
    out = []
    for vol in volumes:
        if vol.get("Driver") != "local" or vol.get("Name") in used:
            continue
        labels = vol.get("Labels") or {}
        if anonymous_only and ANONYMOUS_VOLUME_LABEL not in labels:
            continue
        if not filters.match(labels, use_until=False):
            continue
        out.append(vol)
    return out


def is_dangling(image: dict[str, t.Any]) -> bool:
    return not [tag for tag in image.get("RepoTags") or [] if tag and tag != "<none>:<none>"]


def image_candidates(
    images: list[dict[str, t.Any]], filters: PruneFilters, used: set[str], dangling_only: bool
) -> list[dict[str, t.Any]]:
    """Top-level images no container uses: untagged ones, or with dangling_only=false every unused one."""
    out = []
    for img in images:
        if img.get("Id") in used:
            continue
        if dangling_only and not is_dangling(img):
            continue
        if not filters.match(img.get("Labels"), img.get("Created")):
            continue
        out.append(img)
    return out


def build_cache_candidates(records: list[dict[str, t.Any]], filters: PruneFilters, prune_all: bool,
                           keep: int | None = None) -> list[dict[str, t.Any]]:
    """Build cache records not in use (without all, only the ones not shared with an image); with ``keep``
    (bytes), the least recently used ones only until the cache left is no larger than that."""
    out = []
    for rec in records:
        if rec.get("InUse"):
            continue
        if not prune_all and rec.get("Shared"):
            continue
        if filters.until is not None and created_timestamp(rec.get("LastUsedAt") or rec.get("CreatedAt")) > filters.until:
            continue
        out.append(rec)
    if keep is None:
        return out
    left = sum(int(r.get("Size") or 0) for r in records)
    chosen = []
    for rec in sorted(out, key=lambda r: created_timestamp(r.get("LastUsedAt") or r.get("CreatedAt"))):
        if left <= keep:
            break
        chosen.append(rec)
        left -= int(rec.get("Size") or 0)
    return chosen


def unique_image_size(image: dict[str, t.Any]) -> int:
    size = int(image.get("Size") or 0)
    shared = int(image.get("SharedSize") or -1)
    return size - shared if shared >= 0 else size


# ---------------------------------------------------------------- the manager
class PruneManager(Manager):
    """Prunes the selected kinds with one set of filters (``_compat.prune`` splits community.docker's per-kind
    filters into several runs); the caller drops the diff when the play does not ask for it."""

    KINDS = ("containers", "networks", "volumes", "images", "builder")

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        self.kinds = [k for k in self.KINDS if p.get(k)]
        self.dangling_only: bool = p["images_dangling_only"]
        self.volumes_all: bool = p["volumes_all"]
        self.builder_all: bool = p["builder_all"]
        self.builder_keep: int | None = parse_size(p.get("builder_keep_storage"), "builder_keep_storage")
        self.filters = PruneFilters(p.get("filters"))
        if "volumes" in self.kinds and self.filters.until is not None:
            raise SpecError(
                "filters.until: the daemon cannot filter volumes by age (volume prune takes only label filters); "
                "prune volumes in a separate task without until."
            )
        if "builder" in self.kinds and (self.filters.labels or self.filters.not_labels):
            raise SpecError(
                "filters.label: build cache records have no labels, so builder: true cannot be combined with a label "
                "filter; prune the build cache in a separate task (filters.until works there)."
            )
        self.result: dict[str, t.Any] = {}

    def run(self) -> dict[str, t.Any]:
        if not self.kinds:
            self.warn("prune: nothing selected; set containers, images, networks, volumes or builder to true.")
        if self.check_mode:
            self.predict()
        else:
            self.prune()
        total = sum(int(self.result.get(f"{kind}_space_reclaimed") or 0) for kind in ("containers", "images", "volumes", "builder_cache"))
        return self.tracker.result(space_reclaimed=total, **self.result)

    # -- CLI equivalents ---------------------------------------------------
    def _cli(self, kind: str) -> list[str]:
        if kind == "containers":
            return ["docker", "container", "prune", "--force", *self.filters.cli()]
        if kind == "networks":
            return ["docker", "network", "prune", "--force", *self.filters.cli()]
        if kind == "volumes":
            extra = ["--all"] if self.volumes_all and self._api_at_least("1.42") else []
            return ["docker", "volume", "prune", "--force", *extra, *self.filters.cli(("label", "label!"))]
        if kind == "images":
            return ["docker", "image", "prune", "--force", *([] if self.dangling_only else ["--all"]), *self.filters.cli()]
        keep = ["--keep-storage", str(self.builder_keep)] if self.builder_keep is not None else []
        return ["docker", "builder", "prune", "--force", *(["--all"] if self.builder_all else []), *keep,
                *self.filters.cli(("until",))]

    def _api_at_least(self, version: str) -> bool:
        current = self.api.server_api_version
        if current is None:
            current = (self.api.get("/version") or {}).get("ApiVersion") or "1.41"
        if self.api.requested_version:
            current = self.api.requested_version
        return version_tuple(current) >= version_tuple(version)

    def _record(self, kind: str, key: str, removed: list[str]) -> None:
        self.result[key] = removed
        if removed:
            self.tracker.add(kind, sorted(removed), [])
            self.tracker.action(*self._cli(kind))

    # -- check mode --------------------------------------------------------
    def predict(self) -> None:
        df = self.api.get("/system/df") or {}
        containers = df.get("Containers") or []
        going = container_candidates(containers, self.filters) if "containers" in self.kinds else []
        going_ids = {c["Id"] for c in going}
        remaining = [c for c in containers if c["Id"] not in going_ids]
        if "containers" in self.kinds:
            self._record("containers", "containers_deleted", [c["Id"] for c in going])
            self.result["containers_deleted_names"] = sorted(container_name(c) for c in going)
            self.result["containers_space_reclaimed"] = sum(int(c.get("SizeRw") or 0) for c in going)
        if "networks" in self.kinds:
            networks = self.api.get("/networks") or []

            def has_endpoints(net: dict[str, t.Any]) -> bool:
                full = self.api.inspect_network(net["Id"]) or {}
                return bool(full.get("Containers"))

            gone = network_candidates(networks, self.filters, has_endpoints)
            self._record("networks", "networks_deleted", sorted(n["Name"] for n in gone))
        if "volumes" in self.kinds:
            used = {m.get("Name") for c in remaining for m in c.get("Mounts") or [] if m.get("Type") == "volume"}
            anonymous_only = self._api_at_least("1.42") and not self.volumes_all
            gone_vols = volume_candidates(df.get("Volumes") or [], self.filters, used, anonymous_only)
            self._record("volumes", "volumes_deleted", sorted(v["Name"] for v in gone_vols))
            self.result["volumes_space_reclaimed"] = sum(
                max(int((v.get("UsageData") or {}).get("Size") or 0), 0) for v in gone_vols
            )
        if "images" in self.kinds:
            used_images = {c.get("ImageID") for c in remaining}
            gone_imgs = image_candidates(df.get("Images") or [], self.filters, used_images, self.dangling_only)
            self._record("images", "images_deleted", sorted(i["Id"] for i in gone_imgs))
            self.result["images_untagged"] = sorted(
                ref for i in gone_imgs for ref in (i.get("RepoTags") or []) + (i.get("RepoDigests") or [])
                if ref and "<none>" not in ref
            )
            self.result["images_space_reclaimed"] = sum(unique_image_size(i) for i in gone_imgs)
        if "builder" in self.kinds:
            gone_cache = build_cache_candidates(df.get("BuildCache") or [], self.filters, self.builder_all, self.builder_keep)
            self._record("builder", "builder_cache_deleted", sorted(r["ID"] for r in gone_cache))
            self.result["builder_cache_space_reclaimed"] = sum(int(r.get("Size") or 0) for r in gone_cache)

    # -- real run ----------------------------------------------------------
    def _post(self, kind: str, path: str, params: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        try:
            return self.api.post(path, params, timeout=max(self.api.timeout, 300)) or {}
        except APIError as exc:
            raise DockerError(f"Pruning {kind} failed: {exc.explanation}") from exc

    def prune(self) -> None:
        if "containers" in self.kinds:
            names = {c["Id"]: container_name(c) for c in self.api.get(
                "/containers/json", {"all": True, "filters": self.filters.api(("label",))}) or []}
            rep = self._post("containers", "/containers/prune", {"filters": self.filters.api()})
            deleted = rep.get("ContainersDeleted") or []
            self._record("containers", "containers_deleted", deleted)
            self.result["containers_deleted_names"] = sorted(names.get(cid, cid[:12]) for cid in deleted)
            self.result["containers_space_reclaimed"] = int(rep.get("SpaceReclaimed") or 0)
        if "networks" in self.kinds:
            rep = self._post("networks", "/networks/prune", {"filters": self.filters.api()})
            self._record("networks", "networks_deleted", sorted(rep.get("NetworksDeleted") or []))
        if "volumes" in self.kinds:
            extra = {"all": ["true"]} if self.volumes_all and self._api_at_least("1.42") else {}
            rep = self._post("volumes", "/volumes/prune", {"filters": self.filters.api(("label", "label!"), **extra)})
            self._record("volumes", "volumes_deleted", sorted(rep.get("VolumesDeleted") or []))
            self.result["volumes_space_reclaimed"] = int(rep.get("SpaceReclaimed") or 0)
        if "images" in self.kinds:
            extra = {"dangling": ["true" if self.dangling_only else "false"]}
            rep = self._post("images", "/images/prune", {"filters": self.filters.api(**extra)})
            items = rep.get("ImagesDeleted") or []
            deleted = sorted(i["Deleted"] for i in items if i.get("Deleted"))
            untagged = sorted(i["Untagged"] for i in items if i.get("Untagged"))
            self._record("images", "images_deleted", deleted)
            self.result["images_untagged"] = untagged
            if untagged and not deleted:
                self.tracker.add("images_untagged", untagged, [])
                self.tracker.action(*self._cli("images"))
            self.result["images_space_reclaimed"] = int(rep.get("SpaceReclaimed") or 0)
        if "builder" in self.kinds:
            params: dict[str, t.Any] = {"all": self.builder_all, "filters": self.filters.api(("until",))}
            if self.builder_keep is not None:
                # API 1.48 renamed keep-storage to reserved-space
                params["reserved-space" if self._api_at_least("1.48") else "keep-storage"] = self.builder_keep
            rep = self._post("build cache", "/build/prune", params)
            self._record("builder", "builder_cache_deleted", sorted(rep.get("CachesDeleted") or []))
            self.result["builder_cache_space_reclaimed"] = int(rep.get("SpaceReclaimed") or 0)
