# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail when any string in the JSON documents given holds a common hash of a secret.

Usage: no_hash.py KEY VALUE FILE.json...  Every string anywhere in the documents
(keys too) is searched for: the value itself; md5, sha1, sha224, sha256, sha384,
sha512, sha3-256 and blake2b of VALUE, KEY=VALUE and KEY=VALUE with a newline, as
lower and upper hex, base64 and base64url (with and without padding).  Prints
how many strings and candidates were checked."""

from __future__ import annotations

import base64
import hashlib
import json
import sys


def strings(doc):
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, val in item.items():
                yield str(key)
                stack.append(val)
        elif isinstance(item, list):
            stack.extend(item)


def candidates(key: str, value: str) -> dict[str, str]:
    out = {"plain value": value}
    for text_name, text in (("VALUE", value), ("KEY=VALUE", f"{key}={value}"), ("KEY=VALUE\\n", f"{key}={value}\n")):
        for algo in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "blake2b"):
            digest = hashlib.new(algo, text.encode()).digest()
            out[f"{algo}({text_name}) hex"] = digest.hex()
            out[f"{algo}({text_name}) HEX"] = digest.hex().upper()
            out[f"{algo}({text_name}) base64"] = base64.b64encode(digest).decode()
            out[f"{algo}({text_name}) base64 nopad"] = base64.b64encode(digest).decode().rstrip("=")
            out[f"{algo}({text_name}) base64url"] = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return out


def main() -> int:
    key, value, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    cands = candidates(key, value)
    checked = 0
    bad = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
        for text in strings(doc):
            checked += 1
            for what, cand in cands.items():
                if cand in text:
                    bad.append(f"{path}: a stored string contains {what}")
    if bad:
        print("\n".join(sorted(set(bad))))
        return 1
    print(f"checked {checked} strings against {len(cands)} candidates: no match")
    return 0 if checked else 2


if __name__ == "__main__":
    sys.exit(main())
