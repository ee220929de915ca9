#!/usr/bin/env bash
# Paired benchmark of two revisions' libraries: the speed of this shared
# host changes by up to 1.5x within an hour, so two builds are compared on
# one cluster and one company, alternating round by round, rather than in
# two runs of bench-sql.sh. Both revisions must have the same SQL (sql/): the
# libraries are swapped under one installed extension, each round's
# connections loading the library installed at their start.
#
#   ./scripts/bench-paired.sh REV_A [REV_B] [ROUNDS]
#     REV_A, REV_B  git revisions (REV_B defaults to HEAD)
#     ROUNDS        default 3
#   BENCH_EMPLOYEES (10000), BENCH_MODE (simple), BENCH_SECONDS (10: the
#   pgbench run of each round)
#
# Each round and library prints: the latency of one punch kept current
# (pgbench, one client, benches/sql/punch.pgbench), of one check-in that
# changes its day (benches/sql/punch_check_in.pgbench, into the next month,
# stored without punches), and the month's
# evaluation by att_evaluate_all in one process and with two parallel
# workers. The working tree's build is installed again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
rev_a=${1:?usage: bench-paired.sh REV_A [REV_B] [ROUNDS]}
rev_b=${2:-HEAD}
rounds=${3:-3}
employees=${BENCH_EMPLOYEES:-10000}
mode=${BENCH_MODE:-simple}
seconds=${BENCH_SECONDS:-10}
if ! git diff --quiet "$rev_a" "$rev_b" -- sql/; then
  echo "bench-paired: $rev_a and $rev_b have different SQL; compare builds of one release" >&2
  exit 1
fi
./scripts/setup.sh
PROFILE=release ./scripts/install-extension.sh
lib_dir=$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)
work=$(mktemp -d)
cp "$lib_dir/attendance.so" "$work/working-tree.so"
trap 'rm -rf "$work"' EXIT

# One target directory for both builds (the dependencies compile once); the
# crate is rebuilt for each worktree and its library copied out at once.
for side in a b; do
  rev=$([ "$side" = a ] && echo "$rev_a" || echo "$rev_b")
  git worktree add -q --detach "$work/$side" "$rev"
  touch "$work/$side/src/lib.rs"
  (cd "$work/$side" && CARGO_TARGET_DIR="$PWD/../target" cargo build --release -p attendance --lib -q)
  cp "$work/target/release/libattendance.so" "$work/$side.so"
  git worktree remove --force "$work/$side"
done

install_lib() {
  # a new file, not a rewrite: running backends keep the one they mapped
  cp "$1" "$lib_dir/attendance.so.paired" && mv "$lib_dir/attendance.so.paired" "$lib_dir/attendance.so"
}
. scripts/cluster.sh
cluster_start shared_buffers=1GB
trap 'install_lib "$work/working-tree.so"; rm -rf "$work"; cluster_stop' EXIT
export PATH="$PG_BIN:$PATH"
psql -X -q -v ON_ERROR_STOP=1 -v employees="$employees" -v mode="$mode" -f benches/sql/company.sql >/dev/null
psql -X -q -c 'VACUUM ANALYZE' >/dev/null
read -r first_day end_day < <(psql -X -At -F ' ' -c 'SELECT lower(days), upper(days) FROM bench.setting')
psql -X -q -c "SELECT attendance.att_refresh_org(1, '[$first_day,$end_day)')" >/dev/null
first=$(psql -X -At -c "SELECT date '$first_day' - date '2000-01-01'")
# the next month stored without punches, for the check-ins
read -r next_first next_end < <(psql -X -At -F ' ' -c "SELECT date '$end_day' - date '2000-01-01', (date '$end_day' + interval '1 month')::date")
psql -X -q -c "SELECT attendance.att_refresh_org(1, '[$end_day,$next_end)')" -c 'VACUUM ANALYZE attendance.day_record' >/dev/null
evaluate() {
  psql -X -At <<SQL | tail -1
SET jit = off;
SET max_parallel_workers_per_gather = $1;
SELECT count(*) FROM attendance.att_evaluate_all('[$first_day,$first_day]');
SELECT clock_timestamp() AS t0 \gset
SELECT count(*), sum(late_minutes) FROM attendance.att_evaluate_all('[$first_day,$end_day)');
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000);
SQL
}
echo "round library punch_ms check_in_ms evaluate_1_process_ms evaluate_2_workers_ms"
for r in $(seq "$rounds"); do
  for side in a b; do
    install_lib "$work/$side.so"
    punch=$(pgbench -n -c 1 -T "$seconds" -D employees="$employees" -D first="$first" \
      -f benches/sql/punch.pgbench | awk '/latency average/ {print $4}')
    check_in=$(pgbench -n -c 1 -T "$seconds" -D employees="$employees" -D first="$next_first" \
      -f benches/sql/punch_check_in.pgbench | awk '/latency average/ {print $4}')
    echo "$r $([ "$side" = a ] && echo "$rev_a" || echo "$rev_b") $punch $check_in $(evaluate 0) $(evaluate 2)"
  done
done
