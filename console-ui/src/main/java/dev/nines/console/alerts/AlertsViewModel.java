package dev.nines.console.alerts;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.ShownList;
import dev.nines.console.client.Alert;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.Silence;
import dev.nines.console.app.Coalescer;
import dev.nines.console.app.LiveRefresh;
import dev.nines.console.app.OpsText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The alerts screen without the toolkit: alerts (firing, pending, resolved) with labels, summary,
 * since, acknowledgement and what suppresses them; the silences; and, for operators, acknowledge,
 * silence (prefilled from an alert's labels) and expire. Live: {@code alert} events refresh it at most
 * once a second while shown.
 */
public final class AlertsViewModel implements ShownList {
  /** Which alerts the table shows. */
  public enum StateFilter {
    /** Firing and pending. */
    ACTIVE, FIRING, PENDING, RESOLVED, ALL
  }

  /** The alert event's type. */
  public static final String ALERT_EVENT = "alert";
  /** The longest silence the server takes. */
  public static final Duration MAX_SILENCE = Duration.ofDays(30);

  private final ConsoleContext ctx;
  private final ObjectProperty<StateFilter> stateFilter = new SimpleObjectProperty<>(this, "stateFilter", StateFilter.ACTIVE);
  private final ObservableList<AlertRow> rows = FXCollections.observableArrayList();
  private final ObservableList<AlertRow> rowsView = FXCollections.unmodifiableObservableList(rows);
  private final ObservableList<SilenceRow> silences = FXCollections.observableArrayList();
  private final ObservableList<SilenceRow> silencesView = FXCollections.unmodifiableObservableList(silences);
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
  private final LiveRefresh live;
  private List<Alert> all = List.of();

  public AlertsViewModel(ConsoleContext ctx) {
    this(ctx, Coalescer.sharedScheduler());
  }

  /** With the scheduler that runs the deferred live refreshes (tests run them by hand). */
  public AlertsViewModel(ConsoleContext ctx, Scheduler scheduler) {
    this.ctx = ctx;
    this.live = new LiveRefresh(ctx, scheduler, this::refresh, List.of(ALERT_EVENT));
    stateFilter.addListener((o, a, b) -> publishRows());
  }

  /** Whether this token may acknowledge, silence and expire. */
  public boolean mayOperate() {
    return ctx.me().mayOperate();
  }

  /** Why acknowledge and silence are disabled, or empty. */
  public Optional<String> whyNotOperate() {
    return ctx.me().whyNotOperate();
  }

  /** The screen is shown (refresh if anything changed meanwhile) or hidden. */
  public void setShown(boolean visible) {
    live.setShown(visible);
  }

  /** Reloads alerts and silences. */
  public void refresh() {
    live.reading();
    ctx.io().execute(() -> {
      try {
        List<Alert> alerts = new ArrayList<>();
        String cursor = null;
        do {
          var page = ctx.client().alerts(new Alert.Filter(null, null, null, null, null, 1000), cursor);
          alerts.addAll(page.items());
          cursor = page.nextCursor();
        } while (cursor != null && alerts.size() < 5000);
        List<Silence> s = ctx.client().silences().items();
        Instant now = ctx.clock().instant();
        List<SilenceRow> sRows = s.stream().map(x -> silenceRow(x, now)).toList();
        ctx.ui().run(() -> {
          all = List.copyOf(alerts);
          publishRows();
          silences.setAll(sRows);
          error.set("");
        });
      } catch (BackendException e) {
        ctx.ui().run(() -> error.set(e.operatorMessage()));
      }
    });
  }

  private void publishRows() {
    StateFilter f = stateFilter.get() == null ? StateFilter.ALL : stateFilter.get();
    Instant now = ctx.clock().instant();
    List<AlertRow> out = new ArrayList<>();
    int firing = 0;
    int pending = 0;
    for (Alert a : all) {
      firing += "firing".equals(a.state()) ? 1 : 0;
      pending += "pending".equals(a.state()) ? 1 : 0;
      if (matches(f, a.state())) {
        out.add(row(a, now));
      }
    }
    rows.setAll(out);
    summary.set(firing + " firing, " + pending + " pending, " + all.size() + " in all");
  }

  private static boolean matches(StateFilter f, String state) {
    return switch (f) {
      case ALL -> true;
      case ACTIVE -> "firing".equals(state) || "pending".equals(state);
      default -> f.name().toLowerCase(Locale.ROOT).equals(state);
    };
  }

  static AlertRow row(Alert a, Instant now) {
    Map<String, String> shown = new TreeMap<>(a.labels());
    String name = shown.remove("alertname");
    String severity = shown.remove("severity");
    long sinceMs = "firing".equals(a.state()) && a.startsAt() != null ? a.startsAt()
        : "resolved".equals(a.state()) && a.endsAt() != null ? a.endsAt() : a.activeSince();
    String ack = a.ack() == null ? "" : a.ack().by() + (a.ack().comment() == null || a.ack().comment().isBlank() ? "" : ": " + a.ack().comment());
    return new AlertRow(
        a.fingerprint(), a.state(), name == null ? "" : name, severity == null ? "" : severity, OpsText.labels(shown),
        a.annotations().getOrDefault("summary", ""), OpsText.since(sinceMs, now), ack, String.join(", ", a.suppressedBy()), a);
  }

  static SilenceRow silenceRow(Silence s, Instant now) {
    return new SilenceRow(
        s.id(), String.join(", ", s.matchers()), s.comment(), s.author(), OpsText.time(s.startsAt()),
        OpsText.time(s.endsAt()), s.state() == null ? "" : s.state(), s);
  }

  // --- commands (operators) ---

  /** Acknowledges a firing alert with {@code comment}. */
  public void acknowledge(String fingerprint, String comment) {
    operate(() -> {
      Alert a = ctx.client().ack(fingerprint, comment);
      return "Acknowledged " + a.labels().getOrDefault("alertname", fingerprint);
    });
  }

  /** A silence prefilled from {@code alert}'s labels (every label an exact matcher), for 2 hours. */
  public SilenceDraft draftSilence(Alert alert) {
    List<String> matchers = new ArrayList<>();
    new TreeMap<>(alert.labels()).forEach((k, v) -> matchers.add(k + "=" + v));
    return new SilenceDraft(matchers, Duration.ofHours(2), "");
  }

  /** Checks a draft: the message of what is wrong, or empty when it may be sent. */
  public static Optional<String> problemOf(SilenceDraft d) {
    if (d.matchers().isEmpty()) {
      return Optional.of("A silence needs at least one matcher");
    }
    for (String m : d.matchers()) {
      if (!m.matches("[A-Za-z_][A-Za-z0-9_]*(=|!=|=~|!~).*")) {
        return Optional.of("Matcher '" + m + "' is not label=value, label!=value, label=~regex or label!~regex");
      }
    }
    if (d.duration() == null || d.duration().isNegative() || d.duration().isZero() || d.duration().compareTo(MAX_SILENCE) > 0) {
      return Optional.of("The duration must be between 1 minute and 30 days");
    }
    if (d.comment() == null || d.comment().isBlank()) {
      return Optional.of("Say why: a silence needs a comment");
    }
    return Optional.empty();
  }

  /** Creates the silence (from now for its duration). */
  public void silence(SilenceDraft draft) {
    Optional<String> problem = problemOf(draft);
    if (problem.isPresent()) {
      error.set(problem.get());
      return;
    }
    operate(() -> {
      Silence s = ctx.client().createSilence(draft.matchers(), draft.comment(), draft.duration());
      return "Silenced " + String.join(", ", s.matchers()) + " until " + OpsText.time(s.endsAt()) + " UTC";
    });
  }

  /** Ends a silence now. */
  public void expire(String silenceId) {
    operate(() -> {
      ctx.client().expireSilence(silenceId);
      return "Expired silence " + silenceId;
    });
  }

  private void operate(Supplier<String> work) {
    Optional<String> why = whyNotOperate();
    if (why.isPresent()) {
      error.set(why.get());
      return;
    }
    ctx.io().execute(() -> {
      try {
        String done = work.get();
        ctx.ui().run(() -> {
          message.set(done);
          error.set("");
        });
        refresh();
      } catch (BackendException e) {
        ctx.ui().run(() -> error.set(e.operatorMessage()));
      }
    });
  }

  @Override
  public void close() {
    live.close();
  }

  // --- properties ---

  /** Input: which alerts the table shows. */
  public ObjectProperty<StateFilter> stateFilterProperty() {
    return stateFilter;
  }

  public ObservableList<AlertRow> rows() {
    return rowsView;
  }

  public ObservableList<SilenceRow> silences() {
    return silencesView;
  }

  /** The last error's operator message, or "". */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  /** What the last command did ("Acknowledged gpu-fault"), or "". */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** "2 firing, 1 pending, 7 in all". */
  public ReadOnlyStringProperty summaryProperty() {
    return summary.getReadOnlyProperty();
  }
}
