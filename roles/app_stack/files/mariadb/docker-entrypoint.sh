#!/usr/bin/env bash
# Entrypoint of the app_stack MariaDB image: on the first start (empty data
# directory) it initialises the server the way the official image does, from
# the MARIADB_* variables; later starts go straight to the server.
set -euo pipefail

log() { printf '%s [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# VAR or VAR_FILE (the content of a file, e.g. a Docker secret).
file_env() {
  local var=$1 file_var="${1}_FILE" def=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then die "both $var and $file_var are set; use one"; fi
  local val=$def
  if [ -n "${!var:-}" ]; then val=${!var}; elif [ -n "${!file_var:-}" ]; then val=$(<"${!file_var}"); fi
  export "$var"="$val"
  unset "$file_var"
}

# Quote a value for a single-quoted SQL string literal.
sql_quote() {
  local v=$1
  v=${v//\\/\\\\}
  v=${v//\'/\\\'}
  printf "'%s'" "$v"
}
# Quote an identifier (database name) with backquotes.
sql_ident() {
  local v=$1
  printf '`%s`' "${v//\`/\`\`}"
}

init_database() {
  local datadir=$1 socket=/run/mysqld/mysqld.sock
  file_env MARIADB_ROOT_PASSWORD
  file_env MARIADB_DATABASE
  file_env MARIADB_USER
  file_env MARIADB_PASSWORD
  : "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=}" "${MARIADB_RANDOM_ROOT_PASSWORD:=}" "${MARIADB_ROOT_HOST:=%}"
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    die "the database is uninitialised and no root password is set: set one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 or MARIADB_RANDOM_ROOT_PASSWORD=1"
  fi
  if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
    die "MARIADB_USER is set without MARIADB_PASSWORD"
  fi
  if [ "$MARIADB_USER" = root ]; then
    die "MARIADB_USER=root is not allowed: root is set up by MARIADB_ROOT_PASSWORD"
  fi

  log "initialising the database in $datadir"
  mkdir -p "$datadir" /run/mysqld
  chown -R mysql:mysql "$datadir" /run/mysqld
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --rpm >/dev/null

  log "starting a temporary server (no networking)"
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" &
  local pid=$! i
  for i in $(seq 1 60); do
    mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "the temporary server exited during initialisation"
    sleep 1
  done
  mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 || die "the temporary server did not answer within 60 s"

  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    MARIADB_ROOT_PASSWORD=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
    log "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi
  local rootpw sql
  rootpw=$(sql_quote "$MARIADB_ROOT_PASSWORD")
  sql="SET @@SESSION.SQL_LOG_BIN=0;
DELETE FROM mysql.global_priv WHERE User='' OR (User='root' AND Host NOT IN ('localhost'));
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED BY $rootpw;"
  if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
    sql+="
CREATE USER 'root'@$(sql_quote "$MARIADB_ROOT_HOST") IDENTIFIED BY $rootpw;
GRANT ALL ON *.* TO 'root'@$(sql_quote "$MARIADB_ROOT_HOST") WITH GRANT OPTION;"
  fi
  if [ -n "$MARIADB_DATABASE" ]; then
    log "creating database $MARIADB_DATABASE"
    sql+="
CREATE DATABASE IF NOT EXISTS $(sql_ident "$MARIADB_DATABASE");"
  fi
  if [ -n "$MARIADB_USER" ]; then
    log "creating user $MARIADB_USER"
    sql+="
CREATE USER $(sql_quote "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_quote "$MARIADB_PASSWORD");"
    if [ -n "$MARIADB_DATABASE" ]; then
      sql+="
GRANT ALL ON $(sql_ident "$MARIADB_DATABASE").* TO $(sql_quote "$MARIADB_USER")@'%';"
    fi
  fi
  sql+="
FLUSH PRIVILEGES;"
  printf '%s\n' "$sql" | mariadb --socket="$socket" -uroot --binary-mode

  export MYSQL_PWD=$MARIADB_ROOT_PASSWORD
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; mariadb --socket="$socket" -uroot ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | mariadb --socket="$socket" -uroot ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} ;;
      *) ;;
    esac
  done
  unset MYSQL_PWD

  log "stopping the temporary server"
  kill -TERM "$pid"
  wait "$pid" || true
  log "initialisation done"
}

if [ "${1:0:1}" = '-' ]; then
  set -- mariadbd "$@"
fi
if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
  datadir=/var/lib/mysql
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  if [ ! -d "$datadir/mysql" ]; then
    init_database "$datadir"
  else
    log "the database in $datadir is already initialised; starting the server"
  fi
  # The passwords are not needed any more: keep them out of the server's environment.
  unset MARIADB_ROOT_PASSWORD MARIADB_PASSWORD
  set -- "$@" --user=mysql
fi
exec "$@"
