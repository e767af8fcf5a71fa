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

  // --- routing intervals and pools ---

  /**
   * Records a change of a host's routing state in ONE transaction: the host's open routing interval
   * (if any) is closed at {@code atMs}, a new one is opened, and the host's current routing (the
   * {@code routing} row that report replies carry) becomes it. A host's first stored report opens
   * ACTIVE at its first sight, changed by {@code system}.
   *
   * @param state ACTIVE, DRAINING, DRAINED or MAINTENANCE
   * @param reason why, or null
   * @param changedBy who or what (an operator's token name, {@code policy}, ...)
   * @throws IllegalArgumentException for an unknown state, a missing changedBy, or {@code atMs}
   *     before the start of the open interval
   */
  void recordRoutingChange(String hostId, String state, String reason, String changedBy, long atMs);

  /**
   * The routing intervals of a host that overlap {@code [fromMs, toMs)}, oldest first, unclipped
   * (the open one has a null {@code toMs}).
   */
  List<RoutingInterval> routingIntervals(String hostId, long fromMs, long toMs);

  /**
   * The stored reports of a host received in {@code [fromMs, toMs)}, in seq order (raw samples:
   * only as far back as retention keeps them).
   */
  List<ReceivedReport> reportsReceived(String hostId, long fromMs, long toMs);
}
