#!/usr/bin/env bash
# The SQL tests (tests/regress) with the server's clock moved to other
# dates, so that a test or the code that depends on the real date shows up
# before that date comes (one did: access_rls counted spans that end at
# month ends, and failed from 3 December 2026). libfaketime is preloaded
# into the server only; the installed extension is tested
# (./scripts/install-extension.sh first).
#   ./scripts/test-dates.sh [YYYY-MM-DD ...]
# Without dates: the last day of this month, the first of the next, and the
# last day of this year and the first of the next.
# day_employees is left out: under libfaketime its lock_timeout never fires.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
if [ -z "$lib" ]; then
  echo "test-dates: needs libfaketime (Debian: apt-get install libfaketime)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  first=$(date +%Y-%m-01)
  # (in December the month's ends are the year's)
  # shellcheck disable=SC2046
  set -- $(printf '%s\n' "$(date -d "$first +1 month -1 day" +%F)" "$(date -d "$first +1 month" +%F)" \
    "$(date +%Y)-12-31" "$(($(date +%Y) + 1))-01-01" | sort -u)
fi
. scripts/cluster.sh
PG_REGRESS="$("$PG_BIN/pg_config" --pkglibdir)/pgxs/src/test/regress/pg_regress"
schedule=$(mktemp)
grep -v '^test: day_employees$' tests/regress/schedule >"$schedule"
passed=0 failed=0
for day in "$@"; do
  # whole days from today, so that the server's clock runs on from that date
  offset=$((($(date -d "$day" +%s) - $(date -d "$(date +%F)" +%s)) / 86400))
  CLUSTER_ENV="LD_PRELOAD=$lib FAKETIME=$(printf '%+d' "$offset")d" cluster_start
  out=$(mktemp -d)
  chmod 755 "$out"
  echo "== $day (the server's today: $("$PG_BIN/psql" -X -Atc 'SELECT current_date'))"
  # a wait the clock's shift keeps from ending (a timer that never fires)
  # fails the date rather than hanging the suite
  if timeout "${TEST_DATES_TIMEOUT:-900}" "$PG_REGRESS" --inputdir=tests/regress --outputdir="$out" --bindir="$PG_BIN" \
    --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=attendance_regress \
    --schedule="$schedule" >"$out/summary" 2>&1; then
    passed=$((passed + 1))
    grep -E 'tests passed' "$out/summary" || true
    rm -rf "$out"
  else
    failed=$((failed + 1))
    grep -E 'FAILED|tests failed' "$out/summary" || true
    echo "   differences: $out/regression.diffs"
  fi
  cluster_stop
done
rm -f "$schedule"
echo "$passed dates passed, $failed failed"
[ "$failed" -eq 0 ]
