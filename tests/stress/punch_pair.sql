-- One statement punching two staff (of either department) on the same day:
-- the statement trigger refreshes both, one after the other.
\set k random(0, 3)
\set e1 (:k / 2 + 1) * 10 + :k % 2 + 1
\set j random(1, 3)
\set k2 (:k + :j) % 4
\set e2 (:k2 / 2 + 1) * 10 + :k2 % 2 + 1
\set d random(0, 3)
\set m random(420, 1260)
BEGIN;
SET LOCAL attendance.acting_employee = '300';
WITH p AS (
  INSERT INTO attendance.punch (employee_id, at)
  VALUES (:e1, (date '2024-03-30' + :d + make_interval(mins => :m)) AT TIME ZONE 'UTC'),
         (:e2, (date '2024-03-30' + :d + make_interval(mins => :m + 1)) AT TIME ZONE 'UTC')
  RETURNING punch_id, employee_id, at)
INSERT INTO stress.ledger SELECT punch_id, employee_id, 'pair', at FROM p;
COMMIT;
