-- Re-evaluation of one employee over the punched days and their reach.
\set k random(0, 3)
\set e (:k / 2 + 1) * 10 + :k % 2 + 1
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT attendance.att_refresh(:e, daterange('2024-03-27', '2024-04-11'));
COMMIT;
