# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What runs on one engine, as JSON: every container (id, running, started, a digest of its whole
configuration, and one of what the task asked for -- the daemon rewrites some defaults when it
restarts), network and volume.  Two snapshots are equal when nothing was created,
removed, replaced or reconfigured.  Usage: snapshot.py SOCKET [PREFIX]"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys


def docker(sock: str, *args: str) -> str:
    return subprocess.run(["docker", "-H", sock, *args], check=True, capture_output=True, text=True).stdout


def main() -> None:
    sock = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else ""
    ids = docker(sock, "ps", "-aq", "--no-trunc").split()
    containers = {}
    if ids:
        for item in json.loads(docker(sock, "inspect", *ids)):
            name = item["Name"].lstrip("/")
            if prefix and not name.startswith(prefix):
                continue
            nets = {
                net: {"aliases": sorted(a for a in (ep.get("Aliases") or []) if a not in (item["Id"][:12],)),
                      "ipam": ep.get("IPAMConfig")}
                for net, ep in ((item.get("NetworkSettings") or {}).get("Networks") or {}).items()
            }
            config = {"Config": item["Config"], "HostConfig": item["HostConfig"], "Networks": nets,
                      "Image": item["Image"]}
            cfg, host = item["Config"], item["HostConfig"]
            # what the task asked for, without what the daemon itself rewrites when it restarts
            spec = {"Image": item["Image"], "Cmd": cfg.get("Cmd"), "Entrypoint": cfg.get("Entrypoint"),
                    "Env": sorted(cfg.get("Env") or []), "Labels": cfg.get("Labels"), "User": cfg.get("User"),
                    "PortBindings": host.get("PortBindings"), "Binds": host.get("Binds"), "Mounts": host.get("Mounts"),
                    "RestartPolicy": host.get("RestartPolicy"), "Networks": nets, "StopTimeout": cfg.get("StopTimeout"),
                    "Healthcheck": cfg.get("Healthcheck")}
            containers[name] = {
                "id": item["Id"],
                "running": item["State"]["Running"],
                "started": item["State"]["StartedAt"],
                "config": hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest(),
                "spec": hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest(),
            }
    networks = sorted(line for line in docker(sock, "network", "ls", "--format", "{{.Name}} {{.ID}}").splitlines()
                      if not prefix or line.startswith(prefix))
    volumes = sorted(line for line in docker(sock, "volume", "ls", "--format", "{{.Name}}").splitlines()
                     if not prefix or line.startswith(prefix))
    print(json.dumps({"containers": containers, "networks": networks, "volumes": volumes}, sort_keys=True))


if __name__ == "__main__":
    main()
