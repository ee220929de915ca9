-- The auditor: in one statement, so one snapshot, compares every day record
-- of the window with a fresh evaluation of the punches of that snapshot.
-- Each transaction writes its day records and punches together, so every
-- committed state should be consistent, not only the final one.
-- Current approvals must carry the figures of their day in every snapshot too.
INSERT INTO stress.audit (bad_rows, sample, bad_approvals)
SELECT count(*), min(employee_id || ' ' || day || ': stored ' || stored_punches || ' punch(es), fresh ' || fresh_punches),
       (SELECT count(*) FROM stress.stale_approval)
  FROM stress.mismatch;
