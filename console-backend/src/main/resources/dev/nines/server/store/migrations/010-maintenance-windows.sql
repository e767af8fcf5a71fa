-- Maintenance windows (one-off and recurring): they silence alerts and are excluded from
-- availability. Portable SQL: it must run unchanged on SQLite and PostgreSQL.

-- One window. The schedule (one-off start and end, or the recurrence) is the JSON text in `spec`;
-- the columns beside it are what is listed and filtered on. A window is never deleted: DELETE over
-- the API sets cancelled_at_ms, and occurrences before that time keep counting.
CREATE TABLE maintenance_windows (
  id              VARCHAR(64)  NOT NULL PRIMARY KEY,
  pool            VARCHAR(256),
  spec            TEXT         NOT NULL,
  comment         TEXT         NOT NULL,
  author          VARCHAR(256) NOT NULL,
  created_at_ms   BIGINT       NOT NULL,
  cancelled_at_ms BIGINT,
  cancelled_by    VARCHAR(256)
);
