-- Routing actions (drain, maintenance, failover). Portable SQL: it must run unchanged on SQLite and
-- PostgreSQL.

-- When a maintenance window ends by itself (epoch ms), or NULL: until an operator ends it.
ALTER TABLE routing ADD COLUMN until_ms BIGINT;

-- The side of a pool with sides that is in rotation; absent: the config's activeSide.
CREATE TABLE pool_sides (
  pool          VARCHAR(256) NOT NULL PRIMARY KEY,
  active_side   VARCHAR(32)  NOT NULL,
  changed_at_ms BIGINT       NOT NULL,
  changed_by    VARCHAR(256) NOT NULL
);

-- What the automatic policy remembers per pool (last automatic drain and failover, refusals already
-- announced, last N+1 verdict), as JSON, so that a restart keeps its cooldowns.
CREATE TABLE policy_memory (
  pool          VARCHAR(256) NOT NULL PRIMARY KEY,
  memory        TEXT         NOT NULL,
  updated_at_ms BIGINT       NOT NULL
);

-- Pools whose settings an admin replaced over the API (PUT /api/v1/pools/{id}/config): the pool's
-- section as sent (YAML or JSON text), applied on top of the config file at every start.
CREATE TABLE pool_overrides (
  pool          VARCHAR(256) NOT NULL PRIMARY KEY,
  body          TEXT         NOT NULL,
  updated_at_ms BIGINT       NOT NULL,
  updated_by    VARCHAR(256) NOT NULL
);
