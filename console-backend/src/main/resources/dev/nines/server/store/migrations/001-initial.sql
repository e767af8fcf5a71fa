-- First schema. Portable SQL: it must run unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT); JSON documents are TEXT.

CREATE TABLE reports (
  agent_id        VARCHAR(128) NOT NULL,
  seq             BIGINT       NOT NULL,
  collected_at_ms BIGINT       NOT NULL,
  received_at_ms  BIGINT       NOT NULL,
  body            TEXT         NOT NULL,
  PRIMARY KEY (agent_id, seq)
);

CREATE TABLE hosts (
  id                   VARCHAR(128) NOT NULL PRIMARY KEY,
  pool                 VARCHAR(256),
  labels               TEXT         NOT NULL,
  first_seen_ms        BIGINT       NOT NULL,
  last_seen_ms         BIGINT       NOT NULL,
  last_seq             BIGINT       NOT NULL,
  last_collected_at_ms BIGINT       NOT NULL,
  last_report          TEXT         NOT NULL
);

CREATE TABLE routing (
  host_id       VARCHAR(128) NOT NULL PRIMARY KEY,
  state         VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  reason        VARCHAR(1024),
  changed_at_ms BIGINT       NOT NULL,
  changed_by    VARCHAR(256) NOT NULL
);

CREATE TABLE tokens (
  id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  name          VARCHAR(256) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  hash          CHAR(64)     NOT NULL UNIQUE,
  created_at_ms BIGINT       NOT NULL,
  revoked_at_ms BIGINT
);
