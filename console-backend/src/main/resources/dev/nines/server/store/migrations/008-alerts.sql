-- Alerts (issue 5): the alert engine's state. Portable SQL: it must run unchanged on SQLite and
-- PostgreSQL.

-- Every alert the engine knows: pending, firing, and resolved ones (kept 7 days, then pruned).
-- One row per fingerprint (the stable hash of its identifying labels): an alert that fires again
-- takes its row back.
CREATE TABLE alerts (
  fingerprint      VARCHAR(64)  NOT NULL PRIMARY KEY,
  alertname        VARCHAR(64)  NOT NULL,
  state            VARCHAR(16)  NOT NULL,
  labels           TEXT         NOT NULL,
  annotations      TEXT         NOT NULL,
  active_since_ms  BIGINT       NOT NULL,
  starts_at_ms     BIGINT,
  ends_at_ms       BIGINT,
  hold_until_ms    BIGINT,
  ack_by           VARCHAR(256),
  ack_comment      TEXT,
  ack_at_ms        BIGINT,
  suppressed_by    TEXT         NOT NULL,
  updated_at_ms    BIGINT       NOT NULL
);
CREATE INDEX alerts_state ON alerts (state, ends_at_ms);

-- What was last sent to each receiver's group of alerts, so that a restart does not send it again.
CREATE TABLE alert_groups (
  group_key        VARCHAR(512) NOT NULL PRIMARY KEY,
  receiver_id      VARCHAR(64)  NOT NULL,
  group_labels     TEXT         NOT NULL,
  first_seen_ms    BIGINT       NOT NULL,
  last_sent_ms     BIGINT,
  sent             TEXT         NOT NULL,
  seq              BIGINT       NOT NULL,
  last_event_id    VARCHAR(64),
  updated_at_ms    BIGINT       NOT NULL
);

-- Silences: alerts whose labels match every matcher between starts and ends are not sent.
CREATE TABLE silences (
  id               VARCHAR(64)  NOT NULL PRIMARY KEY,
  matchers         TEXT         NOT NULL,
  author           VARCHAR(256) NOT NULL,
  comment          TEXT         NOT NULL,
  starts_at_ms     BIGINT       NOT NULL,
  ends_at_ms       BIGINT       NOT NULL,
  created_at_ms    BIGINT       NOT NULL,
  updated_at_ms    BIGINT       NOT NULL
);
