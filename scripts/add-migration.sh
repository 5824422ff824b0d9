#!/usr/bin/env bash
# Adds a migration with the same name for both database providers (SQLite and PostgreSQL).
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
project=workflows/MentorFlow.Server
dotnet build "$project" -v q -nologo
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --project "$project" --startup-project "$project" \
    --context "${provider}MentorFlowDbContext" --output-dir "Persistence/Migrations/$provider"
done
