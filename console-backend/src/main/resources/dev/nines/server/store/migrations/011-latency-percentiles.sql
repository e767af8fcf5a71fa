-- The scraped p50 and p99 request latency beside the p95, at full resolution and in both rollups
-- (rows written before this migration have none: null, counted 0). Portable SQL: it must run
-- unchanged on SQLite and PostgreSQL.
ALTER TABLE endpoint_samples ADD COLUMN latency_p50_ms DOUBLE PRECISION;

ALTER TABLE endpoint_samples ADD COLUMN latency_p99_ms DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p50_ms_avg DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p50_ms_min DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p50_ms_max DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p50_ms_n BIGINT NOT NULL DEFAULT 0;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p99_ms_avg DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p99_ms_min DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p99_ms_max DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1m ADD COLUMN latency_p99_ms_n BIGINT NOT NULL DEFAULT 0;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p50_ms_avg DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p50_ms_min DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p50_ms_max DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p50_ms_n BIGINT NOT NULL DEFAULT 0;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p99_ms_avg DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p99_ms_min DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p99_ms_max DOUBLE PRECISION;

ALTER TABLE endpoint_samples_1h ADD COLUMN latency_p99_ms_n BIGINT NOT NULL DEFAULT 0;

