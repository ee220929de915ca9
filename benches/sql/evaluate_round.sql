-- One timed evaluation of the month for section b of evaluate.sql (run
-- three times there; the median counts).
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late, sum(early_minutes) AS early, sum(absent_minutes) AS absent
  FROM bench.evaluate(:'days') \gset ours_
INSERT INTO evaluation_run VALUES (extract(epoch FROM clock_timestamp() - :'t0'::timestamptz));
