#!/usr/bin/env bash
# Concurrency stress test (issue 5): several sessions punch the same four
# employee-days while others re-evaluate (att_refresh, att_refresh_org),
# close and reopen the periods (att_close_period, att_close_org 'skip') and
# approve days, for STRESS_SECONDS (default 30) on a throwaway cluster
# reached over its Unix socket. Then it checks:
#   - every day record of the window equals a fresh att_evaluate;
#   - no punch is lost: the punches each pgbench script committed, the
#     client's own ledger (written in the punch's transaction) and the punch
#     table agree;
#   - no deadlock and no failed transaction: pgbench reports no failure or
#     aborted client, and the server log holds no ERROR at all;
#   - every snapshot an auditor session checked during the load was
#     consistent too (day records against the punches of that snapshot);
#   - no current day approval carries figures other than the day record's
#     (a change to a day withdraws its approval).
# Prints one summary line and exits non-zero on any failure.
#   STRESS_SECONDS=30 STRESS_CLIENTS=6 PGPORT=54332 tests/stress/run.sh
# STRESS_KEEP=1 leaves the cluster running afterwards for a look (it prints
# how to reach it; stop it with pg_ctl as the postgres user).
set -euo pipefail
extra_sql=${STRESS_EXTRA_SQL:+$(realpath "$STRESS_EXTRA_SQL")}
cd "$(dirname "$0")/../.."
here=tests/stress
seconds=${STRESS_SECONDS:-30}
clients=${STRESS_CLIENTS:-6}
if [ "$seconds" -gt 60 ]; then echo "STRESS_SECONDS is at most 60" >&2; exit 2; fi
export PGPORT=${PGPORT:-54332}
. scripts/cluster.sh
pgbench="$PG_BIN/pgbench"
[ -x "$pgbench" ] || { echo "pgbench not found in $PG_BIN (it ships with postgresql-15)" >&2; exit 2; }

started=$(date +%s)
cluster_start "deadlock_timeout=100ms" "log_lock_waits=on" "max_connections=40" "jit=off"
work=$(mktemp -d)
if [ -n "${STRESS_KEEP:-}" ]; then
  trap 'echo "kept: PGHOST=$PGHOST PGPORT=$PGPORT psql -d attendance_stress; data in $CLUSTER_DIR/data"; rm -rf "$work"' EXIT
else
  trap 'cluster_stop; rm -rf "$work"' EXIT
fi
db=attendance_stress
psql -q -d postgres -c "CREATE DATABASE $db" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "$here/setup.sql" >"$work/setup.out"
# STRESS_EXTRA_SQL: a file run after the setup, to try a patched function or
# inject a fault (e.g. drop the punch trigger) and see the checks fail.
if [ -n "$extra_sql" ]; then
  psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "$extra_sql" >>"$work/setup.out"
fi

# Four pgbench runs at once: the punchers and re-evaluators, one closer
# per org (client_id picks the org), one approver and one auditor.
bench() {
  local name=$1; shift
  set +e
  "$pgbench" -n -T "$seconds" --failures-detailed "$@" "$db" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
  set -e
}
echo "== load: $seconds s, $clients punching/refreshing clients, 3 closers, 1 approver, 1 auditor"
bench punchers -c "$clients" -j "$clients" \
  -f "$here/punch.sql@6" -f "$here/punch_pair.sql@2" -f "$here/make_up.sql@2" \
  -f "$here/refresh.sql@1" -f "$here/refresh_org.sql@1" &
bench closers -c 3 -j 3 -f "$here/close.sql" &
bench approver -c 1 -j 1 -f "$here/approve.sql" &
bench auditor -c 1 -j 1 -f "$here/audit.sql" &
wait

# Completed runs of one script, from pgbench's per-script report (a run
# with a single script only has the total).
runs() {
  awk -v s="$2" '$1 == "SQL" && $2 == "script" { many = 1; cur = ($4 ~ s "$") }
                 cur && $3 == "transactions" { n = $2 }
                 /^number of transactions actually processed:/ { total = $NF }
                 END { print (many ? n : total) + 0 }' "$work/$1.out"
}
failed() {
  awk '/^number of failed transactions:/ { print $5; exit }' "$work/$1.out"
}
status=0
bench_failures=0
for b in punchers closers approver auditor; do
  rc=$(cat "$work/$b.rc")
  f=$(failed "$b"); f=${f:-0}
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ] || grep -q 'aborted' "$work/$b.err" "$work/$b.out"; then
    echo "pgbench $b: exit $rc, $f failed transaction(s)"; cat "$work/$b.err"; status=1
    bench_failures=$((bench_failures + ${f:-0} + (rc != 0)))
  fi
done
n_punch=$(runs punchers punch.sql); n_pair=$(runs punchers punch_pair.sql); n_make_up=$(runs punchers make_up.sql)
n_refresh=$(runs punchers refresh.sql); n_refresh_org=$(runs punchers refresh_org.sql)
n_close=$(runs closers close.sql); n_approve=$(runs approver approve.sql); n_audit=$(runs auditor audit.sql)

echo "== checks"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/check.sql" >"$work/check.out"
IFS='|' read -r rows mismatches l_device l_pair l_make_up missing punches stale corrections audits bad_audits worst_audit stale_audits \
  < <(sed -n '/^counts:$/{n;p}' "$work/check.out")
if [ "$mismatches" -ne 0 ] || [ "$stale" -ne 0 ]; then sed '/^counts:$/,$d' "$work/check.out"; fi
if [ "$bad_audits" -ne 0 ] || [ "$stale_audits" -ne 0 ]; then
  echo "inconsistent snapshots seen by the auditor (first 5):"
  psql -X -At -d "$db" -c "SELECT at, bad_rows, sample, bad_approvals FROM stress.audit WHERE bad_rows > 0 OR bad_approvals > 0 ORDER BY at LIMIT 5"
  status=1
fi

expected=$((n_punch + 2 * n_pair + n_make_up))
ledger=$((l_device + l_pair + l_make_up))
# pgbench -T leaves each client's last transaction uncounted when the time
# is up, though the server may have committed it: the ledger may hold up to
# one more script run per client than pgbench reports, never fewer.
extra_runs=$(( (l_device - n_punch) + (l_pair / 2 - n_pair) + (l_make_up - n_make_up) ))
if [ "$l_device" -lt "$n_punch" ] || [ "$l_pair" -lt $((2 * n_pair)) ] || [ "$l_make_up" -lt "$n_make_up" ] \
   || [ $((l_pair % 2)) -ne 0 ] || [ "$extra_runs" -gt "$clients" ]; then
  echo "ledger (device $l_device, pair $l_pair, make-up $l_make_up) disagrees with pgbench (device $n_punch, pair $((2 * n_pair)), make-up $n_make_up)"
  status=1
fi
[ "$missing" -eq 0 ] && [ "$punches" -eq "$ledger" ] || { echo "punches: $missing ledger punch(es) missing, $punches in punch for $ledger in the ledger"; status=1; }
[ "$mismatches" -eq 0 ] || status=1
[ "$stale" -eq 0 ] || status=1

log="$CLUSTER_DIR/server.log"
deadlocks=$(grep -c 'deadlock detected' "$log" || true)
errors=$(grep -c 'ERROR:' "$log" || true)
if [ "$deadlocks" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "server log: $deadlocks deadlock(s), $errors error(s):"; grep -A3 'ERROR:' "$log" | head -40; status=1
fi
lock_waits=$(grep -c 'still waiting for' "$log" || true)

elapsed=$(($(date +%s) - started))
echo "== stress: ${seconds}s load; ops: punch $n_punch, punch_pair $n_pair, make_up $n_make_up, refresh $n_refresh, refresh_org $n_refresh_org, close/reopen cycles $n_close, approve $n_approve, audit $n_audit; punches committed: pgbench $expected (+$extra_runs in flight at the time limit), ledger $ledger, found $((ledger - missing)) (table $punches); day rows $rows, mismatching $mismatches; audited snapshots $audits: $bad_audits with mismatching day rows (worst $worst_audit rows), $stale_audits with stale approvals; stale approvals at the end $stale; corrections $corrections; deadlocks $deadlocks, server errors $errors, failed transactions $bench_failures; lock waits >100ms $lock_waits; ${elapsed}s total; $([ $status -eq 0 ] && echo PASS || echo FAIL)"
exit $status
