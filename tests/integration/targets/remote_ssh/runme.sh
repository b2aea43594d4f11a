#!/usr/bin/env bash
# The modules on a managed host that is not the controller, over SSH.
#
# The "remote host" is an sshd in the network namespace dt-ssh (veth pair:
# host 10.231.9.1, namespace 10.231.9.2, sshd on 10.231.9.2:2222), with its
# own config, host key and authorized_keys under a scratch folder (the
# machine's sshd and /root/.ssh are never touched). Its Python is Debian's
# /usr/bin/python3 with Debian's python3-docker (SDK 5.0.3), not the
# controller's venv (SDK 7.x): the two ends of the supported SDK range. It
# shares the machine's filesystem, so it talks to the machine's engine through
# /var/run/docker.sock, but it has its own loopback: the controller checks
# published ports and inspects objects from the host side.
#
# Everything (sshd, namespace, docker objects named dt-rs-<suffix>) is torn
# down on every exit, failures included.
set -euo pipefail

NS=dt-ssh
VETH_HOST=dt-ssh-h
VETH_NS=dt-ssh-n
HOST_IP=10.231.9.1
NS_IP=10.231.9.2
SSH_PORT=2222
NODOCKER_PORT=2223  # same sshd; its sessions have a PATH without the docker CLI
SUFFIX=$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')
PREFIX=dt-rs-$SUFFIX
WORK=$(mktemp -d /tmp/dt-ssh-XXXXXX)
chmod 0755 "$WORK"

teardown() {
  local rc=$?
  set +e
  # The sshd started here and every process still in the namespace (sessions,
  # module runs) were started by this script.
  # The ssh multiplexing master of dt-ssh-mux (ssh_url.yml), if one was started.
  if [ -S "$WORK/cm-mux" ]; then /usr/bin/ssh -F "$WORK/ssh_config" -O exit dt-ssh-mux 2>/dev/null; fi
  if [ -s "$WORK/sshd.pid" ]; then kill "$(cat "$WORK/sshd.pid")" 2>/dev/null; fi
  if ip netns list | grep -qw "^$NS"; then
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null; done
    sleep 0.5
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    ip netns delete "$NS"
  fi
  ip link delete "$VETH_HOST" 2>/dev/null
  # Docker objects of this run, if the playbook's own cleanup did not get to them.
  for c in $(docker ps -aq --filter "name=^$PREFIX"); do docker rm -f -v "$c" >/dev/null; done
  for n in $(docker network ls -q --filter "name=^$PREFIX"); do docker network rm "$n" >/dev/null; done
  for v in $(docker volume ls -q --filter "name=^$PREFIX"); do docker volume rm "$v" >/dev/null; done
  for i in $(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E "(^|/)$PREFIX"); do
    docker image rm -f "$i" >/dev/null
  done
  rm -rf "$WORK"
  exit $rc
}
trap teardown EXIT

# --- packages: sshd, and a fresh apt cache --------------------------------
# The engine role runs `apt` (update_cache, cache_valid_time 3600) on the
# remote host, which has no route to the package mirror: refresh the cache
# here, on the host side, when it is older than 50 minutes.
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/update-success-stamp
apt_fresh() {
  local f=$stamp
  [ -e "$f" ] || f=/var/lib/apt/lists
  [ -n "$(find "$f" -maxdepth 0 -mmin -50 2>/dev/null)" ]
}
if ! apt_fresh || ! dpkg -s openssh-server >/dev/null 2>&1; then
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")"
  touch "$stamp"
fi
if ! dpkg -s openssh-server >/dev/null 2>&1; then
  apt-get install -y -qq openssh-server >/dev/null
fi
if ! dpkg -s python3-docker >/dev/null 2>&1; then
  # The engine role installs it too; the remote Python must have it for the
  # other modules, whatever happens to the role's run.
  apt-get install -y -qq python3-docker >/dev/null
fi

# --- the namespace ----------------------------------------------------------
if ip netns list | grep -qw "^$NS"; then
  # Left over from an interrupted run: nothing of it can still be in use.
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns delete "$NS"
fi
ip link delete "$VETH_HOST" 2>/dev/null || true
ip netns add "$NS"
ip link add "$VETH_HOST" type veth peer name "$VETH_NS" netns "$NS"
ip addr add "$HOST_IP/24" dev "$VETH_HOST"
ip link set "$VETH_HOST" up
ip -n "$NS" addr add "$NS_IP/24" dev "$VETH_NS"
ip -n "$NS" link set "$VETH_NS" up
ip -n "$NS" link set lo up

# --- sshd with its own configuration ----------------------------------------
ssh-keygen -q -t ed25519 -N '' -C dt-ssh-host -f "$WORK/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C dt-ssh-client -f "$WORK/id_ed25519"
cp "$WORK/id_ed25519.pub" "$WORK/authorized_keys"
chmod 0600 "$WORK/authorized_keys"
cat >"$WORK/sshd_config" <<EOF
ListenAddress $NS_IP
Port $SSH_PORT
Port $NODOCKER_PORT
HostKey $WORK/host_ed25519
PidFile $WORK/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
Match LocalPort $NODOCKER_PORT
  SetEnv PATH=/nonexistent
EOF
mkdir -p /run/sshd
chmod 0755 /run/sshd
/usr/sbin/sshd -t -f "$WORK/sshd_config"
nsenter --net=/var/run/netns/"$NS" /usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log"
for _ in $(seq 1 50); do
  [ -s "$WORK/sshd.pid" ] && break
  sleep 0.1
done
[ -s "$WORK/sshd.pid" ] || { cat "$WORK/sshd.log"; exit 1; }

cat >"$WORK/inventory.yml" <<EOF
all:
  hosts:
    dt-remote:
      ansible_connection: ssh
      ansible_host: $NS_IP
      ansible_port: $SSH_PORT
      ansible_user: root
      ansible_ssh_private_key_file: $WORK/id_ed25519
      ansible_ssh_args: -o ControlMaster=auto -o ControlPersist=30s -o ControlPath=$WORK/cp-%C
      ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      ansible_ssh_pipelining: true
      ansible_python_interpreter: /usr/bin/python3
  vars:
    rs_prefix: $PREFIX
    rs_dir: $WORK/remote
    rs_host_ip: $HOST_IP
EOF

# Plain SSH works before Ansible is involved (a clear failure otherwise).
ssh -i "$WORK/id_ed25519" -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 "root@$NS_IP" true ||
  { cat "$WORK/sshd.log"; exit 1; }

export ANSIBLE_STDOUT_CALLBACK=default
playbook() { ansible-playbook -i "$WORK/inventory.yml" "$@"; }
changed_count() { sed -n 's/.*changed=\([0-9]*\).*/\1/p' | awk '{s+=$1} END {print s+0}'; }
mkdir -p "$WORK/remote"

# The engine role: check mode, real, check mode again, real again. The first
# two install its (test-local) supervisor script; the last two change nothing.
# The shared engine keeps running: same pid before and after.
pid_before=$(cat /var/run/docker.pid)
for run in check real check real; do
  args=()
  [ "$run" = check ] && args=(--check)
  out=$(playbook engine.yml "${args[@]}" "$@") || { echo "$out"; exit 1; }
  echo "$out"
  runs=${runs:-0}; runs=$((runs + 1))
  changed=$(echo "$out" | changed_count)
  if [ "$runs" -le 2 ]; then
    [ "$changed" -gt 0 ] || { echo "engine role run $runs ($run) on a fresh host changed nothing" >&2; exit 1; }
  else
    [ "$changed" -eq 0 ] || { echo "engine role run $runs ($run) changed $changed things" >&2; exit 1; }
  fi
done
[ -x "$WORK/remote/devops-dockerd-supervise" ]
[ "$(cat /var/run/docker.pid)" = "$pid_before" ] || { echo "the engine role restarted the engine" >&2; exit 1; }
kill -0 "$pid_before"

playbook remote.yml "$@"

# --- docker_host: ssh:// from the controller ---------------------------------
# The modules and both plugins run on the controller and reach the engine the
# way the docker CLI does: the system ssh client runs `docker system
# dial-stdio` on dt-remote. ssh reads $WORK/ssh_config (Host aliases, keys,
# known_hosts, as a user's ~/.ssh/config says them) through a wrapper put
# first on PATH: /root/.ssh is not this test's to change.
ssh-keygen -q -t ed25519 -N '' -C dt-ssh-other -f "$WORK/id_other"      # never authorized
ssh-keygen -q -t ed25519 -N '' -C dt-ssh-wrong -f "$WORK/wrong_hostkey" # not sshd's host key
host_key=$(cut -d' ' -f1,2 "$WORK/host_ed25519.pub")
printf '[%s]:%s %s\n' "$NS_IP" "$SSH_PORT" "$host_key" "$NS_IP" "$NODOCKER_PORT" "$host_key" >"$WORK/known_hosts"
printf '[%s]:%s %s\n' "$NS_IP" "$SSH_PORT" "$(cut -d' ' -f1,2 "$WORK/wrong_hostkey.pub")" >"$WORK/known_hosts_wrong"
{
  printf 'Host dt-ssh-remote\n  HostName %s\n  Port %s\n  User root\n  IdentityFile %s\n' \
    "$NS_IP" "$SSH_PORT" "$WORK/id_ed25519"
  printf 'Host %s\n  IdentityFile %s\n' "$NS_IP" "$WORK/id_ed25519"
  printf 'Host dt-ssh-badkey\n  HostName %s\n  Port %s\n  User root\n  IdentityFile %s\n' \
    "$NS_IP" "$SSH_PORT" "$WORK/id_other"
  printf 'Host dt-ssh-badhostkey\n  HostName %s\n  Port %s\n  User root\n  IdentityFile %s\n' \
    "$NS_IP" "$SSH_PORT" "$WORK/id_ed25519"
  printf '  UserKnownHostsFile %s\n' "$WORK/known_hosts_wrong"
  printf 'Host dt-ssh-nodocker\n  HostName %s\n  Port %s\n  User root\n  IdentityFile %s\n' \
    "$NS_IP" "$NODOCKER_PORT" "$WORK/id_ed25519"
  printf 'Host dt-ssh-mux\n  HostName %s\n  Port %s\n  User root\n  IdentityFile %s\n' \
    "$NS_IP" "$SSH_PORT" "$WORK/id_ed25519"
  printf '  ControlMaster auto\n  ControlPath %s\n  ControlPersist 60\n' "$WORK/cm-mux"
  printf 'Host *\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n' "$WORK/known_hosts"
} >"$WORK/ssh_config"
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$WORK/ssh_config" >"$WORK/bin/ssh"
chmod 0755 "$WORK/bin/ssh"
export PATH="$WORK/bin:$PATH"
# The remote docker CLI answers through the alias before Ansible is involved.
ssh dt-ssh-remote docker version --format '{{.Server.APIVersion}}' || { cat "$WORK/sshd.log"; exit 1; }

# The containers inventory plugin lists the remote daemon over ssh:// (the
# playbook refreshes the inventory once its container runs), and one host's
# connection plugin reaches its daemon with a refused key.
printf '%s\n' "plugin: devops.docker.containers" "docker_host: ssh://dt-ssh-remote" \
  "include_names: ['$PREFIX-ssh-*']" "groups:" "  dt_ssh_web: 'true'" >"$WORK/dt.containers.yml"
printf '%s\n' "all:" "  hosts:" "    dt-ssh-refused:" "      ansible_connection: devops.docker.docker" \
  "      ansible_host: $PREFIX-ssh-web" "      ansible_docker_docker_host: ssh://dt-ssh-badkey" \
  "  vars:" "    rs_prefix: $PREFIX" "    rs_dir: $WORK/remote" "    rs_sshd_log: $WORK/sshd.log" \
  "    rs_ns_ip: $NS_IP" "    rs_ssh_port: $SSH_PORT" >"$WORK/ssh_hosts.yml"
ansible-playbook -i "$WORK/ssh_hosts.yml" -i "$WORK/dt.containers.yml" ssh_url.yml "$@"

# The inventory plugin with a refused key fails, naming the host and the cause.
sed 's#ssh://dt-ssh-remote#ssh://dt-ssh-badkey#' "$WORK/dt.containers.yml" >"$WORK/bad.containers.yml"
if out=$(ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -i "$WORK/bad.containers.yml" --list 2>&1); then
  echo "$out"
  echo "the inventory plugin listed a daemon it cannot log in to" >&2
  exit 1
fi
for want in "daemon default" "ssh://dt-ssh-badkey" "dt-ssh-badkey refused the SSH login" "Permission denied (publickey)"; do
  grep -qF "$want" <<<"$out" || { echo "$out"; echo "the inventory error does not say: $want" >&2; exit 1; }
done
