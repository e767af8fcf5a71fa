-- Samples at full resolution, their 1-minute and 1-hour rollups, and what the rollup and
-- retention jobs remember. Portable SQL: it must run unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT). A sample's ts_ms is its report's collectedAtMs.
-- Nullable figures mean "not available" and are left out of every aggregate.
-- Rollup rows: for a gauge <m>: <m>_avg, <m>_min, <m>_max over the bucket's non-null samples and
-- <m>_n, how many there were; for a count <m>: <m>_sum and <m>_n. samples: rows in the bucket.
CREATE TABLE host_samples (
  host_id VARCHAR(128) NOT NULL,
  ts_ms BIGINT NOT NULL,
  cpu_util_ratio DOUBLE PRECISION,
  memory_used_ratio DOUBLE PRECISION,
  memory_used_bytes DOUBLE PRECISION,
  load1 DOUBLE PRECISION,
  net_rx_bytes_per_second DOUBLE PRECISION,
  net_tx_bytes_per_second DOUBLE PRECISION
);

CREATE INDEX host_samples_host_ts ON host_samples (host_id, ts_ms);

CREATE INDEX host_samples_ts ON host_samples (ts_ms);

CREATE TABLE gpu_samples (
  host_id VARCHAR(128) NOT NULL,
  gpu_index INTEGER NOT NULL,
  ts_ms BIGINT NOT NULL,
  util_ratio DOUBLE PRECISION,
  memory_used_ratio DOUBLE PRECISION,
  temperature_celsius DOUBLE PRECISION,
  power_watts DOUBLE PRECISION,
  ecc_uncorrected DOUBLE PRECISION
);

CREATE INDEX gpu_samples_host_ts ON gpu_samples (host_id, ts_ms);

CREATE INDEX gpu_samples_ts ON gpu_samples (ts_ms);

CREATE TABLE endpoint_samples (
  host_id VARCHAR(128) NOT NULL,
  endpoint VARCHAR(512) NOT NULL,
  ts_ms BIGINT NOT NULL,
  health_ok DOUBLE PRECISION,
  health_latency_ms DOUBLE PRECISION,
  generation_ok DOUBLE PRECISION,
  generation_latency_ms DOUBLE PRECISION,
  latency_p95_ms DOUBLE PRECISION,
  requests BIGINT,
  errors BIGINT
);

CREATE INDEX endpoint_samples_host_ts ON endpoint_samples (host_id, ts_ms);

CREATE INDEX endpoint_samples_ts ON endpoint_samples (ts_ms);

CREATE TABLE host_samples_1m (
  host_id VARCHAR(128) NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  cpu_util_ratio_avg DOUBLE PRECISION,
  cpu_util_ratio_min DOUBLE PRECISION,
  cpu_util_ratio_max DOUBLE PRECISION,
  cpu_util_ratio_n BIGINT NOT NULL,
  memory_used_ratio_avg DOUBLE PRECISION,
  memory_used_ratio_min DOUBLE PRECISION,
  memory_used_ratio_max DOUBLE PRECISION,
  memory_used_ratio_n BIGINT NOT NULL,
  memory_used_bytes_avg DOUBLE PRECISION,
  memory_used_bytes_min DOUBLE PRECISION,
  memory_used_bytes_max DOUBLE PRECISION,
  memory_used_bytes_n BIGINT NOT NULL,
  load1_avg DOUBLE PRECISION,
  load1_min DOUBLE PRECISION,
  load1_max DOUBLE PRECISION,
  load1_n BIGINT NOT NULL,
  net_rx_bytes_per_second_avg DOUBLE PRECISION,
  net_rx_bytes_per_second_min DOUBLE PRECISION,
  net_rx_bytes_per_second_max DOUBLE PRECISION,
  net_rx_bytes_per_second_n BIGINT NOT NULL,
  net_tx_bytes_per_second_avg DOUBLE PRECISION,
  net_tx_bytes_per_second_min DOUBLE PRECISION,
  net_tx_bytes_per_second_max DOUBLE PRECISION,
  net_tx_bytes_per_second_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, bucket_ms)
);

CREATE INDEX host_samples_1m_bucket ON host_samples_1m (bucket_ms);

CREATE TABLE host_samples_1h (
  host_id VARCHAR(128) NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  cpu_util_ratio_avg DOUBLE PRECISION,
  cpu_util_ratio_min DOUBLE PRECISION,
  cpu_util_ratio_max DOUBLE PRECISION,
  cpu_util_ratio_n BIGINT NOT NULL,
  memory_used_ratio_avg DOUBLE PRECISION,
  memory_used_ratio_min DOUBLE PRECISION,
  memory_used_ratio_max DOUBLE PRECISION,
  memory_used_ratio_n BIGINT NOT NULL,
  memory_used_bytes_avg DOUBLE PRECISION,
  memory_used_bytes_min DOUBLE PRECISION,
  memory_used_bytes_max DOUBLE PRECISION,
  memory_used_bytes_n BIGINT NOT NULL,
  load1_avg DOUBLE PRECISION,
  load1_min DOUBLE PRECISION,
  load1_max DOUBLE PRECISION,
  load1_n BIGINT NOT NULL,
  net_rx_bytes_per_second_avg DOUBLE PRECISION,
  net_rx_bytes_per_second_min DOUBLE PRECISION,
  net_rx_bytes_per_second_max DOUBLE PRECISION,
  net_rx_bytes_per_second_n BIGINT NOT NULL,
  net_tx_bytes_per_second_avg DOUBLE PRECISION,
  net_tx_bytes_per_second_min DOUBLE PRECISION,
  net_tx_bytes_per_second_max DOUBLE PRECISION,
  net_tx_bytes_per_second_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, bucket_ms)
);

CREATE INDEX host_samples_1h_bucket ON host_samples_1h (bucket_ms);

CREATE TABLE gpu_samples_1m (
  host_id VARCHAR(128) NOT NULL,
  gpu_index INTEGER NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  util_ratio_avg DOUBLE PRECISION,
  util_ratio_min DOUBLE PRECISION,
  util_ratio_max DOUBLE PRECISION,
  util_ratio_n BIGINT NOT NULL,
  memory_used_ratio_avg DOUBLE PRECISION,
  memory_used_ratio_min DOUBLE PRECISION,
  memory_used_ratio_max DOUBLE PRECISION,
  memory_used_ratio_n BIGINT NOT NULL,
  temperature_celsius_avg DOUBLE PRECISION,
  temperature_celsius_min DOUBLE PRECISION,
  temperature_celsius_max DOUBLE PRECISION,
  temperature_celsius_n BIGINT NOT NULL,
  power_watts_avg DOUBLE PRECISION,
  power_watts_min DOUBLE PRECISION,
  power_watts_max DOUBLE PRECISION,
  power_watts_n BIGINT NOT NULL,
  ecc_uncorrected_avg DOUBLE PRECISION,
  ecc_uncorrected_min DOUBLE PRECISION,
  ecc_uncorrected_max DOUBLE PRECISION,
  ecc_uncorrected_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, gpu_index, bucket_ms)
);

CREATE INDEX gpu_samples_1m_bucket ON gpu_samples_1m (bucket_ms);

CREATE TABLE gpu_samples_1h (
  host_id VARCHAR(128) NOT NULL,
  gpu_index INTEGER NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  util_ratio_avg DOUBLE PRECISION,
  util_ratio_min DOUBLE PRECISION,
  util_ratio_max DOUBLE PRECISION,
  util_ratio_n BIGINT NOT NULL,
  memory_used_ratio_avg DOUBLE PRECISION,
  memory_used_ratio_min DOUBLE PRECISION,
  memory_used_ratio_max DOUBLE PRECISION,
  memory_used_ratio_n BIGINT NOT NULL,
  temperature_celsius_avg DOUBLE PRECISION,
  temperature_celsius_min DOUBLE PRECISION,
  temperature_celsius_max DOUBLE PRECISION,
  temperature_celsius_n BIGINT NOT NULL,
  power_watts_avg DOUBLE PRECISION,
  power_watts_min DOUBLE PRECISION,
  power_watts_max DOUBLE PRECISION,
  power_watts_n BIGINT NOT NULL,
  ecc_uncorrected_avg DOUBLE PRECISION,
  ecc_uncorrected_min DOUBLE PRECISION,
  ecc_uncorrected_max DOUBLE PRECISION,
  ecc_uncorrected_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, gpu_index, bucket_ms)
);

CREATE INDEX gpu_samples_1h_bucket ON gpu_samples_1h (bucket_ms);

CREATE TABLE endpoint_samples_1m (
  host_id VARCHAR(128) NOT NULL,
  endpoint VARCHAR(512) NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  health_ok_avg DOUBLE PRECISION,
  health_ok_min DOUBLE PRECISION,
  health_ok_max DOUBLE PRECISION,
  health_ok_n BIGINT NOT NULL,
  health_latency_ms_avg DOUBLE PRECISION,
  health_latency_ms_min DOUBLE PRECISION,
  health_latency_ms_max DOUBLE PRECISION,
  health_latency_ms_n BIGINT NOT NULL,
  generation_ok_avg DOUBLE PRECISION,
  generation_ok_min DOUBLE PRECISION,
  generation_ok_max DOUBLE PRECISION,
  generation_ok_n BIGINT NOT NULL,
  generation_latency_ms_avg DOUBLE PRECISION,
  generation_latency_ms_min DOUBLE PRECISION,
  generation_latency_ms_max DOUBLE PRECISION,
  generation_latency_ms_n BIGINT NOT NULL,
  latency_p95_ms_avg DOUBLE PRECISION,
  latency_p95_ms_min DOUBLE PRECISION,
  latency_p95_ms_max DOUBLE PRECISION,
  latency_p95_ms_n BIGINT NOT NULL,
  requests_sum BIGINT,
  requests_n BIGINT NOT NULL,
  errors_sum BIGINT,
  errors_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, endpoint, bucket_ms)
);

CREATE INDEX endpoint_samples_1m_bucket ON endpoint_samples_1m (bucket_ms);

CREATE TABLE endpoint_samples_1h (
  host_id VARCHAR(128) NOT NULL,
  endpoint VARCHAR(512) NOT NULL,
  bucket_ms BIGINT NOT NULL,
  samples BIGINT NOT NULL,
  health_ok_avg DOUBLE PRECISION,
  health_ok_min DOUBLE PRECISION,
  health_ok_max DOUBLE PRECISION,
  health_ok_n BIGINT NOT NULL,
  health_latency_ms_avg DOUBLE PRECISION,
  health_latency_ms_min DOUBLE PRECISION,
  health_latency_ms_max DOUBLE PRECISION,
  health_latency_ms_n BIGINT NOT NULL,
  generation_ok_avg DOUBLE PRECISION,
  generation_ok_min DOUBLE PRECISION,
  generation_ok_max DOUBLE PRECISION,
  generation_ok_n BIGINT NOT NULL,
  generation_latency_ms_avg DOUBLE PRECISION,
  generation_latency_ms_min DOUBLE PRECISION,
  generation_latency_ms_max DOUBLE PRECISION,
  generation_latency_ms_n BIGINT NOT NULL,
  latency_p95_ms_avg DOUBLE PRECISION,
  latency_p95_ms_min DOUBLE PRECISION,
  latency_p95_ms_max DOUBLE PRECISION,
  latency_p95_ms_n BIGINT NOT NULL,
  requests_sum BIGINT,
  requests_n BIGINT NOT NULL,
  errors_sum BIGINT,
  errors_n BIGINT NOT NULL,
  PRIMARY KEY (host_id, endpoint, bucket_ms)
);

CREATE INDEX endpoint_samples_1h_bucket ON endpoint_samples_1h (bucket_ms);

-- Buckets whose raw samples changed since they were last rolled up ('1m': written with every
-- batch of reports; '1h': marked when one of its minutes was recomputed).
CREATE TABLE rollup_dirty (
  resolution VARCHAR(8) NOT NULL,
  bucket_ms  BIGINT     NOT NULL,
  PRIMARY KEY (resolution, bucket_ms)
);

-- Per resolution: every complete bucket that starts before through_ms is rolled up.
CREATE TABLE rollup_state (
  resolution VARCHAR(8) NOT NULL PRIMARY KEY,
  through_ms BIGINT     NOT NULL
);

-- Per agent: the highest seq whose report body was pruned by retention. A report with a seq at
-- or below it is a duplicate even though its row is gone.
CREATE TABLE report_watermarks (
  agent_id           VARCHAR(128) NOT NULL PRIMARY KEY,
  pruned_through_seq BIGINT       NOT NULL
);

CREATE INDEX reports_received ON reports (received_at_ms);
