-- Health as exact intervals. Portable SQL: it must run unchanged on SQLite and PostgreSQL.
-- An interval is open (to_ms NULL) while it is the host's current health; recording a change
-- closes it at the change's time and opens the next one in the same transaction.

CREATE TABLE health_intervals (
  host_id VARCHAR(128)  NOT NULL,
  state   VARCHAR(16)   NOT NULL,
  from_ms BIGINT        NOT NULL,
  to_ms   BIGINT,
  rules   TEXT          NOT NULL,
  reason  VARCHAR(4096) NOT NULL,
  figures TEXT          NOT NULL
);

CREATE INDEX health_intervals_host_from ON health_intervals (host_id, from_ms);

CREATE TABLE host_health (
  host_id  VARCHAR(128)  NOT NULL PRIMARY KEY,
  state    VARCHAR(16)   NOT NULL,
  since_ms BIGINT        NOT NULL,
  reason   VARCHAR(4096) NOT NULL,
  rules    TEXT          NOT NULL
);
