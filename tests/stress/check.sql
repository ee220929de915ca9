-- The checks after the load, one row of counts (psql -At, "|"-separated):
--   day rows checked | day rows differing from a fresh att_evaluate |
--   ledger punches: device | pair | make_up | ledger punches missing from punch |
--   punches in punch | current approvals whose figures differ from the day record |
--   corrections recorded | snapshots audited during the load | of them with mismatching day rows |
--   most mismatching rows in one audited snapshot | audited snapshots with stale approvals
SET TimeZone = 'UTC';
SET search_path = attendance, public;
\echo mismatching day rows (first 10):
SELECT * FROM stress.mismatch ORDER BY employee_id, day LIMIT 10;
\echo current approvals whose figures differ from the day record (first 10):
SELECT * FROM stress.stale_approval ORDER BY employee_id, day LIMIT 10;
\pset tuples_only on
\pset format unaligned
\echo counts:
SELECT (SELECT count(*) FROM stress.staff s, stress.window_days w, att_evaluate(s.employee_id, w.days)),
       (SELECT count(*) FROM stress.mismatch),
       (SELECT count(*) FROM stress.ledger WHERE kind = 'device'),
       (SELECT count(*) FROM stress.ledger WHERE kind = 'pair'),
       (SELECT count(*) FROM stress.ledger WHERE kind = 'make_up'),
       (SELECT count(*) FROM stress.ledger l WHERE NOT EXISTS (
          SELECT 1 FROM punch p WHERE p.employee_id = l.employee_id AND p.punch_id = l.punch_id AND p.at = l.at)),
       (SELECT count(*) FROM punch),
       (SELECT count(*) FROM stress.stale_approval),
       (SELECT count(*) FROM correction),
       (SELECT count(*) FROM stress.audit),
       (SELECT count(*) FILTER (WHERE bad_rows > 0) FROM stress.audit),
       (SELECT coalesce(max(bad_rows), 0) FROM stress.audit),
       (SELECT count(*) FILTER (WHERE bad_approvals > 0) FROM stress.audit);
