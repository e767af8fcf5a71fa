package dev.nines.console.actions;

import dev.nines.console.app.ConsoleContext;
import dev.nines.console.client.ActionOutcome;
import dev.nines.console.client.BackendException;
import dev.nines.console.client.Events;
import dev.nines.console.client.ServerEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One action's confirmation dialog, without the toolkit: {@link #start} runs the server's dry run and
 * shows its impact ({@link ActionState#CONFIRM}) or the guard's refusal ({@link ActionState#REFUSED});
 * {@link #confirm} sends it; a refusal may be overridden with {@link #offerForce}, a reason of at
 * least {@link #MIN_FORCE_REASON} characters ({@link #submitForceReason}) and a second confirmation
 * ({@link #confirmForce}). The host's routing state then follows the {@code routing} events
 * (DRAINING -> DRAINED) and a failover its {@code failover} events, until the action is complete.
 * Commands are called on the UI thread; backend calls run on {@code ctx.io()}.
 */
public final class ActionsViewModel implements AutoCloseable {
  /** The shortest reason accepted for overriding the capacity guard. */
  public static final int MIN_FORCE_REASON = 10;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final ConsoleContext ctx;
  private final ReadOnlyObjectWrapper<ActionState> state = new ReadOnlyObjectWrapper<>(this, "state", ActionState.IDLE);
  private final ReadOnlyObjectWrapper<ActionKind> kind = new ReadOnlyObjectWrapper<>(this, "kind");
  private final ReadOnlyStringWrapper subject = new ReadOnlyStringWrapper(this, "subject", "");
  private final ReadOnlyObjectWrapper<Impact> impact = new ReadOnlyObjectWrapper<>(this, "impact");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final ReadOnlyStringWrapper routingState = new ReadOnlyStringWrapper(this, "routingState", "");
  private final ReadOnlyBooleanWrapper forced = new ReadOnlyBooleanWrapper(this, "forced");
  private final ReadOnlyBooleanWrapper forceReasonValid = new ReadOnlyBooleanWrapper(this, "forceReasonValid");
  private final ObservableList<String> progress = FXCollections.observableArrayList();
  private final ObservableList<String> progressView = FXCollections.unmodifiableObservableList(progress);
  private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
  private final StringProperty forceReason = new SimpleStringProperty(this, "forceReason", "");
  private final ObjectProperty<Duration> drainTimeout = new SimpleObjectProperty<>(this, "drainTimeout");
  private final ObjectProperty<Instant> until = new SimpleObjectProperty<>(this, "until");
  private final List<Runnable> subscriptions = new ArrayList<>();
  /** Bumped by every start and close: answers of an older dialog are dropped. */
  private long generation;

  public ActionsViewModel(ConsoleContext ctx) {
    this.ctx = ctx;
    forceReasonValid.bind(Bindings.createBooleanBinding(
        () -> forceReason.get() != null && forceReason.get().strip().length() >= MIN_FORCE_REASON, forceReason));
  }

  // --- who may act ---

  /** Whether this token may act at all. */
  public boolean mayOperate() {
    return ctx.me().mayOperate();
  }

  /** Why every action is disabled for this token, or empty. */
  public Optional<String> whyNotOperate() {
    return ctx.me().whyNotOperate();
  }

  // --- commands ---

  /** Opens the dialog for {@code action} on a host (or pool for a failover) and runs the dry run. */
  public void start(ActionKind action, String on) {
    if (action == null || on == null || on.isBlank()) {
      throw new IllegalArgumentException("action and subject are required");
    }
    unsubscribe();
    long gen = ++generation;
    kind.set(action);
    subject.set(on);
    impact.set(null);
    progress.clear();
    routingState.set("");
    forced.set(false);
    forceReason.set("");
    if (reason.get() == null || reason.get().isBlank()) {
      reason.set(action.label() + " from the console by " + ctx.me().name());
    }
    Optional<String> why = whyNotOperate();
    if (why.isPresent()) {
      fail(why.get());
      return;
    }
    subscribe(gen);
    state.set(ActionState.LOADING_PLAN);
    message.set("Asking the server what " + action.word() + " of " + on + " would do...");
    call(gen, () -> send(true, false), outcome -> {
      Impact i = Impact.of(outcome);
      impact.set(i);
      if (routingState.get().isEmpty() && !action.onPool() && i.from() != null) {
        routingState.set(i.from());
      }
      if (outcome.refused() || i.refused()) {
        state.set(ActionState.REFUSED);
        message.set(outcome.refusal() != null ? outcome.refusal() : "The capacity guard refuses " + action.word() + " of " + on);
      } else {
        state.set(ActionState.CONFIRM);
        message.set(action.label() + " " + on + "? " + i.change());
      }
    });
  }

  /** Sends the action as planned (CONFIRM). */
  public void confirm() {
    requireState(ActionState.CONFIRM);
    sendForReal(false);
  }

  /** Offers to override the guard's refusal: asks for a reason (REFUSED -> FORCE_REASON). */
  public void offerForce() {
    requireState(ActionState.REFUSED);
    state.set(ActionState.FORCE_REASON);
    message.set("Overriding the capacity guard is audited: say why (at least " + MIN_FORCE_REASON + " characters)");
  }

  /** Accepts the reason (FORCE_REASON -> FORCE_CONFIRM); a short reason leaves the state as it is. */
  public void submitForceReason() {
    requireState(ActionState.FORCE_REASON);
    if (!forceReasonValid.get()) {
      message.set("The reason must have at least " + MIN_FORCE_REASON + " characters");
      return;
    }
    state.set(ActionState.FORCE_CONFIRM);
    Impact i = impact.get();
    message.set("Really force " + kind.get().word() + " of " + subject.get() + "? "
        + (i == null || i.activeAfter() == null ? "" : "Only " + i.activeAfter() + " of " + i.required() + " required members stay active."));
  }

  /** The second confirmation of a forced action: sends it with {@code force}. */
  public void confirmForce() {
    requireState(ActionState.FORCE_CONFIRM);
    sendForReal(true);
  }

  /** Closes the dialog: stops following the progress (what was sent stays sent). */
  @Override
  public void close() {
    generation++;
    unsubscribe();
    state.set(ActionState.IDLE);
  }

  private void sendForReal(boolean force) {
    long gen = generation;
    ActionKind action = kind.get();
    state.set(ActionState.SENDING);
    forced.set(force);
    message.set((force ? "Forcing " : "Sending ") + action.word() + " of " + subject.get() + "...");
    call(gen, () -> send(false, force), outcome -> {
      Impact i = Impact.of(outcome);
      impact.set(i);
      if (outcome.refused()) {
        state.set(ActionState.REFUSED);
        message.set(outcome.refusal() != null ? outcome.refusal() : "The capacity guard refused it: nothing changed");
        return;
      }
      log((outcome.plan().forced() ? "Forced: " : "Accepted: ") + i.change());
      if (!outcome.changed()) {
        state.set(ActionState.DONE);
        message.set("Nothing to do: " + subject.get() + " is already " + (i.to() == null ? i.from() : i.to()));
        return;
      }
      if (action.onPool()) {
        if (state.get() == ActionState.SENDING) {
          state.set(ActionState.IN_PROGRESS);
          message.set("Failing over " + subject.get() + ": " + i.change());
        }
        return;
      }
      String now = routingState.get();
      if (action.settledState().equals(now) || action.settledState().equals(i.to())) {
        routingState.set(action.settledState());
        done();
      } else {
        if (!now.equals("DRAINING") && i.to() != null) {
          routingState.set(i.to());
        }
        state.set(ActionState.IN_PROGRESS);
        message.set(subject.get() + " is " + routingState.get() + ": waiting for " + action.settledState()
            + (i.timeout() == null ? "" : " (at most " + i.timeout().toSeconds() + " s)"));
      }
    });
  }

  private ActionOutcome send(boolean dryRun, boolean force) {
    String on = subject.get();
    String why = force ? forceReason.get().strip() : reason.get();
    return switch (kind.get()) {
      case DRAIN -> ctx.client().drain(on, why, drainTimeout.get(), force, dryRun);
      case UNDRAIN -> ctx.client().undrain(on, why, dryRun);
      case MAINTENANCE -> ctx.client().maintenance(on, why, until.get(), force, dryRun);
      case FAILOVER -> ctx.client().failover(on, dryRun);
    };
  }

  /** Runs {@code work} on io and hands its answer to {@code then} on the UI thread, unless the dialog moved on. */
  private void call(long gen, Supplier<ActionOutcome> work, java.util.function.Consumer<ActionOutcome> then) {
    ctx.io().execute(() -> {
      ActionOutcome outcome;
      try {
        outcome = work.get();
      } catch (BackendException e) {
        ctx.ui().run(() -> {
          if (gen == generation) {
            fail(e.operatorMessage());
          }
        });
        return;
      } catch (RuntimeException e) {
        ctx.ui().run(() -> {
          if (gen == generation) {
            fail("The action failed: " + e.getMessage());
          }
        });
        return;
      }
      ctx.ui().run(() -> {
        if (gen == generation) {
          then.accept(outcome);
        }
      });
    });
  }

  // --- live progress ---

  private void subscribe(long gen) {
    if (ctx.events() == null) {
      return;
    }
    subscriptions.add(ctx.events().onEvent(Events.ROUTING, e -> ctx.ui().run(() -> {
      if (gen == generation) {
        onRouting(e);
      }
    })));
    subscriptions.add(ctx.events().onEvent("failover", e -> ctx.ui().run(() -> {
      if (gen == generation) {
        onFailover(e);
      }
    })));
  }

  private void unsubscribe() {
    subscriptions.forEach(Runnable::run);
    subscriptions.clear();
  }

  private void onRouting(ServerEvent e) {
    Events.Routing r;
    try {
      r = e.as(Events.Routing.class);
    } catch (IllegalArgumentException bad) {
      return;
    }
    ActionKind action = kind.get();
    if (action == null) {
      return;
    }
    if (action.onPool()) {
      if (subject.get().equals(r.pool())) {
        log(r.host() + ": " + r.from() + " -> " + r.to() + reasonOf(r));
      }
      return;
    }
    if (!subject.get().equals(r.host())) {
      return;
    }
    routingState.set(r.to());
    log(r.from() + " -> " + r.to() + reasonOf(r));
    ActionState s = state.get();
    if (s == ActionState.IN_PROGRESS && action.settledState().equals(r.to())) {
      done();
    }
  }

  private void onFailover(ServerEvent e) {
    if (kind.get() != ActionKind.FAILOVER) {
      return;
    }
    var n = e.json();
    if (!subject.get().equals(n.path("pool").asText())) {
      return;
    }
    String phase = n.path("phase").asText();
    String reasonText = n.path("reason").asText("");
    log("Failover " + phase + ": " + n.path("from").asText() + " -> " + n.path("to").asText()
        + (reasonText.isBlank() ? "" : " (" + reasonText + ")"));
    if (state.get() == ActionState.SENDING || state.get() == ActionState.IN_PROGRESS) {
      switch (phase) {
        case "completed" -> done();
        case "aborted" -> fail("The failover of " + subject.get() + " was aborted" + (reasonText.isBlank() ? "" : ": " + reasonText));
        default -> state.set(ActionState.IN_PROGRESS);
      }
    }
  }

  private static String reasonOf(Events.Routing r) {
    return r.reason() == null || r.reason().isBlank() ? "" : " (" + r.reason() + ")";
  }

  private void done() {
    state.set(ActionState.DONE);
    ActionKind action = kind.get();
    message.set(action.onPool()
        ? "The failover of " + subject.get() + " is complete"
        : subject.get() + " is " + action.settledState());
    unsubscribe();
  }

  private void fail(String why) {
    state.set(ActionState.FAILED);
    message.set(why);
    unsubscribe();
  }

  private void log(String line) {
    progress.add(TIME.format(ctx.clock().instant()) + "  " + line);
  }

  private void requireState(ActionState expected) {
    if (state.get() != expected) {
      throw new IllegalStateException("the dialog is " + state.get() + ", not " + expected);
    }
  }

  // --- properties ---

  public ReadOnlyObjectProperty<ActionState> stateProperty() {
    return state.getReadOnlyProperty();
  }

  public ActionState state() {
    return state.get();
  }

  public ReadOnlyObjectProperty<ActionKind> kindProperty() {
    return kind.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty subjectProperty() {
    return subject.getReadOnlyProperty();
  }

  /** The dry run's (then the answer's) impact, or null before the first answer. */
  public ReadOnlyObjectProperty<Impact> impactProperty() {
    return impact.getReadOnlyProperty();
  }

  /** One line for the operator: the question, the progress, the result or the error. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** The host's routing state as the events tell it (empty for a failover, or before the dry run). */
  public ReadOnlyStringProperty routingStateProperty() {
    return routingState.getReadOnlyProperty();
  }

  /** Whether the action was sent with {@code force}. */
  public ReadOnlyBooleanProperty forcedProperty() {
    return forced.getReadOnlyProperty();
  }

  /** Whether the force reason is long enough. */
  public ReadOnlyBooleanProperty forceReasonValidProperty() {
    return forceReasonValid.getReadOnlyProperty();
  }

  /** The progress lines ("12:00:01  DRAINING -> DRAINED (...)"), oldest first. */
  public ObservableList<String> progress() {
    return progressView;
  }

  /** Input: the reason sent with the action. */
  public StringProperty reasonProperty() {
    return reason;
  }

  /** Input: why the guard is overridden. */
  public StringProperty forceReasonProperty() {
    return forceReason;
  }

  /** Input: a drain's timeout, or null for the pool's setting. */
  public ObjectProperty<Duration> drainTimeoutProperty() {
    return drainTimeout;
  }

  /** Sets the end of a maintenance {@code d} from now (null: until an undrain). */
  public void maintenanceFor(Duration d) {
    until.set(d == null ? null : ctx.clock().instant().plus(d));
  }

  /** Input: the end of a maintenance, or null until an undrain. */
  public ObjectProperty<Instant> untilProperty() {
    return until;
  }

}
