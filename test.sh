#!/usr/bin/env bash
# MentorFlow's test command: installs what a fresh Debian machine lacks, starts a throwaway PostgreSQL, runs every
# test project of MentorFlow.sln and ends with one line "N passed, N failed, N skipped" summed over all projects.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Workflows]
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
results="$root/artifacts/test-results"
log() { printf '[test.sh] %s\n' "$*" >&2; }
die() { printf '[test.sh] error: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

# 1. What a fresh machine lacks: PostgreSQL server, Chromium (browser tests), DejaVu fonts (charts), npm packages.
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'DejaVuSans.ttf'; } || missing+=(fonts-dejavu-core fontconfig)
command -v npm >/dev/null || missing+=(npm)
command -v runuser >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (install them with apt-get as root)"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || die "PostgreSQL server binaries are still missing"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing"

for lock in $(git ls-files '*package-lock.json' 2>/dev/null); do
  dir=$(dirname "$lock")
  if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $dir"
    touch "$dir/node_modules"
  fi
done

# 2. A throwaway PostgreSQL cluster (trust auth, loopback, free port, run as user postgres).
pgdir=$(mktemp -d /tmp/mentorflow-test-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { "$root/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir"; }
trap cleanup EXIT
MENTORFLOW_TEST_POSTGRES=$("$root/scripts/postgres.sh" start "$pgdir") || die "could not start PostgreSQL"
export MENTORFLOW_TEST_POSTGRES
log "PostgreSQL for tests: $MENTORFLOW_TEST_POSTGRES"

# 3. Build once, then run every test project (each writes a TRX file).
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MENTORFLOW_ARTIFACTS="$root/artifacts"
start=$(date +%s)
dotnet build MentorFlow.sln -nologo -v q -clp:ErrorsOnly || die "dotnet build failed"
dotnet test MentorFlow.sln --no-build -nologo --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=minimal" "$@" >&2
status=$?
log "dotnet test took $(( $(date +%s) - start )) s (exit $status)"

# 4. One summary line over every TRX file.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$(( passed + $(get passed) ))
  failed=$(( failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  skipped=$(( skipped + $(get total) - $(get executed) ))  # VSTest counts a skipped test as not executed
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  log "dotnet test failed without a failing test (a test host crashed or a project did not run)"
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
