#!/bin/sh
# Sent into the container by the script module through the devops.docker.docker
# connection plugin (put_file, then exec), whose daemon is reached over ssh://.
set -e
echo "written over ssh by $0" >/www/dt-ssh-marker
cat /www/greeting.txt
