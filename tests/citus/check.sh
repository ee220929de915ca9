#!/usr/bin/env bash
# Scale-out on Citus (issue 16): the extension on a real Citus cluster gives
# the results of a single node. Builds Citus 13.2.2 from ../shared/citus
# (once; it cannot be downloaded), starts a coordinator and two workers as
# the postgres user on loopback, loads the same generated company into a
# Citus database and into a plain database beside it, distributes the first
# with att_distribute(), runs tests/citus/scenario.sql (every entry point:
# triggers, evaluation, refreshes, finalisation, scope, workflows, closing,
# corrections, input changes, a scoped BI login, the sync functions) on
# both, and requires the outputs to be identical; then moves and splits a
# shard group, punches from four clients at once, and upgrades a
# distributed database of the previous release in place.
# Environment: CITUS_CHECK_EMPLOYEES (default 700, every kind of rule),
# CITUS_CHECK_SHARDS (default 8), CITUS_CHECK_SKIP_INSTALL=1 when the
# extension is installed already (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
../shared/citus/build.sh
built=$(date +%s)
if [ -z "${CITUS_CHECK_SKIP_INSTALL:-}" ]; then ./scripts/install-extension.sh; fi
unset PGHOST PGPORT
. scripts/cluster.sh

employees=${CITUS_CHECK_EMPLOYEES:-700}
shards=${CITUS_CHECK_SHARDS:-8}
ports=(54710 54711 54712)
# The scenario's "now": October 2026 is over, the logins act as of 11-03.
clock='2026-11-03 12:00+00'
CITUS_DIR=$(as_postgres mktemp -d -t attendance-citus.XXXXXX)
stop_nodes() {
  for p in "${ports[@]}"; do
    [ -d "$CITUS_DIR/$p" ] && as_postgres "$PG_BIN/pg_ctl" -D "$CITUS_DIR/$p" -m fast -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$CITUS_DIR"
}
trap stop_nodes EXIT
for p in "${ports[@]}"; do
  as_postgres "$PG_BIN/initdb" -D "$CITUS_DIR/$p" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Citus nodes talk over TCP: loopback only, trust as the throwaway clusters do
  as_postgres "$PG_BIN/pg_ctl" -D "$CITUS_DIR/$p" -l "$CITUS_DIR/$p.log" -w start -o "-c listen_addresses=127.0.0.1 \
    -c unix_socket_directories='$CITUS_DIR' -c port=$p -c fsync=off -c log_timezone=UTC \
    -c shared_preload_libraries=citus -c attendance.clock='$clock'" >/dev/null
done
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$CITUS_DIR" -U postgres "$@"; }
coordinator=${ports[0]}
# A Citus database on every node, with the coordinator and both workers in
# its metadata, and a plain database beside it on the coordinator.
citus_database() {
  for p in "${ports[@]}"; do
    psql -p "$p" -d postgres -c "CREATE DATABASE $1"
    psql -p "$p" -d "$1" -c "SET client_min_messages = warning" -c "CREATE EXTENSION citus"
  done
  psql -p "$coordinator" -d postgres -c "CREATE DATABASE $2"
  psql -p "$coordinator" -d "$1" >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $coordinator);
SELECT citus_add_node('127.0.0.1', ${ports[1]});
SELECT citus_add_node('127.0.0.1', ${ports[2]});
SQL
}
citus_database citus_check single_check
psql -p "$coordinator" -d citus_check >/dev/null <<SQL
-- the scenario's logins (Citus creates them on the workers too)
CREATE ROLE citus_check_admin LOGIN; CREATE ROLE citus_check_hr LOGIN; CREATE ROLE citus_check_lead LOGIN;
CREATE ROLE citus_check_staff LOGIN; CREATE ROLE citus_check_bi LOGIN;
SQL
loaded_at=$(date +%s)
for db in single_check citus_check; do
  psql -p "$coordinator" -d "$db" -v employees="$employees" -f benches/sql/company.sql >/dev/null
  psql -p "$coordinator" -d "$db" -c "GRANT USAGE ON SCHEMA attendance TO citus_check_admin, citus_check_hr, citus_check_lead, citus_check_staff"
done

# att_distribute's refusals, then the one call
fail() { echo "citus ... FAILED ($1)"; exit 1; }
state() { psql -p "$coordinator" -d "$1" -At -c "SELECT public.citus_check_state(\$\$$2\$\$)"; }
for db in single_check citus_check; do
  psql -p "$coordinator" -d "$db" -c "CREATE FUNCTION public.citus_check_state(stmt text) RETURNS text LANGUAGE plpgsql AS \$\$
    BEGIN EXECUTE stmt; RETURN 'ok'; EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE; END \$\$"
done
[ "$(state single_check 'SELECT attendance.att_distribute()')" = 0A000 ] || fail "att_distribute without Citus must raise 0A000"
[ "$(state citus_check 'SET ROLE citus_check_admin; SELECT attendance.att_distribute()')" = 42501 ] \
  || fail "att_distribute by a login must raise 42501"
distributed=$(psql -p "$coordinator" -d citus_check -At -c "SET client_min_messages = warning" -c "SET citus.shard_count = $shards" \
  -c "SELECT count(*) FILTER (WHERE spread = 'employee') || ' by employee, ' || count(*) FILTER (WHERE spread = 'everywhere') || ' everywhere' FROM attendance.att_distribute()")
[ "$(state citus_check 'SELECT attendance.att_distribute()')" = 55000 ] || fail "a second att_distribute must raise 55000"
# day_record's employees: a foreign key to the reference table on Citus
# (statement triggers on one node), which refuses days of no one on the
# workers too
[ "$(psql -p "$coordinator" -d citus_check -At -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'attendance.day_record'::regclass AND contype = 'f'")" = 1 ] \
  || fail "day_record has no foreign key to employee after att_distribute"
[ "$(state citus_check "SELECT attendance.att_refresh(ARRAY[99999]::bigint[], '[2026-10-01,2026-10-03)')")" = 23503 ] \
  || fail "a refresh of an employee who does not exist must raise 23503 on Citus"

# Evaluation runs on the workers: every shard holds an anchor, and a query
# over the anchors is one task per shard, each calling the evaluation there.
anchored=$(psql -p "$coordinator" -d citus_check -At -c "SELECT count(DISTINCT pg_catalog.get_shard_id_for_distribution_column('attendance.shard_anchor', employee_id)) FROM attendance.shard_anchor")
[ "$anchored" = "$shards" ] || fail "$anchored of $shards shards hold an anchor: a shard without one would not be evaluated"
plan=$(psql -p "$coordinator" -d citus_check -At -c "EXPLAIN SELECT r.* FROM attendance.shard_anchor a
    CROSS JOIN LATERAL attendance._att_evaluate_shard(a.employee_id, NULL, '[2026-10-01,2026-11-01)') r")
echo "$plan" | grep -q "Task Count: $shards" && echo "$plan" | grep -q "Function Scan on _att_evaluate_shard" \
  || fail "the evaluation is not sent to every shard: $(echo "$plan" | head -5)"

out=$(mktemp -d)
chmod 755 "$out"
scenario_at=$(date +%s)
psql -p "$coordinator" -d single_check -f tests/citus/scenario.sql >"$out/single.out" 2>&1 || fail "the scenario failed on a single node: $(grep -m1 -A2 ERROR "$out/single.out" | cut -c1-600)"
single_done=$(date +%s)
psql -p "$coordinator" -d citus_check -f tests/citus/scenario.sql >"$out/citus.out" 2>&1 || fail "the scenario failed on Citus: $(grep -m1 -A2 ERROR "$out/citus.out" | cut -c1-600)"
citus_done=$(date +%s)
# A company-wide refresh holds a bounded number of locks on each worker (at
# most 64 buckets a shard, and the shard's own), whatever the number of
# employees: counted on the workers while the refresh's transaction is open.
fifo="$out/refresh.fifo"
mkfifo "$fifo"
psql -p "$coordinator" -d citus_check <"$fifo" >"$out/refresh.out" 2>&1 &
exec 9>"$fifo"
echo "BEGIN; SELECT attendance.att_refresh_org(1, '[2026-10-01,2026-11-01)') >= 0 AS refreshed;" >&9
for _ in $(seq 1 600); do grep -qE '^ t$|ERROR' "$out/refresh.out" && break; sleep 0.2; done
held=0
for p in "${ports[@]:1}"; do
  held=$((held + $(psql -p "$p" -d citus_check -At -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")))
done
echo "COMMIT;" >&9
exec 9>&-
wait
grep -q '^ t$' "$out/refresh.out" || fail "the company-wide refresh failed: $(grep -m1 ERROR "$out/refresh.out" | cut -c1-300)"
[ "$held" -gt 0 ] && [ "$held" -le $((65 * shards)) ] \
  || fail "a company-wide refresh held $held advisory locks on the workers (at most $((65 * shards)) expected)"

# Rebalancing: the shard group of employee 1 moves to the other worker,
# then tests/citus/moved.sql runs on both databases.
placed=$(psql -p "$coordinator" -d citus_check -At -c "SELECT s.shardid || ' ' || n.nodeport
    FROM pg_dist_shard s JOIN pg_dist_placement pl USING (shardid) JOIN pg_dist_node n USING (groupid)
   WHERE s.shardid = get_shard_id_for_distribution_column('attendance.day_record', 1)")
shard=${placed% *}
from=${placed#* }
to=$([ "$from" = "${ports[1]}" ] && echo "${ports[2]}" || echo "${ports[1]}")
psql -p "$coordinator" -d citus_check -c "SET client_min_messages = warning" \
  -c "SELECT citus_move_shard_placement($shard, '127.0.0.1', $from, '127.0.0.1', $to, shard_transfer_mode => 'block_writes')" >/dev/null \
  || fail "moving shard $shard from $from to $to failed"
now_on=$(psql -p "$coordinator" -d citus_check -At -c "SELECT n.nodeport FROM pg_dist_placement pl JOIN pg_dist_node n USING (groupid) WHERE pl.shardid = $shard")
[ "$now_on" = "$to" ] || fail "shard $shard is on $now_on after its move to $to"
for db in single_check citus_check; do
  psql -p "$coordinator" -d "$db" -f tests/citus/moved.sql >>"$out/${db%_check}.out" 2>&1 || fail "after the shard move ($db): $(grep -m1 -A2 ERROR "$out/${db%_check}.out" | cut -c1-600)"
done
grep -A2 '^ punched' "$out/citus.out" | grep -q '^ ok$' || fail "the punches after the shard move were refused"
# A worker's refresh writes straight into its own shards: the shard that
# holds employee 1 is found where it is placed now, and nowhere else (not
# where it was before the move, not on the coordinator), and employees of
# two shards have none.
local_shard() { psql -p "$1" -d citus_check -At -c "SELECT coalesce(attendance._att_local_shard('attendance.day_record', ARRAY[$2]::bigint[])::text, 'none')"; }
other=$(psql -p "$coordinator" -d citus_check -At -c "SELECT e FROM generate_series(2, 700) e
    WHERE get_shard_id_for_distribution_column('attendance.day_record', e) <> $shard LIMIT 1")
[ "$(local_shard "$to" 1)" = "attendance.day_record_$shard" ] && [ "$(local_shard "$from" 1)" = none ] \
  && [ "$(local_shard "$coordinator" 1)" = none ] && [ "$(local_shard "$to" "1, $other")" = none ] \
  || fail "the local shard of employee 1: on $to $(local_shard "$to" 1), on $from $(local_shard "$from" 1), on the coordinator $(local_shard "$coordinator" 1)"

# Splitting that shard group: the new shard has no anchor, so evaluation on
# the coordinator refuses (55000) until att_anchor_shards gives it one; then
# the month's evaluation equals the single node's again.
split=$(psql -p "$coordinator" -d citus_check -At -c "SELECT s.shardminvalue::bigint + (s.shardmaxvalue::bigint - s.shardminvalue::bigint) / 2 || ' ' || n.nodeid
    FROM pg_dist_shard s JOIN pg_dist_placement pl USING (shardid) JOIN pg_dist_node n USING (groupid) WHERE s.shardid = $shard")
psql -p "$coordinator" -d citus_check -c "SET client_min_messages = warning" \
  -c "SELECT citus_split_shard_by_split_points($shard, ARRAY['${split% *}'], ARRAY[${split#* }, ${split#* }], shard_transfer_mode => 'block_writes')" >/dev/null \
  || fail "splitting shard $shard failed"
[ "$(state citus_check "SELECT count(*) FROM attendance.att_evaluate_all('[2026-10-01,2026-11-01)')")" = 55000 ] \
  || fail "evaluation with a shard without an anchor must raise 55000"
[ "$(state citus_check 'SET ROLE citus_check_admin; SELECT attendance.att_anchor_shards()')" = 42501 ] \
  || fail "att_anchor_shards by a login must raise 42501"
placed=$(psql -p "$coordinator" -d citus_check -At -c "SELECT attendance.att_anchor_shards()" 2>&1)
[ "$placed" = 1 ] || fail "att_anchor_shards placed $placed anchors, not 1"
month="SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) FROM attendance.att_evaluate_all('[2026-10-01,2026-11-01)') r"
if [ "$(psql -p "$coordinator" -d citus_check -At -c "$month")" != "$(psql -p "$coordinator" -d single_check -At -c "$month")" ]; then
  rows="SELECT r::text FROM attendance.att_evaluate_all('[2026-10-01,2026-11-01)') r ORDER BY r.employee_id, r.day"
  psql -p "$coordinator" -d single_check -At -c "$rows" >"$out/month_single"
  psql -p "$coordinator" -d citus_check -At -c "$rows" >"$out/month_citus"
  diff "$out/month_single" "$out/month_citus" >"$out/month.diff" || true
  { grep -m3 '^<' "$out/month.diff"; grep -m3 '^>' "$out/month.diff"; } | cut -c1-400 || true
  fail "after the split and att_anchor_shards the month's evaluation differs from a single node's (single node <, Citus >)"
fi

# Concurrency: their September stored first (open; October is closed by
# now), four clients punch 16 employees for 10 s, with a refresh of one of
# them now and then; then every day of theirs must equal a fresh
# evaluation (a lost update would leave a stale day).
psql -p "$coordinator" -d citus_check -At -c "SELECT attendance.att_refresh(ARRAY[$(seq -s, 1 16)]::bigint[], '[2026-09-01,2026-10-01)')" >/dev/null
"$PG_BIN/pgbench" -n -h "$CITUS_DIR" -p "$coordinator" -U postgres -c 4 -j 2 -T 10 \
  -f tests/citus/punch.pgbench@9 -f tests/citus/refresh.pgbench@1 citus_check >"$out/pgbench.out" 2>&1 \
  || fail "concurrent punches: $(grep -m1 -iE 'error|abort' "$out/pgbench.out" | cut -c1-300)"
done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out/pgbench.out")
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out/pgbench.out")
stale=$(psql -p "$coordinator" -d citus_check -At -c "
  SELECT count(*) FILTER (WHERE d.employee_id IS NULL
                          OR (f.status, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.check_in, f.check_out, f.reasons)
                             IS DISTINCT FROM
                             (d.status, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.check_in, d.check_out, d.reasons))
    FROM attendance.att_evaluate(ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]::bigint[], '[2026-09-01,2026-10-01)') f
    LEFT JOIN attendance.day_record d ON d.employee_id = f.employee_id AND d.day = f.day")
[ "${done_tx:-0}" -gt 0 ] && [ "${failed_tx:-0}" = 0 ] && [ "$stale" = 0 ] \
  || fail "concurrent punches: ${done_tx:-0} transactions, ${failed_tx:-?} failed, $stale stale days"

# Upgrading a distributed database in place: the previous release is
# installed and its company distributed, then ALTER EXTENSION attendance
# UPDATE on the coordinator (Citus runs it on the workers too); then
# tests/citus/upgraded.sql gives what a fresh single node of the current
# release gives with the same company.
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
previous=$(ls sql/versions | sed -n "s/^attendance--\([0-9.]*\)--$current\.sql$/\1/p")
[ -n "$previous" ] || fail "no upgrade script to $current in sql/versions"
citus_database citus_upgrade single_upgrade
psql -p "$coordinator" -d citus_upgrade -v employees="$employees" -v version="$previous" -f benches/sql/company.sql >/dev/null
psql -p "$coordinator" -d single_upgrade -v employees="$employees" -f benches/sql/company.sql >/dev/null
psql -p "$coordinator" -d citus_upgrade -At -c "SET client_min_messages = warning" -c "SET citus.shard_count = $shards" \
  -c "SELECT count(*) FROM attendance.att_distribute()" >/dev/null || fail "distributing release $previous failed"
psql -p "$coordinator" -d citus_upgrade -c "ALTER EXTENSION attendance UPDATE" >"$out/upgrade.out" 2>&1 \
  || fail "ALTER EXTENSION attendance UPDATE from $previous on a distributed database: $(grep -m1 -A2 ERROR "$out/upgrade.out" | cut -c1-600)"
for db in single_upgrade citus_upgrade; do
  psql -p "$coordinator" -d "$db" -f tests/citus/upgraded.sql >"$out/$db.out" 2>&1 || fail "after the upgrade ($db): $(grep -m1 -A2 ERROR "$out/$db.out" | cut -c1-600)"
done
grep -q "^ $current\$" "$out/citus_upgrade.out" || fail "the distributed database is not at $current after its upgrade"
# Indexes an upgrade adds to a reference table reach each node's placement
# (0.14.0: the ends of the closing periods, asked about at every refresh).
placements=0
for p in "${ports[@]}"; do
  read -r here missing < <(psql -p "$p" -d citus_upgrade -At -F ' ' -c "SET citus.show_shards_for_app_name_prefixes = '*'" -c "
    SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
             SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = to_regclass(shard_name(s.logicalrelid, s.shardid)) AND c.relname LIKE '%end_idx%'))
      FROM pg_dist_shard s
     WHERE s.logicalrelid IN ('attendance.closing'::regclass, 'attendance.closing_event'::regclass)
       AND to_regclass(shard_name(s.logicalrelid, s.shardid)) IS NOT NULL" | tail -1)
  [ "$missing" = 0 ] || fail "after the upgrade, $missing of $here placements of closing and closing_event on the node at port $p lack the index of the periods' ends"
  placements=$((placements + here))
done
[ "$placements" -ge 4 ] || fail "after the upgrade, only $placements placements of closing and closing_event were found on the nodes"
# The room for a row's next version (0.16.0: fillfactor 85) reaches every
# shard of day_record and period_record, upgraded in place or distributed
# by att_distribute.
filled=0
for db in citus_upgrade citus_check; do
  for p in "${ports[@]}"; do
    read -r here missing < <(psql -p "$p" -d "$db" -At -F ' ' -c "SET citus.show_shards_for_app_name_prefixes = '*'" -c "
      SELECT count(*), count(*) FILTER (WHERE NOT coalesce('fillfactor=85' = ANY (c.reloptions), false))
        FROM pg_dist_shard s JOIN pg_class c ON c.oid = to_regclass(shard_name(s.logicalrelid, s.shardid))
       WHERE s.logicalrelid IN ('attendance.day_record'::regclass, 'attendance.period_record'::regclass)" | tail -1)
    [ "$missing" = 0 ] || fail "$missing of $here shards of day_record and period_record on the node at port $p ($db) lack fillfactor 85"
    filled=$((filled + here))
  done
done
[ "$filled" -ge 4 ] || fail "only $filled shards of day_record and period_record were found on the nodes"
# An index the upgrades add or change reaches every shard of its table,
# upgraded in place or distributed by att_distribute: the index named like
# $2 on each shard of table $1, with $3 key columns; sets indexed to the
# number of shards seen.
shards_indexed() {
  local table=$1 index=$2 columns=$3 seen=0 db p here missing
  for db in citus_upgrade citus_check; do
    for p in "${ports[@]}"; do
      read -r here missing < <(psql -p "$p" -d "$db" -At -F ' ' -c "SET citus.show_shards_for_app_name_prefixes = '*'" -c "
        SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                 SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE i.indrelid = to_regclass(shard_name(s.logicalrelid, s.shardid)) AND c.relname LIKE '${index}%'
                    AND i.indnkeyatts = $columns))
          FROM pg_dist_shard s
         WHERE s.logicalrelid = 'attendance.$table'::regclass AND to_regclass(shard_name(s.logicalrelid, s.shardid)) IS NOT NULL" | tail -1)
      [ "$missing" = 0 ] || fail "$missing of $here shards of $table on the node at port $p ($db) lack $index on $columns columns"
      seen=$((seen + here))
    done
  done
  [ "$seen" -ge 4 ] || fail "only $seen shards of $table were found on the nodes"
  indexed=$seen
}
# punches stored before their own time (0.18.0); pending days by day and
# start (0.27.0)
shards_indexed punch punch_ahead_idx 1
ahead=$indexed
shards_indexed day_record day_record_pending_idx 2
pending=$indexed
diff -u "$out/single_upgrade.out" "$out/citus_upgrade.out" >"$out/upgrade.diff" || { head -40 "$out/upgrade.diff"; fail "after the upgrade from $previous the distributed database differs from a fresh single node"; }

results=$(grep -cE '^\([0-9]+ rows?\)$' "$out/single.out" || true)
if ! diff -u "$out/single.out" "$out/citus.out" >"$out/diff"; then
  head -80 "$out/diff"
  fail "the outputs differ: single node (-) and Citus (+) above"
fi
echo "citus ... ok ($employees employees, $distributed, 2 workers and $shards shards, evaluation sent to every shard, $held refresh locks for $employees employees, a shard group moved and split, $done_tx concurrent punches and refreshes with 0 stale days, upgraded in place from $previous with its $placements closing placements indexed, $filled shards of day_record and period_record with room for a row's next version, $ahead shards of punch with the index of punches stored ahead, $pending of day_record with the pending days' index by day and start; $results results identical to a single node; scenario $((single_done - scenario_at)) s on one node, $((citus_done - single_done)) s on Citus; whole check $((citus_done - built)) s, Citus build $((built - started)) s)"
rm -rf "$out"
