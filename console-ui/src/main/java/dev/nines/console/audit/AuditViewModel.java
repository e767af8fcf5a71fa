package dev.nines.console.audit;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.app.ShownList;
import dev.nines.console.client.AuditEntry;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Page;
import dev.nines.console.app.Coalescer;
import dev.nines.console.client.Scheduler;
import dev.nines.console.app.OpsText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The audit log without the toolkit: newest first, a page at a time ({@link #loadMore}); while shown
 * it looks for new lines every {@link #PERIOD} and puts them on top. Viewers may not read it: the
 * error says so and nothing is asked.
 */
public final class AuditViewModel implements ShownList {
  /** How often a shown audit screen looks for new lines. */
  public static final Duration PERIOD = Duration.ofSeconds(10);

  private final ConsoleContext ctx;
  private final Duration period;
  private final ObservableList<AuditRow> rows = FXCollections.observableArrayList();
  private final ObservableList<AuditRow> rowsView = FXCollections.unmodifiableObservableList(rows);
  private final ReadOnlyBooleanWrapper hasMore = new ReadOnlyBooleanWrapper(this, "hasMore");
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private final Set<String> known = new HashSet<>();
  private final Scheduler scheduler;
  private String cursor;
  private Scheduler.Cancellable periodic;
  private long shownGeneration;

  public AuditViewModel(ConsoleContext ctx) {
    this(ctx, PERIOD);
  }

  /** With another refresh period (tests). */
  public AuditViewModel(ConsoleContext ctx, Duration period) {
    this(ctx, period, Coalescer.sharedScheduler());
  }

  /** With the scheduler that runs the periodic refresh (tests run it by hand). */
  public AuditViewModel(ConsoleContext ctx, Duration period, Scheduler scheduler) {
    this.ctx = ctx;
    this.period = period;
    this.scheduler = scheduler;
  }

  /** Shown: load now and every period; hidden: stop. */
  public synchronized void setShown(boolean visible) {
    if (visible && periodic == null) {
      refresh();
      long generation = ++shownGeneration;
      periodic = scheduler.schedule(() -> tick(generation), period);
    } else if (!visible && periodic != null) {
      shownGeneration++;
      periodic.cancel();
      periodic = null;
    }
  }

  private void tick(long generation) {
    synchronized (this) {
      if (generation != shownGeneration) {
        return; // hidden (or hidden and shown again) meanwhile
      }
    }
    try {
      refresh();
    } finally {
      synchronized (this) {
        if (generation == shownGeneration) {
          periodic = scheduler.schedule(() -> tick(generation), period);
        }
      }
    }
  }

  /** Loads the newest page and puts lines not seen yet on top (or starts over when there are too many). */
  public void refresh() {
    if (!ctx.me().mayReadAudit()) {
      ctx.ui().run(() -> error.set("Token '" + ctx.me().name() + "' is a " + ctx.me().role().wire()
          + ": the audit log needs an operator or admin token"));
      return;
    }
    ctx.io().execute(() -> {
      try {
        Page<AuditEntry> page = ctx.client().audit(null);
        ctx.ui().run(() -> merge(page));
      } catch (BackendException e) {
        ctx.ui().run(() -> error.set(e.operatorMessage()));
      }
    });
  }

  private void merge(Page<AuditEntry> page) {
    error.set("");
    boolean overlaps = page.items().stream().anyMatch(e -> known.contains(e.id()));
    if (rows.isEmpty() || !overlaps) {
      known.clear();
      rows.setAll(page.items().stream().map(AuditViewModel::row).toList());
      page.items().forEach(e -> known.add(e.id()));
      cursor = page.nextCursor();
      hasMore.set(page.hasMore());
      return;
    }
    List<AuditRow> fresh = new ArrayList<>();
    for (AuditEntry e : page.items()) {
      if (known.contains(e.id())) {
        break;
      }
      fresh.add(row(e));
      known.add(e.id());
    }
    rows.addAll(0, fresh);
  }

  /** Appends the next older page. */
  public void loadMore() {
    String from = cursor;
    if (from == null || loading.get()) {
      return;
    }
    loading.set(true);
    ctx.io().execute(() -> {
      try {
        Page<AuditEntry> page = ctx.client().audit(from);
        ctx.ui().run(() -> {
          for (AuditEntry e : page.items()) {
            if (known.add(e.id())) {
              rows.add(row(e));
            }
          }
          cursor = page.nextCursor();
          hasMore.set(page.hasMore());
          loading.set(false);
        });
      } catch (BackendException e) {
        ctx.ui().run(() -> {
          error.set(e.operatorMessage());
          loading.set(false);
        });
      }
    });
  }

  static AuditRow row(AuditEntry e) {
    String who = e.actorName() == null || e.actorName().isBlank() ? e.actor() : e.actorName() + " (" + e.actor() + ")";
    return new AuditRow(e.id(), OpsText.time(e.at()), who, e.action(), e.target() == null ? "" : e.target(),
        OpsText.detail(e.detail()), e);
  }

  @Override
  public void close() {
    setShown(false);
  }

  // --- properties ---

  /** Newest first. */
  public ObservableList<AuditRow> rows() {
    return rowsView;
  }

  /** Whether older lines may be loaded. */
  public ReadOnlyBooleanProperty hasMoreProperty() {
    return hasMore.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  /** The last error's operator message (or why a viewer sees nothing), or "". */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }
}
