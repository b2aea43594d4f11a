#!/usr/bin/env bash
# ansible-test sanity, offline-safe: its per-test virtual environments are
# bootstrapped from ensurepip instead of a download from ci-files.testing.ansible.com.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
venv="$repo/.venv"
pipver=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
cache=~/.ansible/test/cache/get_pip_${pipver//./_}.py
if ! cmp -s "$repo/scripts/get-pip-offline.py" "$cache" 2>/dev/null; then
  mkdir -p "$(dirname "$cache")"
  cp "$repo/scripts/get-pip-offline.py" "$cache"
fi
export PIP_CERT=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}
exec "$repo/scripts/ansible-env.sh" --cd ansible-test sanity --requirements --python 3.11 --color no "$@"
