package dev.nines.server.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.alerts.Alert.State;
import dev.nines.server.config.AlertSettings;
import dev.nines.server.events.EventHub;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.health.RuleIds;
import dev.nines.server.notify.Matcher;
import dev.nines.server.notify.Notification;
import dev.nines.server.notify.NotificationSink;
import dev.nines.server.notify.Receivers;
import dev.nines.server.store.AlertGroupRecord;
import dev.nines.server.store.AlertRecord;
import dev.nines.server.store.SilenceRecord;
import dev.nines.server.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert engine: every {@link #runOnce} evaluates the rules on the current inputs, moves the
 * alerts through their lifecycle, marks the silenced and maintained ones, stores what changed and
 * dispatches messages to the receivers' groups through the {@link NotificationSink}. Alerts, groups
 * (what was last sent) and silences are stored, and read back at construction, so a restart neither
 * loses a firing alert nor sends it again.
 *
 * <p>Event-like alerts come in through {@link #hardFault} (from the health watch) and {@link
 * #policyEvent} (from the routing policy); they fire at the next run and hold for their rule's
 * {@code hold}. Thread-safe: every method takes the engine's lock, except the two event entries,
 * which only queue.
 */
public final class AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
  /** How long resolved alerts and expired silences are kept. */
  public static final Duration KEEP_RESOLVED = Duration.ofDays(7);
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final Supplier<AlertSettings> settings;
  private final AlertSource source;
  private final Receivers receivers;
  private final NotificationSink sink;
  private final MaintenanceCheck maintenance;
  private final EventHub events;
  private final MeterRegistry meters;
  private final ConcurrentLinkedQueue<AlertEvent> pendingEvents = new ConcurrentLinkedQueue<>();
  private final Map<String, String> poolOfHost = new ConcurrentHashMap<>();
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();

  private Map<String, Alert> alerts = new TreeMap<>();
  private Map<String, Dispatcher.Group> groups = new TreeMap<>();
  private final Map<String, Silence> silences = new TreeMap<>();
  private Instant lastPrune = Instant.EPOCH;

  /**
   * @param store where alerts, groups and silences are kept
   * @param settings the current alert settings (read at every run: config changes apply at once)
   * @param source the hosts and pools
   * @param receivers the receivers and their dead letters
   * @param sink the outbox
   * @param maintenance the maintenance calendar ({@link MaintenanceCheck#NONE} for none)
   * @param events the event stream for {@code alert} events, or null
   * @param meters where the metrics go, or null
   */
  public AlertService(
      Store store, Supplier<AlertSettings> settings, AlertSource source, Receivers receivers, NotificationSink sink,
      MaintenanceCheck maintenance, EventHub events, MeterRegistry meters) {
    this.store = store;
    this.settings = settings;
    this.source = source;
    this.receivers = receivers;
    this.sink = sink;
    this.maintenance = maintenance == null ? MaintenanceCheck.NONE : maintenance;
    this.events = events;
    this.meters = meters;
    for (AlertRecord r : store.alerts()) {
      try {
        Alert a = read(r);
        alerts.put(a.fingerprint(), a);
        String host = a.labels().get("host");
        if (host != null && a.labels().get("pool") != null) {
          poolOfHost.put(host, a.labels().get("pool"));
        }
      } catch (RuntimeException e) {
        LOG.warn("stored alert {} cannot be read; dropped: {}", r.fingerprint(), e.getMessage());
      }
    }
    for (AlertGroupRecord g : store.alertGroups()) {
      try {
        groups.put(g.groupKey(), read(g));
      } catch (RuntimeException e) {
        LOG.warn("stored alert group {} cannot be read; dropped: {}", g.groupKey(), e.getMessage());
      }
    }
    for (SilenceRecord s : store.silences()) {
      try {
        silences.put(s.id(), read(s));
      } catch (RuntimeException e) {
        LOG.warn("stored silence {} cannot be read; dropped: {}", s.id(), e.getMessage());
      }
    }
    if (meters != null) {
      for (State st : State.values()) {
        for (String sev : dev.nines.server.config.AlertRuleSettings.SEVERITIES) {
          String key = st.wire() + "/" + sev;
          gauges.put(key, 0.0);
          Gauge.builder("nines_alerts", gauges, m -> m.getOrDefault(key, 0.0))
              .description("Alerts known to the engine by state (pending, firing, resolved in the last 7 days) and severity")
              .tag("state", st.wire())
              .tag("severity", sev)
              .register(meters);
        }
      }
    }
    updateGauges();
  }

  // --- events in ---

  /**
   * For {@code HealthWatch#addHardFaultListener}: a fatal XID or a new uncorrectable ECC error. It
   * raises {@code gpu-fault} (labelled with the GPU) at the next run. Only queues.
   */
  public void hardFault(String hostId, List<RuleFinding> findings, Instant at) {
    for (RuleFinding f : findings) {
      Map<String, String> labels = new TreeMap<>();
      labels.put("host", hostId);
      labels.put("pool", poolOfHost.get(hostId));
      Double gpu = f.figures().get("gpuIndex");
      if (gpu != null) {
        labels.put("gpu", Long.toString(gpu.longValue()));
      }
      String what = f.rule().equals(RuleIds.GPU_XID) ? "a fatal XID error" : "new uncorrectable ECC errors";
      pendingEvents.add(
          new AlertEvent(
              AlertNames.GPU_FAULT, labels,
              "GPU " + (gpu == null ? "?" : gpu.longValue()) + " of host " + hostId + " reported " + what,
              AlertRules.describe(f), at));
    }
  }

  /**
   * For the routing policy's events: a decision to drain, quarantine or fail over raises {@code
   * auto-action}; a refusal raises {@code auto-action-refused}. Other kinds are ignored. Only queues.
   *
   * @param kind {@code policy.decision}, {@code policy.refused} or another
   * @param pool the pool
   * @param hostId the host, or null for pool-wide actions
   * @param action drain, quarantine, failover, ...
   * @param reason the decision's sentence, or the refusal's code
   * @param figures the figures behind it ({@code message} holds a refusal's sentence)
   * @param at when
   */
  public void policyEvent(
      String kind, String pool, String hostId, String action, String reason, Map<String, Object> figures, Instant at) {
    boolean decision = "policy.decision".equals(kind);
    boolean refused = "policy.refused".equals(kind);
    if (decision && !Set.of("drain", "quarantine", "failover").contains(action) || !decision && !refused) {
      return;
    }
    Map<String, String> labels = new TreeMap<>();
    labels.put("pool", pool);
    labels.put("host", hostId);
    labels.put("action", action);
    String subject = hostId == null ? "pool " + pool : "host " + hostId;
    StringBuilder d = new StringBuilder(reason);
    if (figures != null && !figures.isEmpty()) {
      d.append(" ").append(figures);
    }
    pendingEvents.add(
        decision
            ? new AlertEvent(AlertNames.AUTO_ACTION, labels, "The policy took action: " + action + " of " + subject,
                d.toString(), at)
            : new AlertEvent(AlertNames.AUTO_ACTION_REFUSED, labels,
                "The guard refused an automatic " + action + " of " + subject + " (" + reason + ")", d.toString(), at));
  }

  // --- the run ---

  /** Evaluates, stores and dispatches as of {@code now}. Called every second by the routing tick. */
  public synchronized void runOnce(Instant now) {
    AlertInputs read = source.read(now);
    AlertInputs in = new AlertInputs(read.hosts(), read.pools(), receivers.deadLetters());
    for (AlertInputs.HostInput h : in.hosts()) {
      if (h.pool() != null) {
        poolOfHost.put(h.hostId(), h.pool());
      }
    }
    List<AlertEvent> evs = new ArrayList<>();
    for (AlertEvent e; (e = pendingEvents.poll()) != null; ) {
      String host = e.extraLabels().get("host");
      if (host != null && !e.extraLabels().containsKey("pool") && poolOfHost.containsKey(host)) {
        // the event came before the host's pool was known here
        Map<String, String> labels = new TreeMap<>(e.extraLabels());
        labels.put("pool", poolOfHost.get(host));
        e = new AlertEvent(e.rule(), labels, e.summary(), e.description(), e.at());
      }
      evs.add(e);
    }
    AlertSettings s = settings.get();
    List<Candidate> candidates = AlertRules.evaluate(in, evs, s, now);
    Lifecycle.Result r = Lifecycle.evaluate(candidates, alerts, now);
    Map<String, Alert> next = new TreeMap<>(r.alerts());
    java.util.Set<String> dirty = new java.util.HashSet<>(r.dirty());
    for (Alert a : List.copyOf(next.values())) {
      if (a.state() == State.RESOLVED) {
        continue;
      }
      List<String> by = suppressedBy(a, now);
      if (!by.equals(a.suppressedBy())) {
        next.put(a.fingerprint(), a.withSuppressedBy(by));
        dirty.add(a.fingerprint());
      }
    }
    List<AlertRecord> rows = new ArrayList<>();
    for (String fp : dirty) {
      rows.add(write(next.get(fp), now));
    }
    store.saveAlerts(rows, r.removed());
    Dispatcher.Plan plan = Dispatcher.plan(receivers.all(), next.values(), groups, now);
    if (!plan.messages().isEmpty()) {
      sink.enqueue(plan.messages());
    }
    List<AlertGroupRecord> groupRows = new ArrayList<>();
    for (String k : plan.dirty()) {
      groupRows.add(write(plan.groups().get(k), now));
    }
    store.saveAlertGroups(groupRows, plan.removed());
    alerts = next;
    groups = new TreeMap<>(plan.groups());
    for (Notification n : plan.messages()) {
      if (meters != null) {
        Counter.builder("nines_alert_notifications")
            .description("Alert notifications handed to the outbox, by receiver")
            .tag("receiver", n.receiverId())
            .register(meters)
            .increment();
      }
    }
    for (Lifecycle.Transition t : r.transitions()) {
      publish(t, now);
    }
    if (!now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
      prune(now);
      lastPrune = now;
    }
    updateGauges();
  }

  private List<String> suppressedBy(Alert a, Instant now) {
    List<String> by = new ArrayList<>();
    for (Silence s : silences.values()) {
      if (s.silences(a.labels(), now)) {
        by.add(s.id());
      }
    }
    if (maintenance.covers(a.labels().get("pool"), a.labels().get("host"), now)) {
      by.add("maintenance");
    }
    return by;
  }

  private void prune(Instant now) {
    long before = now.minus(KEEP_RESOLVED).toEpochMilli();
    store.pruneResolvedAlerts(before);
    store.pruneSilences(before);
    alerts.values().removeIf(a -> a.state() == State.RESOLVED && a.endsAt().toEpochMilli() < before);
    silences.values().removeIf(s -> s.endsAt().toEpochMilli() < before);
  }

  private void publish(Lifecycle.Transition t, Instant now) {
    if (events == null) {
      return;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("fingerprint", t.alert().fingerprint());
    payload.put("alertname", t.alert().alertname());
    payload.put("from", t.from() == null ? "inactive" : t.from().wire());
    payload.put("to", t.to() == null ? "inactive" : t.to().wire());
    payload.put("labels", t.alert().labels());
    payload.put("annotations", t.alert().annotations());
    payload.put("at", now.toEpochMilli());
    try {
      events.publishDurable("alert", now.toEpochMilli(), payload);
    } catch (RuntimeException e) {
      LOG.warn("alert event of {} not published: {}", t.alert().fingerprint(), e.getMessage());
    }
  }

  private void updateGauges() {
    Map<String, Double> counts = new HashMap<>();
    for (Alert a : alerts.values()) {
      counts.merge(a.state().wire() + "/" + a.labels().getOrDefault("severity", ""), 1.0, Double::sum);
    }
    for (String k : gauges.keySet()) {
      gauges.put(k, counts.getOrDefault(k, 0.0));
    }
  }

  // --- reading and acting (the API) ---

  /** Every alert, newest first (by when it fired, or started pending). */
  public synchronized List<Alert> alerts() {
    List<Alert> out = new ArrayList<>(alerts.values());
    out.sort(Comparator.comparing(Alert::sortTime).reversed().thenComparing(Alert::fingerprint, Comparator.reverseOrder()));
    return out;
  }

  /** One alert, or empty. */
  public synchronized Optional<Alert> alert(String fingerprint) {
    return Optional.ofNullable(alerts.get(fingerprint));
  }

  /** What {@link #acknowledge} can answer. */
  public enum AckResult {
    ACKNOWLEDGED, UNKNOWN, NOT_FIRING
  }

  /**
   * Acknowledges a firing alert: its group's repeats stop until something in the group changes or
   * it resolves. A new firing clears it.
   */
  public synchronized AckResult acknowledge(String fingerprint, String by, String comment, Instant now) {
    Alert a = alerts.get(fingerprint);
    if (a == null) {
      return AckResult.UNKNOWN;
    }
    if (a.state() != State.FIRING) {
      return AckResult.NOT_FIRING;
    }
    Alert acked = a.withAck(new Alert.Ack(by, comment, now));
    store.saveAlerts(List.of(write(acked, now)), List.of());
    alerts.put(fingerprint, acked);
    if (events != null) {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("fingerprint", fingerprint);
      payload.put("alertname", a.alertname());
      payload.put("from", "firing");
      payload.put("to", "firing");
      payload.put("ack", Map.of("by", by, "comment", acked.ack().comment(), "at", now.toEpochMilli()));
      payload.put("at", now.toEpochMilli());
      events.publishDurable("alert", now.toEpochMilli(), payload);
    }
    return AckResult.ACKNOWLEDGED;
  }

  /** Every silence kept (active, pending and expired in the last 7 days), newest first. */
  public synchronized List<Silence> silences() {
    List<Silence> out = new ArrayList<>(silences.values());
    out.sort(Comparator.comparing(Silence::createdAt).reversed().thenComparing(Silence::id, Comparator.reverseOrder()));
    return out;
  }

  /** Stores a new silence; it applies from the next run. */
  public synchronized Silence addSilence(Silence s) {
    store.saveSilence(write(s, s.createdAt()));
    silences.put(s.id(), s);
    return s;
  }

  /** Expires a silence now (ends it; a pending one ends before it starts). Empty for an unknown id. */
  public synchronized Optional<Silence> expireSilence(String id, Instant now) {
    Silence s = silences.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.endsAt().isAfter(now)) {
      return Optional.of(s);
    }
    Instant start = s.startsAt().isAfter(now) ? now : s.startsAt();
    Silence ended = new Silence(s.id(), s.matchers(), s.author(), s.comment(), start, now, s.createdAt());
    store.saveSilence(write(ended, now));
    silences.put(id, ended);
    return Optional.of(ended);
  }

  // --- storage ---

  private static AlertRecord write(Alert a, Instant now) {
    return new AlertRecord(
        a.fingerprint(), a.alertname(), a.state().wire(), json(a.labels()), json(a.annotations()),
        a.activeSince().toEpochMilli(), ms(a.startsAt()), ms(a.endsAt()), ms(a.holdUntil()),
        a.ack() == null ? null : a.ack().by(), a.ack() == null ? null : a.ack().comment(),
        a.ack() == null ? null : a.ack().at().toEpochMilli(), json(a.suppressedBy()), now.toEpochMilli());
  }

  private static Alert read(AlertRecord r) {
    Alert.Ack ack = r.ackBy() == null ? null : new Alert.Ack(r.ackBy(), r.ackComment(), Instant.ofEpochMilli(r.ackAtMs()));
    return new Alert(
        r.fingerprint(), map(r.labelsJson()), map(r.annotationsJson()), State.parse(r.state()),
        Instant.ofEpochMilli(r.activeSinceMs()), instant(r.startsAtMs()), instant(r.endsAtMs()),
        instant(r.holdUntilMs()), ack, list(r.suppressedByJson()));
  }

  private static AlertGroupRecord write(Dispatcher.Group g, Instant now) {
    return new AlertGroupRecord(
        g.groupKey(), g.receiverId(), json(g.groupLabels()), g.firstSeen().toEpochMilli(), ms(g.lastSent()),
        json(g.sent()), g.seq(), g.lastEventId(), now.toEpochMilli());
  }

  private static Dispatcher.Group read(AlertGroupRecord r) {
    return new Dispatcher.Group(
        r.groupKey(), r.receiverId(), map(r.groupLabelsJson()), Instant.ofEpochMilli(r.firstSeenMs()),
        instant(r.lastSentMs()), new java.util.TreeSet<>(list(r.sentJson())), r.seq(), r.lastEventId());
  }

  private static SilenceRecord write(Silence s, Instant now) {
    return new SilenceRecord(
        s.id(), json(s.matchers().stream().map(Matcher::toString).toList()), s.author(), s.comment(),
        s.startsAt().toEpochMilli(), s.endsAt().toEpochMilli(), s.createdAt().toEpochMilli(), now.toEpochMilli());
  }

  private static Silence read(SilenceRecord r) {
    return new Silence(
        r.id(), list(r.matchersJson()).stream().map(Matcher::parse).toList(), r.author(), r.comment(),
        Instant.ofEpochMilli(r.startsAtMs()), Instant.ofEpochMilli(r.endsAtMs()), Instant.ofEpochMilli(r.createdAtMs()));
  }

  private static Long ms(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, String> map(String text) {
    try {
      return JSON.readValue(text, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }

  private static List<String> list(String text) {
    try {
      return JSON.readValue(text, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON list of strings: " + e.getOriginalMessage(), e);
    }
  }
}
