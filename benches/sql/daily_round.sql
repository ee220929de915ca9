-- One round of benches/sql/evaluate.sql's section e: the month of
-- att_daily read unscoped (superuser), then as the hr of the company (the
-- same rows through the scope policy), each time into daily_read.
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late FROM attendance.att_daily
 WHERE day >= :'first_day' AND day < :'end_day' \gset scan_
INSERT INTO daily_read VALUES ('unscoped', :scan_rows, extract(epoch FROM clock_timestamp() - :'t0'));
SET ROLE bench_hr;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late FROM attendance.att_daily
 WHERE day >= :'first_day' AND day < :'end_day' \gset scan_hr_
RESET ROLE;
INSERT INTO daily_read VALUES ('scoped', :scan_hr_rows, extract(epoch FROM clock_timestamp() - :'t0'));
