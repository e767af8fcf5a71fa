-- The leader lease (issue 8): one row per lease name. The replica in `holder` (reachable at
-- `holder_url`: followers forward operators' writes there) leads until
-- `expires_at_ms` unless it renews; `token` (the fencing token) goes up with every new term, and
-- every leader-only write checks it in its transaction. Portable SQL: it must run unchanged on
-- SQLite and PostgreSQL.
CREATE TABLE leader_lease (
  name           VARCHAR(64)  NOT NULL PRIMARY KEY,
  holder         VARCHAR(256) NOT NULL,
  holder_url     VARCHAR(512) NOT NULL,
  token          BIGINT       NOT NULL,
  acquired_at_ms BIGINT       NOT NULL,
  expires_at_ms  BIGINT       NOT NULL
);
