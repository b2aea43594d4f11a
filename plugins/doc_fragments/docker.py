# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module accepts (and its action group), and the authors of every module.
    DOCUMENTATION = r"""
author:
  - devops.docker team (@devops-docker)
options:
  docker_host:
    description:
      - The Docker daemon to talk to, as C(unix:///path/to/docker.sock), C(tcp://HOST:PORT) or
        C(ssh://[USER@]HOST[:PORT]).
      - Defaults to the E(DOCKER_HOST) environment variable, then to C(unix:///var/run/docker.sock).
      - With C(ssh://), the system C(ssh) client on the machine that runs the module (the controller, unless the
        task is delegated) logs in to HOST and runs C(docker system dial-stdio) there, as the docker CLI does; the
        Engine API then travels over that SSH connection. Everything in C(~/.ssh/config) applies (Host aliases,
        User, Port, IdentityFile, ProxyJump, ControlMaster), as do ssh-agent and C(~/.ssh/known_hosts). USER and
        PORT in the URL take precedence over the config.
      - "ssh runs non-interactively (C(BatchMode=yes)): the host key must already be known and the login must work
        without a password prompt (a key, through ssh-agent or IdentityFile). The remote host needs the docker CLI
        in the PATH of a non-interactive session, and the remote user access to its Docker socket."
      - One SSH connection serves all the requests of a module run (plus one per attached C(exec) stream). Add
        C(ControlMaster auto) and C(ControlPersist) to C(~/.ssh/config) to share one login between module runs too.
    type: str
    aliases: [docker_url]
  tls:
    description:
      - Use TLS for a C(tcp://) O(docker_host) without verifying the daemon's certificate.
      - Set O(validate_certs=true) to verify it as well.
      - Defaults to the E(DOCKER_TLS) environment variable when it is set.
      - The TLS options (O(tls), O(validate_certs), O(ca_path), O(client_cert), O(client_key)) do not apply to
        C(ssh://), where SSH encrypts and authenticates the connection.
    type: bool
    default: false
  validate_certs:
    description:
      - Use TLS and verify the daemon's certificate against O(ca_path).
      - Defaults to the E(DOCKER_TLS_VERIFY) environment variable when it is set.
    type: bool
    default: false
    aliases: [tls_verify]
  tls_hostname:
    description:
      - With O(validate_certs=true), the name the daemon's certificate must carry, when it differs from the host
        part of O(docker_host) (for example a daemon reached by IP address whose certificate names its DNS name).
      - Defaults to the E(DOCKER_TLS_HOSTNAME) environment variable, then to the host of O(docker_host).
    type: str
  ca_path:
    description:
      - CA certificate file used to verify the daemon's certificate.
      - When O(ca_path), O(client_cert) or O(client_key) is not set and the E(DOCKER_CERT_PATH) environment variable
        names a folder, its C(ca.pem), C(cert.pem) and C(key.pem) are used where they exist, as the docker CLI does.
    type: path
    aliases: [ca_cert, tls_ca_cert, cacert_path]
  client_cert:
    description:
      - Client certificate file presented to the daemon.
    type: path
    aliases: [tls_client_cert, cert_path]
  client_key:
    description:
      - Private key file of O(client_cert).
    type: path
    aliases: [tls_client_key, key_path]
  api_version:
    description:
      - The Engine API version to speak, for example V(1.41).
      - V(auto) uses the daemon's own version. The collection needs API 1.41 (Engine 20.10) or newer.
      - Defaults to the E(DOCKER_API_VERSION) environment variable when it is set.
    type: str
    default: auto
    aliases: [docker_api_version]
  timeout:
    description:
      - Seconds to wait for an answer from the daemon.
      - With C(ssh://), also ssh's C(ConnectTimeout).
      - Defaults to the E(DOCKER_TIMEOUT) environment variable when it is set.
    type: int
    default: 60
  use_ssh_client:
    description:
      - Accepted for community.docker playbooks. An C(ssh://) O(docker_host) always goes through the system C(ssh)
        client (what community.docker does with O(use_ssh_client=true)), so this option changes nothing.
    type: bool
    default: false
  debug:
    description:
      - Write the module's actions (its docker CLI equivalents) and its diff to the managed host's log (syslog or
        the journal). Values the module keeps secret are already masked there, as in its result.
    type: bool
    default: false
attributes:
  action_group:
    description: Use C(group/devops.docker.docker) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - devops.docker.docker
requirements:
  - Docker Engine with API version 1.41 or newer (Engine 20.10+).
  - Docker SDK for Python 5.0.3 or newer (C(docker)) on the managed host.
  - For an C(ssh://) O(docker_host), the OpenSSH client (C(ssh)) where the module runs, and the docker CLI
    (18.09 or newer) on the remote host.
notes:
  - The connection options can be set once for a play with C(module_defaults) and the action group
    C(group/devops.docker.docker).
  - "Remote daemons over SSH: O(docker_host=ssh://user@host) from the controller (C(hosts: localhost)), see
    C(docs/remote.md) in the collection."
"""

    # Attributes shared by modules that change something.
    ATTRIBUTES = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  idempotent:
    description: When run twice in a row with the same arguments, the second run reports no change.
    support: full
"""

    # Attributes of modules that only read.
    INFO_ATTRIBUTES = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: This module only reads; it never changes anything.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: This module only reads.
  idempotent:
    description: When run twice in a row with the same arguments, the second run reports no change.
    support: full
"""
