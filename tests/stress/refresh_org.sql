-- Re-evaluation of a whole org: the company or one department.
\set o random(0, 2)
\set org CASE WHEN :o = 0 THEN 1 WHEN :o = 1 THEN 10 ELSE 20 END
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT attendance.att_refresh_org(:org, daterange('2024-03-27', '2024-04-11'));
COMMIT;
