-- Routing and maintenance as exact intervals. Portable SQL: it must run unchanged on SQLite and
-- PostgreSQL. An interval is open (to_ms NULL) while it is the host's current routing state;
-- recording a change closes it at the change's time and opens the next one in the same transaction,
-- together with the host's row in routing (its current state).

CREATE TABLE routing_intervals (
  host_id    VARCHAR(128)  NOT NULL,
  state      VARCHAR(16)   NOT NULL,
  reason     VARCHAR(1024),
  changed_by VARCHAR(256)  NOT NULL,
  from_ms    BIGINT        NOT NULL,
  to_ms      BIGINT
);

CREATE INDEX routing_intervals_host_from ON routing_intervals (host_id, from_ms);

-- Hosts stored before this migration: their current routing state is open since it was set.
INSERT INTO routing_intervals (host_id, state, reason, changed_by, from_ms, to_ms)
  SELECT host_id, state, reason, changed_by, changed_at_ms, NULL FROM routing;
