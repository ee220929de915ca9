-- One closer per org (client 0: the company through att_close_org 'skip',
-- client 1: Dept A, client 2: Dept B), so that a close never meets a close
-- of the same org and period. Closes March, then April, and reopens them.
\set org CASE WHEN :client_id = 0 THEN 1 WHEN :client_id = 1 THEN 10 ELSE 20 END
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT stress.close(:org, '2024-03-31');
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT stress.close(:org, '2024-04-01');
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT stress.reopen(:org, '2024-03-31');
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT stress.reopen(:org, '2024-04-01');
COMMIT;
