-- A make-up punch by hr (recorded in correction when the day is closed).
\set k random(0, 3)
\set e (:k / 2 + 1) * 10 + :k % 2 + 1
\set d random(0, 3)
\set m random(420, 1260)
BEGIN;
SET LOCAL attendance.acting_employee = '300';
WITH p AS (
  SELECT :e::bigint AS employee_id, (date '2024-03-30' + :d + make_interval(mins => :m)) AT TIME ZONE 'UTC' AS at),
  q AS (SELECT attendance.att_make_up_punch(p.employee_id, p.at, 'stress') AS punch_id, p.employee_id, p.at FROM p)
INSERT INTO stress.ledger SELECT punch_id, employee_id, 'make_up', at FROM q;
COMMIT;
