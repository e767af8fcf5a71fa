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

  // --- auth and audit ---

  /** One token by id, revoked or not; empty when unknown. */
  Optional<TokenRecord> token(String id);

  /**
   * Tokens newest first (by creation time, then id), revoked ones included.
   *
   * @param before start after this key (the previous page's last token), or null
   * @param limit the most tokens, 1..1001
   */
  List<TokenRecord> tokens(PageKey before, int limit);

  /**
   * Revokes a token at {@code atMs} in one statement. The last valid admin token is never revoked
   * (checked in the same statement, so two concurrent revocations cannot both pass on SQLite, whose
   * writes are serial).
   */
  TokenRevocation revokeToken(String id, long atMs);

  /** Appends one line to the audit log (durable when this returns). */
  void addAudit(AuditRecord entry);

  /** Audit lines matching the query, newest first (by time, then id). */
  List<AuditRecord> audit(AuditQuery query);
}
