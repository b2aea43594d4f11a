# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print a JSON snapshot of the daemon's objects whose names contain a word.

    snapshot.py [-H unix:///run/x.sock] WORD [WORD...]
    snapshot.py --diff < [before, after]     (JSON on stdin: the paths that differ)

Output: {"container NAME": inspect, "image REF": inspect, "network NAME": inspect,
"volume NAME": inspect}, with the fields that move on their own (timestamps of
health probes, sizes) removed, so two snapshots are equal exactly when nothing
was created, removed, started, stopped, changed or re-tagged. Other engineers'
tests run on the same daemon: only names containing one of the words count.
"""
import json
import subprocess
import sys

VOLATILE = {
    "container": [("State", "Health", "Log"), ("State", "Health", "FailingStreak"), ("State", "Health", "Status")],
    "image": [("Metadata",), ("VirtualSize",)],
    "network": [],
    "volume": [("UsageData",)],
}


def docker(host, *args):
    cmd = ["docker"] + (["-H", host] if host else []) + list(args)
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


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


def main():
    args = sys.argv[1:]
    if args == ["--diff"]:
        before, after = json.load(sys.stdin)
        json.dump(list(paths(json.loads(before), json.loads(after))), sys.stdout)
        return
    host = None
    if args[:1] == ["-H"]:
        host, args = args[1], args[2:]
    words = args
    listings = {
        "container": docker(host, "ps", "-a", "--format", "{{.Names}}").split(),
        "image": [r for r in docker(host, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}").split()
                  if not r.endswith(":<none>")],
        "network": docker(host, "network", "ls", "--format", "{{.Name}}").split(),
        "volume": docker(host, "volume", "ls", "--format", "{{.Name}}").split(),
    }
    snap = {}
    for kind, names in listings.items():
        for name in sorted(set(names)):
            if not any(w in name for w in words):
                continue
            sub = "image" if kind == "image" else kind
            try:
                doc = json.loads(docker(host, sub, "inspect", name))[0]
            except subprocess.CalledProcessError:
                continue  # gone between the listing and the inspect
            for path in VOLATILE[kind]:
                drop(doc, path)
            if isinstance(doc.get("Mounts"), list):  # the daemon lists them in any order
                doc["Mounts"].sort(key=lambda m: m.get("Destination", ""))
            snap[f"{kind} {name}"] = doc
    json.dump(snap, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
