-- Daily approval by hr of one punched employee-day (a single approver
-- client, so that two approvals of one day never race each other).
\set k random(0, 3)
\set e (:k / 2 + 1) * 10 + :k % 2 + 1
\set d random(0, 3)
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT attendance.att_approve_day(:e, date '2024-03-30' + :d);
COMMIT;
