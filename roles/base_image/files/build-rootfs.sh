#!/bin/sh
# Build a minimal Debian root filesystem tarball for `docker import`.
#   build-rootfs.sh SUITE VARIANT MIRROR ROOTFS_DIR TARBALL [PKG,PKG,...]
# Written by the devops.docker.base_image role; the tarball is created under a
# temporary name and renamed at the end, so an interrupted run leaves no cache.
set -eu
suite=$1 variant=$2 mirror=$3 rootfs=$4 tarball=$5 packages=${6:-}

rm -rf "$rootfs" "$tarball.part"
mkdir -p "$rootfs"
trap 'rm -rf "$rootfs" "$tarball.part"' EXIT

set -- --variant="$variant"
[ -n "$packages" ] && set -- "$@" --include="$packages"
debootstrap "$@" "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 30 "$rootfs.log" >&2
  echo "debootstrap $suite from $mirror failed; full log: $rootfs.log" >&2
  exit 1
}
rm -f "$rootfs.log"

# What Debian's official -slim images do: no documentation, no apt caches.
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d" "$rootfs/etc/apt/apt.conf.d"
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
# devops.docker.base_image: keep images small
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
printf 'Acquire::Languages "none";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
printf 'APT::AutoRemove::SuggestsImportant "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
printf 'APT::Install-Recommends "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends"

find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$rootfs/usr/share/man/"* "$rootfs/usr/share/info/"* 2>/dev/null || true
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/"*.bin "$rootfs/var/cache/apt/archives/"*.deb
rm -f "$rootfs/var/log/"*.log "$rootfs/var/log/apt/"* "$rootfs/var/cache/debconf/"*-old
# The engine bind-mounts these at run time; do not ship the build host's.
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"

tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.part" .
mv "$tarball.part" "$tarball"
rm -rf "$rootfs"
trap - EXIT
