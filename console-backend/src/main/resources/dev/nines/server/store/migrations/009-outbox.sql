-- Alert delivery (issue 5). Portable SQL (SQLite and PostgreSQL).
-- receivers: where notifications go; spec is the receiver as JSON (ReceiverSpec, secret included).
-- outbox: one row per message for one receiver, stored before the alert engine goes on, delivered
-- at least once (or dead-lettered) by the delivery worker. seq is made by the application (the
-- order of enqueueing); messages of one group_key are delivered in seq order. state is pending,
-- delivered or dead. age_from_ms is when the receiver's maxAge starts counting (the enqueue, or the
-- last re-drive).

CREATE TABLE receivers (
  id             VARCHAR(64)  NOT NULL PRIMARY KEY,
  spec           TEXT         NOT NULL,
  created_at_ms  BIGINT       NOT NULL,
  updated_at_ms  BIGINT       NOT NULL
);

CREATE TABLE outbox (
  seq              BIGINT        NOT NULL PRIMARY KEY,
  event_id         VARCHAR(128)  NOT NULL UNIQUE,
  receiver_id      VARCHAR(64)   NOT NULL,
  group_key        VARCHAR(1024) NOT NULL,
  notification     TEXT          NOT NULL,
  state            VARCHAR(16)   NOT NULL,
  attempts         INTEGER       NOT NULL,
  next_attempt_ms  BIGINT        NOT NULL,
  created_ms       BIGINT        NOT NULL,
  age_from_ms      BIGINT        NOT NULL,
  delivered_ms     BIGINT,
  last_status      INTEGER,
  last_error       TEXT
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
CREATE INDEX outbox_group ON outbox (group_key, state, seq);
CREATE INDEX outbox_receiver ON outbox (receiver_id, state, seq);
