-- The audit log: who did what to what, and when. Portable SQL (SQLite and PostgreSQL).
-- id is made by the application (no autoincrement syntax differs between the two); pages are read
-- newest first by (at_ms, id). actor is 'token:<token id>', 'cli:<user>' or 'system'; actor_name is
-- the token's name (or the user) as it was at the time. detail is a JSON object (TEXT).

CREATE TABLE audit (
  id         VARCHAR(64)   NOT NULL PRIMARY KEY,
  at_ms      BIGINT        NOT NULL,
  actor      VARCHAR(300)  NOT NULL,
  actor_name VARCHAR(256)  NOT NULL,
  action     VARCHAR(64)   NOT NULL,
  target     VARCHAR(512)  NOT NULL,
  detail     TEXT          NOT NULL
);

CREATE INDEX audit_at ON audit (at_ms, id);

CREATE INDEX tokens_created ON tokens (created_at_ms, id);
