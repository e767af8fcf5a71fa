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

  /**
   * Up to {@code limit} stored reports received at or after {@code receivedAtMsFrom} (the receiving
   * replica's clock), ordered by received time, then agent id, then seq: for a leader that judges
   * the reports every replica stored ({@code replica.ReportTail}). {@code pool} and {@code
   * labelsJson} are the host's current ones (a report row keeps only its body); no samples.
   */
  default List<ReportRecord> reportsReceivedSince(long receivedAtMsFrom, int limit) {
    return reports(reportKeysReceivedAfter(receivedAtMsFrom, "", 0, limit));
  }

  /**
   * The keys of up to {@code limit} stored reports whose (received time, agent id, seq) comes after
   * the given one, in that order ({@code ("", 0)}: from {@code receivedAtMs} itself, included). Reads
   * no bodies: a tail that re-reads a window for late commits asks for the bodies of new ones only.
   */
  List<ReportKey> reportKeysReceivedAfter(long receivedAtMs, String agentId, long seq, int limit);

  /**
   * The stored reports with these keys, in the order given (a key no longer stored is left out), as
   * {@link #reportsReceivedSince} gives them.
   */
  List<ReportRecord> reports(List<ReportKey> keys);

  /** Stores a new token (its hash only). */
  void addToken(TokenRecord token);

  /** The token with this SHA-256 hash (hex), revoked or not. */
  Optional<TokenRecord> tokenByHash(String sha256Hex);

  /** True when at least one non-revoked token of this role exists. */
  boolean hasActiveToken(String role);

  /** True when the database answers a trivial query. */
  boolean ping();

  /**
   * The leader lease's one atomic step ({@link dev.nines.server.leader.LeaseStore#acquire}):
   * renews it for {@code holder} with {@code token}, or takes it over when it ran out, or leaves it;
   * returns it as it is afterwards.
   */
  dev.nines.server.leader.Lease acquireLease(
      String name, String holder, String holderUrl, long token, long nowMs, long ttlMs);

  /** Gives the lease up when {@code holder} still holds it with {@code token}. */
  boolean releaseLease(String name, String holder, long token, long nowMs);

  /** The lease as stored, or empty when no replica ever took it. */
  Optional<dev.nines.server.leader.Lease> lease(String name);

  /**
   * From now on, every write transaction of this store except {@link #writeReports} (reports are
   * stored by every replica) and token writes first checks, in the same transaction, that lease
   * {@code name}'s fencing token is still {@code token.getAsLong()}; when it is not (or is 0: this
   * replica does not lead), the transaction is refused with {@link FencedException} and writes
   * nothing. For replicas sharing one database; a single-replica store is never fenced.
   */
  void fence(String name, java.util.function.LongSupplier token);

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


  // --- incidents ---

  /**
   * Stores a new open incident and its first timeline line in ONE transaction; returns its id
   * (larger than every id before it). The {@code id} of {@code incident} and the ids of {@code
   * first} are ignored.
   */
  long openIncident(IncidentRecord incident, IncidentEventRecord first);

  /**
   * Appends a line to an open or closed incident's timeline and sets its severity and current
   * state, in ONE transaction.
   *
   * @throws IllegalArgumentException for an unknown incident
   */
  void addIncidentEvent(long incidentId, String severity, String currentState, IncidentEventRecord entry);

  /**
   * Closes an incident at {@code closedAtMs} with its last timeline line, in ONE transaction.
   *
   * @throws IllegalArgumentException for an unknown or already closed incident
   */
  void closeIncident(long incidentId, long closedAtMs, String currentState, IncidentEventRecord entry);

  /** Every open incident, oldest first. */
  List<IncidentRecord> openIncidents();

  /** One incident. */
  Optional<IncidentRecord> incident(long id);

  /** A page of incidents, newest first. */
  List<IncidentRecord> incidents(IncidentQuery query);

  /**
   * The timeline lines of these incidents, in order, by incident id; only lines of this {@code type}
   * when it is not null.
   */
  java.util.Map<Long, List<IncidentEventRecord>> incidentEvents(java.util.Collection<Long> incidentIds, String type);

  /** Stores an event of the event stream; returns its id (larger than every id before it). */
  long appendEvent(String type, long atMs, String dataJson);

  /** Up to {@code limit} stored events with an id above {@code afterId}, oldest first. */
  List<StoredEvent> eventsAfter(long afterId, int limit);

  /** The id of the newest stored event, or 0 when none was ever stored. */
  long lastEventId();

  /**
   * Deletes events stored before {@code olderThanMs} and events beyond the newest {@code keepNewest},
   * but never the newest one (it carries the id the next event continues from); returns how many.
   */
  int pruneEvents(long olderThanMs, int keepNewest);

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

  // --- availability reports ---

  /**
   * The health intervals of several hosts that overlap {@code [fromMs, toMs)}, ordered by host id and
   * then oldest first, unclipped: for each host exactly the rows of {@link #healthIntervals(String,
   * long, long)}, read in a few queries instead of one per host.
   */
  List<HealthInterval> healthIntervalsOf(java.util.Collection<String> hostIds, long fromMs, long toMs);

  /**
   * The routing intervals of several hosts that overlap {@code [fromMs, toMs)}, ordered by host id and
   * then oldest first, unclipped: for each host exactly the rows of {@link #routingIntervals(String,
   * long, long)}.
   */
  List<RoutingInterval> routingIntervalsOf(java.util.Collection<String> hostIds, long fromMs, long toMs);

  /**
   * {@link #requestCounts(String, long, long)} of several hosts at once, by host id (a host without
   * counts maps to an empty list); the same buckets and figures, read in a few queries per source.
   */
  java.util.Map<String, List<dev.nines.server.availability.RequestCount>> requestCountsOf(
      java.util.Collection<String> hostIds, long fromMs, long toMs);

  // --- ingest performance ---

  /**
   * The members of a pool (every host with a pool when {@code pool} is null) with their stored
   * health and routing, without reading their last reports: for pool evaluation after a health
   * change, which must not cost a read of every stored report.
   */
  List<PoolMemberRecord> poolMembers(String pool);

  // --- routing actions ---

  /**
   * As {@link #recordRoutingChange(String, String, String, String, long)}, with the time a
   * maintenance window ends by itself ({@code untilMs}, epoch ms; null: never), stored with the
   * host's current routing in the same transaction.
   */
  void recordRoutingChange(String hostId, String state, String reason, String changedBy, long atMs, Long untilMs);

  /**
   * Drops the writer's cached routing row of a host, so the next report of it carries the stored
   * one: for a routing change another replica made (its {@code routing} event). A change made
   * through this store is seen at once without it. On PostgreSQL a cached row is also re-read once
   * it is 1 s old.
   */
  void forgetRouting(String hostId);

  /** Every host's current routing row with its pool (hosts never routed explicitly have none). */
  List<RoutingRow> routingRows();

  /** The side in rotation stored for a pool with sides, or empty (then the config's activeSide). */
  java.util.Optional<String> activeSide(String pool);

  /** Stores the side in rotation of a pool (after a failover). */
  void recordActiveSide(String pool, String side, String changedBy, long atMs);

  /** The automatic policy's memory of every pool, as stored JSON, by pool. */
  java.util.Map<String, String> policyMemories();

  /** Stores the automatic policy's memory of a pool (JSON). */
  void savePolicyMemory(String pool, String json, long atMs);

  // --- pool overrides ---

  /** The pool sections admins stored over the API, by pool (text as sent). */
  java.util.Map<String, String> poolOverrides();

  /** Stores (or replaces) an admin's section for a pool. */
  void savePoolOverride(String pool, String body, long atMs, String by);

  /** Drops an admin's section for a pool; false when there was none. */
  boolean deletePoolOverride(String pool);

  // --- maintenance windows ---

  /** Every stored maintenance window, cancelled ones included, oldest first. */
  List<MaintenanceWindowRecord> maintenanceWindows();

  /** Stores a new maintenance window (its id must be new). */
  void addMaintenanceWindow(MaintenanceWindowRecord window);

  /**
   * Marks a window cancelled at {@code atMs} by {@code by}; false when there is no such window or it
   * was cancelled already (then nothing changes).
   */
  boolean cancelMaintenanceWindow(String id, long atMs, String by);

  // --- alerts ---

  /** Every stored alert (pending, firing and resolved). */
  List<AlertRecord> alerts();

  /** Writes (inserts or replaces, by fingerprint) alerts and deletes others, in one transaction. */
  void saveAlerts(List<AlertRecord> upserts, java.util.Collection<String> deleteFingerprints);

  /** Deletes resolved alerts that ended before {@code endedBeforeMs}; returns how many. */
  int pruneResolvedAlerts(long endedBeforeMs);

  /** Every stored alert group. */
  List<AlertGroupRecord> alertGroups();

  /** Writes (inserts or replaces, by group key) alert groups and deletes others, in one transaction. */
  void saveAlertGroups(List<AlertGroupRecord> upserts, java.util.Collection<String> deleteGroupKeys);

  /** Every stored silence, active or not. */
  List<SilenceRecord> silences();

  /** Inserts or replaces (by id) a silence. */
  void saveSilence(SilenceRecord silence);

  /** Deletes silences that ended before {@code endedBeforeMs}; returns how many. */
  int pruneSilences(long endedBeforeMs);

  // --- alert delivery ---

  /** Every stored alert receiver, ordered by id. */
  List<ReceiverRecord> receivers();

  /** Stores a new receiver; false (nothing stored) when one with this id exists. */
  boolean insertReceiver(ReceiverRecord receiver);

  /** Replaces a receiver's spec (keeping its creation time); false when there is none with this id. */
  boolean updateReceiver(String id, String specJson, long atMs);

  /** Drops a receiver (its queued messages stay); false when there was none. */
  boolean deleteReceiver(String id);

  /**
   * Stores pending messages in one transaction, each with the next seq; a message whose eventId is
   * already stored is skipped. Returns how many were stored.
   */
  int enqueueOutbox(List<OutboxRow> rows);

  /**
   * Pending messages due at {@code nowMs} that are the oldest pending message of their group (so a
   * group is delivered in seq order), oldest first, at most {@code limit}; messages whose seq is in
   * {@code skipSeqs} (in flight) are left out, and so are the groups of those.
   */
  List<OutboxRow> outboxDue(long nowMs, java.util.Set<Long> skipSeqs, int limit);

  /** When the earliest pending message is due, or empty when none is pending. */
  java.util.OptionalLong outboxNextDueMs();

  /**
   * Records the outcome of one attempt on a pending message: its new state, attempts, next attempt
   * time, delivery time, HTTP status and error. False when the message is not pending any more.
   */
  boolean recordOutboxAttempt(
      long seq, String state, int attempts, long nextAttemptMs, Long deliveredMs, Integer lastStatus, String lastError);

  /** One message by seq. */
  Optional<OutboxRow> outboxRow(long seq);

  /**
   * Messages newest first (by seq), filtered by state and receiver (null: any), starting below
   * {@code beforeSeq} (null: from the newest), at most {@code limit} (1..1001).
   */
  List<OutboxRow> outbox(String state, String receiverId, Long beforeSeq, int limit);

  /**
   * Puts a dead message back to pending, due at {@code nowMs}, attempts reset, its max age counted
   * from now. False when the message is unknown or not dead.
   */
  boolean redriveOutbox(long seq, long nowMs);

  /** Messages by state (every state present, zero included). */
  java.util.Map<String, Long> outboxCounts();

  /** Dead messages by receiver id (receivers without any left out). */
  java.util.Map<String, Integer> outboxDeadByReceiver();

  /** Deletes delivered messages delivered before {@code beforeMs}; returns how many. */
  int pruneOutbox(long beforeMs);
}
