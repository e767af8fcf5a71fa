package dev.nines.console.reports;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Download;
import dev.nines.console.client.ReportFormat;
import dev.nines.console.client.Subject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The uptime report dialog without the toolkit: the range (last 7, 30 or 90 days, a calendar month, or
 * from/to; days in UTC), the fleet or one pool or host, the format; {@link #save} downloads it to the
 * path the view's file chooser gave, with progress (bytes, elapsed) and {@link #cancel}; the saved
 * path at the end, or the error.
 */
public final class ReportViewModel {
  /** The ranges offered. */
  public enum Range {
    LAST_7_DAYS("Last 7 days", 7), LAST_30_DAYS("Last 30 days", 30), LAST_90_DAYS("Last 90 days", 90),
    MONTH("A month", 0), CUSTOM("From .. to", 0);

    private final String label;
    private final int days;

    Range(String label, int days) {
      this.label = label;
      this.days = days;
    }

    public String label() {
      return label;
    }
  }

  /** What the report is about. */
  public enum Scope { FLEET, POOL, HOST }

  /** Where a download stands. */
  public enum Status { IDLE, RUNNING, DONE, FAILED, CANCELLED }

  private final ConsoleContext ctx;
  private final ObjectProperty<Range> range = new SimpleObjectProperty<>(this, "range", Range.LAST_30_DAYS);
  private final ObjectProperty<YearMonth> month = new SimpleObjectProperty<>(this, "month");
  private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>(this, "from");
  private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>(this, "to");
  private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(this, "scope", Scope.FLEET);
  private final StringProperty subject = new SimpleStringProperty(this, "subject", "");
  private final ObjectProperty<ReportFormat> format = new SimpleObjectProperty<>(this, "format", ReportFormat.PDF);
  private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.IDLE);
  private final ReadOnlyLongWrapper bytes = new ReadOnlyLongWrapper(this, "bytes");
  private final ReadOnlyObjectWrapper<Duration> elapsed = new ReadOnlyObjectWrapper<>(this, "elapsed", Duration.ZERO);
  private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final ReadOnlyObjectWrapper<Path> saved = new ReadOnlyObjectWrapper<>(this, "saved");
  private volatile Download download;
  private int progressCalls;

  public ReportViewModel(ConsoleContext ctx) {
    this.ctx = ctx;
    YearMonth last = YearMonth.from(ctx.clock().instant().atZone(ZoneOffset.UTC)).minusMonths(1);
    month.set(last);
    LocalDate today = LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC);
    from.set(today.minusDays(7));
    to.set(today);
  }

  /**
   * The request the inputs describe; IllegalArgumentException with a sentence for people when they
   * do not describe one (no pool named, from after to).
   */
  public ReportRequest request() {
    Instant now = ctx.clock().instant();
    Instant start;
    Instant end;
    Range r = range.get() == null ? Range.LAST_30_DAYS : range.get();
    switch (r) {
      case MONTH -> {
        YearMonth m = month.get();
        if (m == null) {
          throw new IllegalArgumentException("Choose a month");
        }
        start = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        end = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!start.isBefore(now)) {
          throw new IllegalArgumentException("The month " + m + " has not begun");
        }
      }
      case CUSTOM -> {
        if (from.get() == null || to.get() == null) {
          throw new IllegalArgumentException("Choose the first and the last day");
        }
        if (from.get().isAfter(to.get())) {
          throw new IllegalArgumentException("The first day " + from.get() + " is after the last day " + to.get());
        }
        start = from.get().atStartOfDay(ZoneOffset.UTC).toInstant();
        end = to.get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      default -> {
        end = now;
        start = now.minus(Duration.ofDays(r.days));
      }
    }
    if (end.isAfter(now)) {
      end = now;
    }
    Subject s = switch (scope.get() == null ? Scope.FLEET : scope.get()) {
      case FLEET -> null;
      case POOL -> Subject.pool(named("pool"));
      case HOST -> Subject.host(named("host"));
    };
    return new ReportRequest(start, end, s, format.get() == null ? ReportFormat.PDF : format.get());
  }

  private String named(String what) {
    String id = subject.get() == null ? "" : subject.get().strip();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("Name the " + what);
    }
    return id;
  }

  /** Starts building and downloading {@code request} to {@code out}; one at a time. */
  public void save(ReportRequest request, Path out) {
    if (status.get() == Status.RUNNING) {
      throw new IllegalStateException("a report is being saved already");
    }
    status.set(Status.RUNNING);
    saved.set(null);
    bytes.set(0);
    elapsed.set(Duration.ZERO);
    progressCalls = 0;
    progressText.set("Building the report...");
    message.set("Saving " + out.getFileName() + "...");
    Download d = ctx.client().uptimeReport(request.from(), request.to(), request.subject(), request.format(), out,
        (received, total, took) -> ctx.ui().run(() -> progress(received, total, took)));
    download = d;
    d.result().whenComplete((result, failure) -> ctx.ui().run(() -> {
      if (download != d) {
        return;
      }
      if (failure == null) {
        status.set(Status.DONE);
        bytes.set(result.bytes());
        elapsed.set(result.elapsed());
        saved.set(result.file());
        progressText.set(kib(result.bytes()) + " in " + seconds(result.elapsed()));
        message.set("Saved to " + result.file());
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof CancellationException) {
        status.set(Status.CANCELLED);
        message.set("Cancelled: nothing was saved");
      } else {
        status.set(Status.FAILED);
        message.set(cause instanceof BackendException b ? b.operatorMessage() : "The report failed: " + cause.getMessage());
      }
    }));
  }

  private void progress(long received, long total, Duration took) {
    progressCalls++;
    bytes.set(received);
    elapsed.set(took);
    progressText.set(kib(received) + (total > 0 ? " of " + kib(total) : "") + " in " + seconds(took));
  }

  /** Stops the download under way; nothing is saved. */
  public void cancel() {
    Download d = download;
    if (d != null && status.get() == Status.RUNNING) {
      d.cancel();
    }
  }

  static String kib(long bytes) {
    return bytes < 10 * 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** How often the client told progress for the last download. */
  public int progressCalls() {
    return progressCalls;
  }

  // --- inputs ---

  public ObjectProperty<Range> rangeProperty() {
    return range;
  }

  public ObjectProperty<YearMonth> monthProperty() {
    return month;
  }

  public ObjectProperty<LocalDate> fromProperty() {
    return from;
  }

  public ObjectProperty<LocalDate> toProperty() {
    return to;
  }

  public ObjectProperty<Scope> scopeProperty() {
    return scope;
  }

  /** The pool or host named (for POOL and HOST). */
  public StringProperty subjectProperty() {
    return subject;
  }

  public ObjectProperty<ReportFormat> formatProperty() {
    return format;
  }

  // --- state ---

  public ReadOnlyObjectProperty<Status> statusProperty() {
    return status.getReadOnlyProperty();
  }

  /** Bytes received so far. */
  public ReadOnlyLongProperty bytesProperty() {
    return bytes.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Duration> elapsedProperty() {
    return elapsed.getReadOnlyProperty();
  }

  /** "12.3 KiB in 0.4 s". */
  public ReadOnlyStringProperty progressTextProperty() {
    return progressText.getReadOnlyProperty();
  }

  /** The result ("Saved to /path"), or the error's operator message. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** Where the last report was saved, or null. */
  public ReadOnlyObjectProperty<Path> savedProperty() {
    return saved.getReadOnlyProperty();
  }
}
