-- Incidents and the durable event log. Portable SQL: it must run unchanged on SQLite and PostgreSQL.
-- Ids are assigned by the server (MAX + 1 inside the writing transaction), so no SERIAL/AUTOINCREMENT.

-- One incident of a host or a pool: open while the subject is not HEALTHY (host) or not UP (pool).
CREATE TABLE incidents (
  id            BIGINT        NOT NULL PRIMARY KEY,
  kind          VARCHAR(8)    NOT NULL,
  subject       VARCHAR(256)  NOT NULL,
  state         VARCHAR(8)    NOT NULL,
  severity      VARCHAR(16)   NOT NULL,
  current_state VARCHAR(16)   NOT NULL,
  opened_at_ms  BIGINT        NOT NULL,
  closed_at_ms  BIGINT,
  cause         TEXT          NOT NULL
);

CREATE INDEX incidents_opened ON incidents (opened_at_ms, id);

CREATE INDEX incidents_subject ON incidents (kind, subject, state);

-- The timeline of an incident: opened, changed, action, closed; in order of seq.
CREATE TABLE incident_events (
  incident_id BIGINT        NOT NULL,
  seq         INTEGER       NOT NULL,
  at_ms       BIGINT        NOT NULL,
  type        VARCHAR(16)   NOT NULL,
  state       VARCHAR(16),
  text        VARCHAR(4096) NOT NULL,
  detail      TEXT          NOT NULL,
  PRIMARY KEY (incident_id, seq)
);

-- Every state change announced on /api/v1/events, with the id a client resumes from.
CREATE TABLE events (
  id    BIGINT      NOT NULL PRIMARY KEY,
  at_ms BIGINT      NOT NULL,
  type  VARCHAR(64) NOT NULL,
  data  TEXT        NOT NULL
);

CREATE INDEX events_at ON events (at_ms);
