-- A device punch for one of the four staff on one of the four days, by a
-- session acting as hr (who may change closed days, so nothing is refused).
\set k random(0, 3)
\set e (:k / 2 + 1) * 10 + :k % 2 + 1
\set d random(0, 3)
\set m random(420, 1260)
BEGIN;
SET LOCAL attendance.acting_employee = '300';
WITH p AS (
  INSERT INTO attendance.punch (employee_id, at)
  VALUES (:e, (date '2024-03-30' + :d + make_interval(mins => :m)) AT TIME ZONE 'UTC')
  RETURNING punch_id, employee_id, at)
INSERT INTO stress.ledger SELECT punch_id, employee_id, 'device', at FROM p;
COMMIT;
