package dev.nines.console;

import dev.nines.console.app.UiExecutor;
import dev.nines.console.client.ConnectionState;
import dev.nines.console.client.ConnectionStatus;
import dev.nines.console.client.EventStream;
import dev.nines.console.client.WhoAmI;
import java.time.Duration;
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
 */
public final class ShellViewModel implements AutoCloseable {
  private final ReadOnlyObjectWrapper<ConnectionState> state =
      new ReadOnlyObjectWrapper<>(this, "state", ConnectionState.CONNECTING);
  private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "CONNECTING");
  private final ReadOnlyStringWrapper user = new ReadOnlyStringWrapper(this, "user", "");
  private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", true);
  private final ReadOnlyBooleanWrapper signInNeeded = new ReadOnlyBooleanWrapper(this, "signInNeeded");
  private final UiExecutor ui;
  private Runnable unsubscribe = () -> {};
  private Runnable signIn = () -> {};

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
    state.set(s.state());
    statusText.set(text(s));
    signInNeeded.set(s.state() == ConnectionState.UNAUTHORIZED);
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
  }
}
