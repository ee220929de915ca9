-- "Now" and "today" as the extension judges them (SPEC.md D): the real time,
-- or the superuser-only attendance.clock, and its date in the server's own
-- zone (log_timezone). A session's TimeZone moves neither, so no login can
-- step back into a grant that ended yesterday or judge a day that has not
-- come. Every default as_of and every "today" check reads att_today().

CREATE FUNCTION att_now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(@extschema@._att_clock()::timestamptz, pg_catalog.now());
COMMENT ON FUNCTION att_now() IS
  'The instant the extension treats as now: the transaction''s start, or the superuser-only setting attendance.clock (tests and replays).';

CREATE FUNCTION att_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (@extschema@.att_now() AT TIME ZONE pg_catalog.current_setting('log_timezone'))::date;
COMMENT ON FUNCTION att_today() IS
  'Today as the extension judges it: the date of att_now() in the server''s zone (log_timezone), never the session''s TimeZone. The default as_of of every scope function and the "today" of every check.';

COMMENT ON FUNCTION _att_clock() IS 'Internal: the attendance.clock setting, NULL when unset.';
