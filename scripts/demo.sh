#!/usr/bin/env bash
# The main job on an embedded default: build and install the extension, start
# a throwaway PostgreSQL, load the demo company and print the report.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/install-extension.sh
. scripts/cluster.sh
cluster_start
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -f scripts/demo.sql
