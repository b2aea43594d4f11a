#!/usr/bin/env bash
# Packaging check (make test): build the collection tarball, make sure it holds
# only what a user needs (it lists it; no tests, caches, logs, virtual environments
# or test output), install it into a clean
# collections path and run a playbook against the installed copy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
work=$(mktemp -d /tmp/dt-package-XXXXXX)
trap 'rm -rf "$work"' EXIT  # replaced by the teardown trap below
cd "$repo"
.venv/bin/ansible-galaxy collection build --force --output-path "$work" . >/dev/null
tarball=$(ls "$work"/devops-docker-*.tar.gz)
echo "built $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
listing=$(tar -tzf "$tarball" | sed 's|^\./||' | grep -v -e '/$' -e '^$' | sort)
# What is in it, by top-level folder (the whole list: tar -tzf on the tarball).
awk -F/ '{print (NF > 1 ? $1 "/" : $1)}' <<<"$listing" | sort | uniq -c | awk '{printf "  %4d %s\n", $1, $2}'
# Only what a user runs and reads may be in it ...
unexpected=$(grep -vE '^(MANIFEST\.json|FILES\.json|README\.md|COPYING|CHANGELOG\.md|requirements\.txt|bindep\.txt|changelogs/(changelog|config)\.yaml|(meta|plugins|roles|playbooks|docs)/.+)$' <<<"$listing" || true)
# ... and nothing of a developer's checkout: caches, logs, virtual environments, test output.
bad=$(grep -E '(^|/)(\.venv[^/]*|\.git|__pycache__|\.pytest_cache|\.cache|\.ansible|output|\.mypy_cache)(/|$)|\.(pyc|log|retry|swp|tar\.gz|orig|rej)$|(^|/)\.[^/]+$' <<<"$listing" || true)
if [ -n "$unexpected$bad" ]; then
  echo "the tarball holds files a user does not need (add them to build_ignore in galaxy.yml):" >&2
  printf '%s\n%s\n' "$unexpected" "$bad" | sed '/^$/d' | sort -u | head -30 | sed 's/^/  /' >&2
  exit 1
fi
for must in MANIFEST.json README.md COPYING meta/runtime.yml plugins/modules/container.py roles/registry/tasks/main.yml \
    playbooks/demo.yml playbooks/vars/demo.yml playbooks/teardown.yml playbooks/molecule_create.yml \
    playbooks/molecule_destroy.yml docs/molecule.md; do
  grep -qx "$must" <<<"$listing" || { echo "missing from the tarball: $must" >&2; exit 1; }
done
.venv/bin/ansible-galaxy collection install --force -p "$work/collections" "$tarball" >/dev/null 2>&1
# The course's demo playbook, run from the installed copy only (not this checkout),
# with dt- names and ports so that it never touches the real demo. The images it
# needs are the test ones that are already on the daemon when `make test` gets here
# (base image, registry image, the app_stack scenario's stack images): nothing is
# pulled and, when those exist, nothing slow is built. Torn down even on failure.
cat > "$work/dt-demo.yml" <<VARS
demo_dir: $work/demo
demo_image: devops-test/dt-pkg-hello
demo_container: dt-pkg-hello
demo_port: 15741
demo_notes_volume: dt-pkg-notes
demo_registry_name: dt-pkg-registry
demo_registry_port: 15742
demo_registry_volume: dt-pkg-registry-data
demo_registry_image: devops-test/registry:latest
demo_base_image: devops-test/debian:bookworm-slim
demo_stack_network: dt-pkg-net
demo_stack_db_name: dt-pkg-mariadb
demo_stack_db_port: 15743
demo_stack_backend_name: dt-pkg-catalog
demo_stack_backend_port: 15744
demo_stack_db_image: devops-test/app-stack-mariadb:molecule
demo_stack_backend_image: devops-test/app-stack-catalog:molecule
registry_config_dir: $work/registry-config
VARS
run_installed() {
  ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_PYTHON_INTERPRETER="$repo/.venv/bin/python" \
    ANSIBLE_ROLES_PATH="$work/no-roles" \
    .venv/bin/ansible-playbook -i localhost, -c local -e "@$work/dt-demo.yml" "$@"
}
teardown() {
  run_installed devops.docker.teardown -e remove_data=true >"$work/teardown.log" 2>&1 \
    || { echo "teardown of the packaged demo failed:" >&2; tail -30 "$work/teardown.log" >&2; }
  # The teardown playbook keeps images (as it says); these are the demo's test ones.
  docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '(^|/)devops-test/dt-pkg-|^(localhost|127\.0\.0\.1):15742/' \
    | xargs -r docker image rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap teardown EXIT
start=$(date +%s)
if ! run_installed devops.docker.demo >"$work/demo.log" 2>&1; then
  echo "the demo playbook failed against the installed tarball:" >&2
  grep -E 'fatal:|FAILED!|ERROR' "$work/demo.log" | tail -20 >&2
  tail -40 "$work/demo.log" >&2
  exit 1
fi
grep -q '/catalogs' "$work/demo.log" || { echo "the demo did not reach its last step" >&2; exit 1; }
curl -sf "http://127.0.0.1:15744/catalogs" >/dev/null || { echo "the packaged demo's backend does not answer /catalogs" >&2; exit 1; }
echo "installed tarball runs the demo playbook: $(grep -oE 'ok=[0-9]+ +changed=[0-9]+' "$work/demo.log" | tail -1) in $(( $(date +%s) - start ))s"
