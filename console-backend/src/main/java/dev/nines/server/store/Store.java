package dev.nines.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Everything the server keeps. The seam between the server and its database: SQLite today
 * ({@link SqliteStore}), PostgreSQL for high availability later. Implementations use portable SQL
 * and are safe for concurrent use, except that {@link #writeReports} is called from one writer
 * thread only ({@link GroupCommitWriter}).
 */
public interface Store extends AutoCloseable {

  /**
   * Stores a batch of reports in ONE transaction and returns one result per report, in order. A
   * report whose (agentId, seq) is already stored (before or earlier in the same batch) is a
   * duplicate and changes nothing. For each new report the host row is upserted; the host's latest
   * figures move only forward in seq. Returns only after COMMIT.
   *
   * @throws StoreException when the transaction failed; then nothing of the batch is stored
   */
  List<WriteResult> writeReports(List<ReportRecord> batch);

  /** The latest state of every host, ordered by id. */
  List<HostRecord> hosts();

  /** One host, or empty when no report of it was ever stored. */
  Optional<HostRecord> host(String id);

  /**
   * Records a change of a host's health in ONE transaction: the host's open interval (if any) is
   * closed at {@code change.fromMs()}, {@code change} is opened (its {@code toMs} must be null) and
   * the host's current health becomes it.
   *
   * @throws IllegalArgumentException when {@code change} is not open or starts before the open
   *     interval it would close
   */
  void recordHealthChange(HealthInterval change);

  /** The current health of every host that has one, by host id. */
  java.util.Map<String, HealthRecord> currentHealth();

  /** The current health of one host, or empty when it was never judged. */
  Optional<HealthRecord> currentHealth(String hostId);

  /**
   * The intervals of a host that overlap {@code [fromMs, toMs)}, oldest first, unclipped (the
   * open one has a null {@code toMs}).
   */
  List<HealthInterval> healthIntervals(String hostId, long fromMs, long toMs);

  /** Number of stored reports. */
  long reportCount();

  /** Stores a new token (its hash only). */
  void addToken(TokenRecord token);

  /** The token with this SHA-256 hash (hex), revoked or not. */
  Optional<TokenRecord> tokenByHash(String sha256Hex);

  /** True when at least one non-revoked token of this role exists. */
  boolean hasActiveToken(String role);

  /** True when the database answers a trivial query. */
  boolean ping();

  /** Closes every connection. Idempotent. */
  @Override
  void close();

  // --- samples ---

  /**
   * Recomputes the rollup buckets whose raw samples changed (every stored report marks the
   * 1-minute bucket of its {@code collectedAtMs}): first up to {@code maxBuckets} complete
   * 1-minute buckets from raw samples, marking their hours, then up to {@code maxBuckets} complete
   * 1-hour buckets from the 1-minute rollups; each bucket in its own short transaction (delete and
   * insert), so running it twice changes nothing and a late report corrects its bucket on the next
   * pass. A changed 1-minute bucket that starts before {@code rawFloorMs} (raw samples no longer
   * held) or a changed hour before {@code minuteFloorMs} is left as it is. Finally records, per
   * resolution, the time before which every complete bucket is rolled up ({@link #rolledThrough}).
   */
  RollupRun rollUp(long nowMs, long rawFloorMs, long minuteFloorMs, int maxBuckets);

  /**
   * The time before which every complete bucket of this rollup ({@code MINUTE} or {@code HOUR}) is
   * up to date, as of the last {@link #rollUp}; empty before the first.
   */
  java.util.OptionalLong rolledThrough(Resolution resolution);

  /**
   * Deletes one chunk of the samples (raw) or rollup rows of this resolution older than {@code
   * beforeMs}: at most {@code sliceMs} of time from the oldest row, in one short transaction.
   * Returns the rows deleted; 0 when nothing older is left. Call it until it returns 0.
   */
  long prune(Resolution resolution, long beforeMs, long sliceMs);

  /**
   * Deletes one chunk of report bodies received before {@code beforeMs} (at most {@code sliceMs}
   * of receive time from the oldest). In the same transaction each agent's pruned-through seq is
   * raised to the highest seq deleted, and from then on a report with a seq at or below it is a
   * duplicate in {@link #writeReports} (so a late replay of a pruned report is not stored twice).
   * Returns the rows deleted; 0 when nothing older is left.
   */
  long pruneReports(long beforeMs, long sliceMs);

  /**
   * The samples of one host over {@code [fromMs, toMs)}, aggregated into steps of {@code stepMs}
   * that start at {@code fromMs}. The range is read from {@code primary} up to where that rollup is
   * complete ({@link #rolledThrough}), then from the finer rollup, then from raw samples, and the
   * parts are merged step by step (sums, counts, min, max). {@code metrics} names the metrics
   * wanted ({@link SampleMetrics#NAMES}); null or empty for all.
   */
  SeriesResult series(
      String hostId, Resolution primary, long fromMs, long toMs, long stepMs, java.util.Set<String> metrics);

  /**
   * Good and total requests of one host over {@code [fromMs, toMs)}, summed over its endpoints,
   * oldest first: from the servers' own counters ({@code requests}, {@code errors}; good =
   * requests - errors). Raw samples serve the minutes they still hold, in 1-minute buckets; older
   * minutes come from the 1-minute rollups and, before those begin, from the 1-hour rollups in
   * 1-hour buckets. Buckets are aligned to UTC minutes or hours; the first starts at {@code fromMs}
   * when it is cut. Buckets without counts are absent.
   */
  List<dev.nines.server.availability.RequestCount> requestCounts(String hostId, long fromMs, long toMs);
}
