"""Stand-in for the get-pip bootstrap script ansible-test downloads from a host
this machine cannot reach: pip from ensurepip, then the requested pip from the
package index. scripts/sanity.sh puts it where ansible-test looks for it."""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
env = dict(os.environ)
for bundle in ("/etc/ssl/certs/ca-certificates.crt",):
    if os.path.exists(bundle):
        env.setdefault("PIP_CERT", bundle)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q"] + args, env=env)
