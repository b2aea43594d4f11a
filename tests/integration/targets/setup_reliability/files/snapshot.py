# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print a JSON snapshot of the daemon's objects whose names contain a word.

    snapshot.py [-H unix:///run/x.sock] [--save FILE | --against FILE] WORD [WORD...]

Output: {"container NAME": inspect, "image REF": inspect, "network NAME": inspect,
"volume NAME": inspect}, with the fields that move on their own (timestamps of
health probes, sizes) removed, so two snapshots are equal exactly when nothing
was created, removed, started, stopped, changed or re-tagged. Other engineers'
tests run on the same daemon: only names containing one of the words count.

--save FILE also writes the snapshot to FILE; --against FILE prints
{"same": bool, "moved": [paths that differ from FILE's snapshot]} instead.
The tests call it through a pipe lookup (no module run per snapshot), and it
asks the Engine API over the socket (no docker CLI process per object).
"""
import http.client
import json
import socket
import sys
from urllib.parse import quote

VOLATILE = {
    # a healthcheck runs as an exec: its ID is listed while it runs
    "container": [("State", "Health", "Log"), ("State", "Health", "FailingStreak"), ("State", "Health", "Status"),
                  ("ExecIDs",)],
    "image": [("Metadata",), ("VirtualSize",)],
    "network": [],
    "volume": [("UsageData",)],
}


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.path)


class Engine:
    def __init__(self, host):
        host = host or "unix:///var/run/docker.sock"
        if host.startswith("unix://"):
            self.conn = UnixConnection(host[len("unix://"):])
        elif host.startswith("tcp://"):
            self.conn = http.client.HTTPConnection(host[len("tcp://"):], timeout=60)
        else:
            raise SystemExit(f"snapshot.py: unsupported host {host}")

    def get(self, path):
        """The JSON at path; None when the object is gone (404)."""
        self.conn.request("GET", path)
        resp = self.conn.getresponse()
        body = resp.read()
        if resp.status == 404:
            return None
        if resp.status != 200:
            raise SystemExit(f"snapshot.py: GET {path}: HTTP {resp.status} {body[:200]!r}")
        return json.loads(body)


def drop(doc, path):
    for key in path[:-1]:
        doc = doc.get(key) if isinstance(doc, dict) else None
        if doc is None:
            return
    if isinstance(doc, dict):
        doc.pop(path[-1], None)


def paths(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from paths(a.get(key), b.get(key), f"{path}/{key}")
    elif a != b:
        yield f"{path}: {json.dumps(a)[:200]} -> {json.dumps(b)[:200]}"


def snapshot(engine, words):
    listings = {
        "container": [n.lstrip("/") for c in engine.get("/containers/json?all=1") or [] for n in c.get("Names") or []],
        "image": [t for i in engine.get("/images/json") or [] for t in i.get("RepoTags") or [] if not t.endswith(":<none>")],
        "network": [n["Name"] for n in engine.get("/networks") or []],
        "volume": [v["Name"] for v in (engine.get("/volumes") or {}).get("Volumes") or []],
    }
    where = {"container": "/containers/{}/json", "image": "/images/{}/json", "network": "/networks/{}", "volume": "/volumes/{}"}
    snap = {}
    for kind, names in listings.items():
        for name in sorted(set(names)):
            if not any(w in name for w in words):
                continue
            doc = engine.get(where[kind].format(quote(name, safe="")))
            if doc is None:
                continue  # gone between the listing and the inspect
            for path in VOLATILE[kind]:
                drop(doc, path)
            if isinstance(doc.get("Mounts"), list):  # the daemon lists them in any order
                doc["Mounts"].sort(key=lambda m: m.get("Destination", ""))
            snap[f"{kind} {name}"] = doc
    return snap


def main():
    args = sys.argv[1:]
    host = save = against = None
    while args[:1] and args[0] in ("-H", "--save", "--against"):
        flag, value, args = args[0], args[1], args[2:]
        if flag == "-H":
            host = value
        elif flag == "--save":
            save = value
        else:
            against = value
    snap = snapshot(Engine(host), args)
    text = json.dumps(snap, sort_keys=True)
    if save:
        with open(save, "w", encoding="utf-8") as handle:
            handle.write(text)
    if against:
        with open(against, encoding="utf-8") as handle:
            before = json.load(handle)
        moved = list(paths(before, snap))
        json.dump({"same": not moved, "moved": moved}, sys.stdout)
        return
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
