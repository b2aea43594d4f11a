#!/usr/bin/env bash
# Every page users read with ansible-doc renders and is complete:
#   modules:  ansible-doc devops.docker.<module>         options, examples, return values, attributes
#   roles:    ansible-doc -t role devops.docker.<role>   an argument spec with described options
#   plugins:  ansible-doc -t connection|inventory devops.docker.<plugin>
# A page that fails to render, makes ansible-doc warn, or misses a part is
# reported; the script exits 1 when any page is wrong. `make lint` can call it.
# One ansible-doc run per plugin type and format (text, JSON): a few seconds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
if [ -z "${DEVOPS_DOCKER_CHECK_DOCS_ENV:-}" ]; then
  # Once inside the collection environment (scripts/ansible-env.sh).
  export DEVOPS_DOCKER_CHECK_DOCS_ENV=1
  exec "$repo/scripts/ansible-env.sh" bash "$repo/scripts/check-docs.sh" "$@"
fi
py="$repo/.venv/bin/python"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names() { # names TYPE: the collection's plugins of that type (file names)
  case $1 in
    module) ls "$repo"/plugins/modules/*.py ;;
    role) ls -d "$repo"/roles/*/ ;;
    *) ls "$repo"/plugins/"$1"/*.py 2>/dev/null || true ;;
  esac | xargs -r -n1 basename | sed 's/\.py$//' | grep -v '^__init__$' || true
}

status=0
total=0
for type in module role connection inventory; do
  mapfile -t list < <(names "$type")
  [ ${#list[@]} -gt 0 ] || continue
  total=$((total + ${#list[@]}))
  fqcns=("${list[@]/#/devops.docker.}")
  # Text rendering: what users see. Any warning or error fails.
  if ! ansible-doc -t "$type" "${fqcns[@]}" >"$tmp/$type.txt" 2>"$tmp/$type.err"; then
    echo "FAIL ansible-doc -t $type: exit status $?: $(head -c 600 "$tmp/$type.err")"
    status=1
  fi
  if grep -iE '\[(WARNING|ERROR)\]|^(WARNING|ERROR):' "$tmp/$type.err" "$tmp/$type.txt" >"$tmp/$type.warn"; then
    sed "s/^/FAIL ansible-doc -t $type: /" "$tmp/$type.warn"
    status=1
  fi
  # Completeness, from the JSON form.
  if ! ansible-doc -t "$type" --json "${fqcns[@]}" >"$tmp/$type.json" 2>"$tmp/$type.jerr"; then
    echo "FAIL ansible-doc -t $type --json: $(head -c 600 "$tmp/$type.jerr")"
    status=1
    continue
  fi
  "$py" - "$type" "$tmp/$type.json" "${fqcns[@]}" <<'PY' || status=1
import json, sys

kind, path, *fqcns = sys.argv[1:]
with open(path, encoding="utf-8") as fh:
    pages = json.load(fh)
bad = 0


def undescribed(options, where, problems):
    for name, spec in sorted((options or {}).items()):
        if not spec.get("description"):
            problems.append(f"option {where}{name} has no description")
        for key in ("suboptions", "options"):
            if spec.get(key):
                undescribed(spec[key], f"{where}{name}.", problems)


for fqcn in fqcns:
    data = pages.get(fqcn)
    problems = []
    if not data:
        problems.append("no documentation found" + (" (meta/argument_specs.yml missing?)" if kind == "role" else ""))
    elif kind == "role":
        entry_points = data.get("entry_points") or {}
        if "main" not in entry_points:
            problems.append("no argument spec for the main entry point (meta/argument_specs.yml)")
        for ep_name, ep in sorted(entry_points.items()):
            if not ep.get("short_description"):
                problems.append(f"entry point {ep_name} has no short_description")
            if not ep.get("options"):
                problems.append(f"entry point {ep_name} documents no options")
            undescribed(ep.get("options"), f"{ep_name}: ", problems)
    else:
        doc = data.get("doc") or {}
        for key in ("short_description", "description", "author", "options"):
            if not doc.get(key):
                problems.append(f"no {key}")
        undescribed(doc.get("options"), "", problems)
        if kind == "module":
            if not doc.get("attributes"):
                problems.append("no attributes (check_mode, diff_mode, ...)")
            if not (data.get("examples") or "").strip():
                problems.append("no EXAMPLES")
            if not data.get("return"):
                problems.append("no RETURN")
            for name, spec in sorted((data.get("return") or {}).items()):
                if not spec.get("description"):
                    problems.append(f"return value {name} has no description")
        if kind == "inventory" and not (data.get("examples") or "").strip():
            problems.append("no EXAMPLES")
    if problems:
        bad += 1
        print(f"FAIL {kind} {fqcn}: " + "; ".join(problems))
    else:
        print(f"ok   {kind} {fqcn}")
sys.exit(1 if bad else 0)
PY
done

if [ "$status" -ne 0 ]; then
  echo "check-docs: some of the $total pages are wrong (see FAIL lines)"
  exit 1
fi
echo "check-docs: all $total pages render and are complete"
