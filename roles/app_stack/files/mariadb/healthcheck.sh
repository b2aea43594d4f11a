#!/usr/bin/env bash
# Healthy when the server answers over TCP and, if MARIADB_USER is set, that
# user can run a query in MARIADB_DATABASE (so "healthy" means "ready for the
# application", not only "the process runs"). The first-start initialisation
# runs with networking off, so it is never reported healthy too early.
set -eu
file_env() {
  local var=$1 file_var="${1}_FILE"
  if [ -n "${!file_var:-}" ] && [ -r "${!file_var}" ]; then printf '%s' "$(<"${!file_var}")"; else printf '%s' "${!var:-}"; fi
}
user=$(file_env MARIADB_USER)
if [ -n "$user" ]; then
  MYSQL_PWD=$(file_env MARIADB_PASSWORD) exec mariadb --protocol=tcp -h127.0.0.1 -u"$user" \
    --connect-timeout=3 -N -e 'SELECT 1' ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} >/dev/null
fi
exec mariadb-admin --protocol=tcp -h127.0.0.1 --connect-timeout=3 ping >/dev/null
