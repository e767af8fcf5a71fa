package dev.nines.console;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.Cluster;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStatus;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.Scheduler;
import dev.nines.console.client.WhoAmI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The shell's state: the event stream's connection state as a word and a sentence, who is signed in,
 * and the theme. Listens to the stream's state changes (reader thread) and publishes on the UI thread.
 * With several replicas ({@link #watchCluster}) the words name the replica the console talks to and
 * the leader ({@code LIVE · replica b (follower) · leader a}), read from {@code /api/v1/cluster} each
 * time the stream goes live and every {@link #CLUSTER_EVERY}; a single server shows nothing extra.
 */
public final class ShellViewModel implements AutoCloseable {
  /** How often the replica and the leader are read again while live. */
  public static final Duration CLUSTER_EVERY = Duration.ofSeconds(30);

  private final ReadOnlyObjectWrapper<ConnectionState> state =
      new ReadOnlyObjectWrapper<>(this, "state", ConnectionState.CONNECTING);
  private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "CONNECTING");
  private final ReadOnlyStringWrapper user = new ReadOnlyStringWrapper(this, "user", "");
  private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", true);
  private final ReadOnlyBooleanWrapper signInNeeded = new ReadOnlyBooleanWrapper(this, "signInNeeded");
  private final UiExecutor ui;
  private Runnable unsubscribe = () -> {};
  private Runnable signIn = () -> {};
  // UI thread only
  private ConnectionStatus status = new ConnectionStatus(ConnectionState.CONNECTING, "", java.time.Instant.EPOCH, null);
  private Cluster cluster;
  private long clusterGeneration;
  private Supplier<Cluster> clusterSource;
  private Executor io;
  private Scheduler scheduler;
  private Scheduler.Cancellable clusterTimer;
  private long timerGeneration;

  /**
   * @param events the stream whose state is shown (null: shown as CONNECTING)
   * @param me who is signed in
   * @param ui the UI thread
   */
  public ShellViewModel(EventStream events, WhoAmI me, UiExecutor ui) {
    this.ui = ui;
    attach(events, me);
  }

  /**
   * Follows another stream and signs in as another token (after "Sign in again"): the state, the
   * words and who is signed in come from them from now on. UI thread.
   */
  public void attach(EventStream events, WhoAmI me) {
    unsubscribe.run();
    user.set("Signed in as " + me.name() + " (" + me.role().wire() + ")"
        + (me.mayOperate() ? "" : ": read-only"));
    if (events != null) {
      unsubscribe = events.onState(s -> ui.run(() -> show(s)));
      ConnectionStatus now = events.status();
      ui.run(() -> show(now));
    } else {
      unsubscribe = () -> {};
      show(new ConnectionStatus(ConnectionState.CONNECTING, "", java.time.Instant.EPOCH, null));
    }
  }

  /**
   * Shows the replica and the leader from {@code source} (a blocking read of {@code /api/v1/cluster},
   * run on {@code io}): now, whenever the stream goes live again, and every {@link #CLUSTER_EVERY}
   * ({@code scheduler}). A read that fails, or a single server, shows nothing extra. Replaces an
   * earlier source (a new sign-in). UI thread.
   */
  public void watchCluster(Supplier<Cluster> source, Executor io, Scheduler scheduler) {
    stopClusterTimer();
    this.clusterSource = Objects.requireNonNull(source, "source");
    this.io = Objects.requireNonNull(io, "io");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    cluster = null;
    clusterGeneration++;
    publish();
    readCluster();
    scheduleClusterTick(timerGeneration);
  }

  /** The replicas as last read (null: unknown, or not LIVE since). UI thread. */
  Cluster cluster() {
    return cluster;
  }

  private void scheduleClusterTick(long gen) {
    clusterTimer =
        scheduler.schedule(
            () -> ui.run(() -> {
              if (gen == timerGeneration) {
                readCluster();
                scheduleClusterTick(gen);
              }
            }),
            CLUSTER_EVERY);
  }

  private void stopClusterTimer() {
    timerGeneration++;
    if (clusterTimer != null) {
      clusterTimer.cancel();
      clusterTimer = null;
    }
  }

  /** Reads the replicas in the background; the answer counts only if the stream did not leave LIVE meanwhile. */
  private void readCluster() {
    Supplier<Cluster> source = clusterSource;
    if (source == null || status.state() != ConnectionState.LIVE) {
      return;
    }
    long gen = clusterGeneration;
    io.execute(() -> {
      Cluster c;
      try {
        c = source.get();
      } catch (RuntimeException e) {
        c = null; // an older server without /cluster, or a replica that went: nothing extra shown
      }
      Cluster read = c;
      ui.run(() -> {
        if (gen == clusterGeneration && clusterSource == source) {
          cluster = read;
          publish();
        }
      });
    });
  }

  /** The token was refused (revoked, expired, wrong): the status bar offers "Sign in again". */
  public ReadOnlyBooleanProperty signInNeededProperty() {
    return signInNeeded.getReadOnlyProperty();
  }

  /** What "Sign in again" does (the window opens the connection dialog). */
  public void setSignInHandler(Runnable handler) {
    this.signIn = handler == null ? () -> {} : handler;
  }

  /** Opens the connection dialog to sign in with a new token. */
  public void signInAgain() {
    signIn.run();
  }

  /** LIVE, RECONNECTING, UNREACHABLE, UNAUTHORIZED or CONNECTING. */
  public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
    return state.getReadOnlyProperty();
  }

  /** The state as words: {@code RECONNECTING in 3 s: the connection was lost}. */
  public ReadOnlyStringProperty statusTextProperty() {
    return statusText.getReadOnlyProperty();
  }

  /** {@code Signed in as alice (operator)}. */
  public ReadOnlyStringProperty userProperty() {
    return user.getReadOnlyProperty();
  }

  /** Dark theme (true) or light. */
  public BooleanProperty darkProperty() {
    return dark;
  }

  /** Switches between the dark and the light theme. */
  public void toggleTheme() {
    dark.set(!dark.get());
  }

  /** Shows {@code s} (UI thread). */
  void show(ConnectionStatus s) {
    boolean wasLive = status.state() == ConnectionState.LIVE;
    status = s;
    if (s.state() != ConnectionState.LIVE || !wasLive) {
      // another connection: what was read of the replicas may be another replica's
      cluster = null;
      clusterGeneration++;
    }
    state.set(s.state());
    publish();
    signInNeeded.set(s.state() == ConnectionState.UNAUTHORIZED);
    if (s.state() == ConnectionState.LIVE && !wasLive) {
      readCluster();
    }
  }

  private void publish() {
    statusText.set(text(status, cluster));
  }

  /**
   * The words for a status and the replicas as read (null: unknown): while LIVE on one of several
   * replicas, {@code LIVE · replica b (follower) · leader a} ({@code LIVE · replica a (leader)},
   * {@code · no leader} while none is known); otherwise as {@link #text(ConnectionStatus)}. Pure.
   */
  static String text(ConnectionStatus s, Cluster c) {
    if (c == null || !c.replicated() || s.state() != ConnectionState.LIVE) {
      return text(s);
    }
    StringBuilder b = new StringBuilder(s.state().name());
    b.append(" \u00b7 replica ").append(c.replica()).append(" (").append(c.role()).append(')');
    if (!c.leads()) {
      b.append(" \u00b7 ").append(c.leaderKnown() ? "leader " + c.leader() : "no leader");
    }
    return b.toString();
  }

  /** The words for a status. Pure. */
  static String text(ConnectionStatus s) {
    StringBuilder b = new StringBuilder(s.state().name());
    Duration retry = s.retryIn();
    if (retry != null && (s.state() == ConnectionState.RECONNECTING || s.state() == ConnectionState.UNREACHABLE)) {
      long secs = Math.max(1, (retry.toMillis() + 999) / 1000);
      b.append(" in ").append(secs).append(" s");
    }
    if (s.state() == ConnectionState.LIVE) {
      b.append(": events arrive as they happen");
    } else if (s.state() == ConnectionState.UNAUTHORIZED) {
      b.append(": ").append(s.reason()).append(" (no more tries: sign in again with a valid token)");
    } else if (!s.reason().isBlank()) {
      b.append(": ").append(s.reason());
    }
    return b.toString();
  }

  @Override
  public void close() {
    unsubscribe.run();
    stopClusterTimer();
    clusterSource = null;
  }
}
