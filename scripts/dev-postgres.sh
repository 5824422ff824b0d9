#!/usr/bin/env bash
# Starts (once) a development PostgreSQL under /tmp/mentorflow-dev-pg and prints its connection string:
#   export MENTORFLOW_TEST_POSTGRES="$(scripts/dev-postgres.sh)"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/mentorflow-dev-pg
if ! command -v runuser >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) >&2
fi
exec 9>/tmp/mentorflow-dev-pg-v2.lock
flock 9
if [ -f "$dir/port" ] && pg_isready -q -h 127.0.0.1 -p "$(cat "$dir/port")" 2>/dev/null; then
  echo "Host=127.0.0.1;Port=$(cat "$dir/port");Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
else
  "$here/postgres.sh" start "$dir" 9>&-  # the server must not inherit (and hold) the lock
fi
