#!/usr/bin/env bash
# BI reporting as a real BI login sees it (issue 13): the demo company and
# five logins set up as README's "Who sees what" tells a DBA, then psycopg
# clients (bi_clients.py) that reflect the catalog and run a manager's
# monthly reports as each login, compared with each login's scope as a
# superuser computes it; and docs/bi.md compared with the data dictionary
# the catalog generates (scripts/bi-dictionary.py).
# Run by scripts/test.sh against its throwaway cluster ($PG_BIN, $PGHOST, $PGPORT).
set -euo pipefail
cd "$(dirname "$0")/../.."
psql() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
# Debian's python3-psycopg (scripts/setup.sh) is installed for the system
# interpreter; a pyenv or venv python3 earlier on PATH may not have it.
python=python3
for candidate in $(type -ap python3); do
  if "$candidate" -c 'import psycopg' 2>/dev/null; then python=$candidate; break; fi
done

db=bi_clients
admin=bi_sato        # employee 9001, admin of Sales in the demo
hr=bi_kimura         # employee 9002, hr of the whole company
staff=bi_employee    # employee 2004 of Sales Tokyo, administers no one
nobody=bi_nobody     # mapped to no employee
app=bi_app           # an application server: attendance_app, acting per transaction
logins="$admin, $hr, $staff, $nobody, $app"

psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS $logins" -c "CREATE DATABASE $db"
# Scope is judged as of "today" and day results by "now": pinned, so the test
# sees the same month whatever day it runs on.
psql -d postgres -c "ALTER DATABASE $db SET attendance.clock = '2026-12-01 09:00+09'"
psql -d "$db" -f scripts/demo.sql >/dev/null

# The GRANTs come from README's own example (written for the login "sato"),
# so the logins get what README tells a DBA, and README cannot drift from it.
readme_sql=$(awk '/^## Who sees what/ {s = 1} s && /^```sql/ {b = 1; next} b && /^```/ {exit} b' README.md)
grants=$(echo "$readme_sql" | awk '/^GRANT / {g = 1} g {print} g && /;/ {g = 0}')
if ! echo "$grants" | grep -q '^GRANT SELECT' || [ "$(echo "$grants" | grep -c 'TO sato;')" -ne "$(echo "$grants" | grep -c '^GRANT')" ]; then
  echo "bi_clients ... FAILED"
  echo "README's \"Who sees what\" no longer has GRANT statements ending in \"TO sato;\"; found:"
  echo "$grants"
  exit 1
fi
psql -d "$db" <<SQL
CREATE ROLE $admin LOGIN;
CREATE ROLE $hr LOGIN;
CREATE ROLE $staff LOGIN;
CREATE ROLE $nobody LOGIN;
CREATE ROLE $app LOGIN;
GRANT attendance_app TO $app;
INSERT INTO attendance.login_employee VALUES ('$admin', 9001), ('$hr', 9002), ('$staff', 2004);
${grants//TO sato;/TO $logins;}
SQL

# The app acts for Sato, then for employee 2004, on one connection (and so
# with the same prepared statements), then for no one.
set +e
out=$("$python" tests/clients/bi_clients.py --dbname "$db" --period 2026-10-26 2026-11-25 \
        "$admin" "$hr" "$staff" "$nobody" "$app=9001,2004" 2>&1)
clients=$?
dictionary=$(PGDATABASE=$db "$python" scripts/bi-dictionary.py --check docs/bi.md 2>&1)
drift=$?
set -e
if [ $clients -eq 0 ] && [ $drift -eq 0 ]; then
  echo "bi_clients ... ok (${out##*$'\n'}; docs/bi.md matches the catalog)"
else
  echo "bi_clients ... FAILED"
  echo "$out"
  [ $drift -eq 0 ] || echo "$dictionary"
  exit 1
fi
