package dev.nines.agent.ship;

import dev.nines.agent.json.JsonFields;
import dev.nines.agent.json.JsonReader;
import dev.nines.agent.json.JsonWriter;
import dev.nines.protocol.RoutingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing state the backend last asked this host to be in, with its reason and when it
 * changed, persisted (file {@value #FILE_NAME}, temp + fsync + rename) so that an agent restarted
 * while no backend answers keeps enforcing it. {@link RoutingState#ACTIVE} when nothing was ever
 * known (or the file is unreadable: logged).
 *
 * <p>Thread-safe. Listeners run on the thread that called {@link #update}, after the new value is
 * persisted and visible through {@link #current()}; a listener's exception is logged, not thrown.
 */
public final class DesiredState {
  /** Name of the state file in the directory. */
  public static final String FILE_NAME = "desired-state.json";

  private static final Logger log = LoggerFactory.getLogger(DesiredState.class);

  /**
   * One known desired state.
   *
   * @param state the routing state to enforce
   * @param reason why (operator's reason, policy rule), or null
   * @param changedAtMs when the backend changed it, epoch milliseconds; 0 when never known
   */
  public record Snapshot(RoutingState state, String reason, long changedAtMs) {
    public Snapshot {
      if (state == null) {
        throw new IllegalArgumentException("state is required");
      }
      if (changedAtMs < 0) {
        throw new IllegalArgumentException("changedAtMs must be >= 0 (was " + changedAtMs + ")");
      }
    }

    /** What an agent enforces before it ever heard from a backend. */
    public static final Snapshot INITIAL = new Snapshot(RoutingState.ACTIVE, null, 0);
  }

  private final Path file;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot current;

  private DesiredState(Path file, Snapshot initial) {
    this.file = file;
    this.current = initial;
  }

  /**
   * Opens the state kept in {@code dir} (created if needed).
   *
   * @throws UncheckedIOException when the directory cannot be created
   */
  public static DesiredState open(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(FILE_NAME + Durable.TEMP_SUFFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open desired state in " + dir, e);
    }
    Path file = dir.resolve(FILE_NAME);
    Snapshot initial = read(file);
    log.info("desired routing state on start: {} ({})", initial.state(),
        initial.reason() == null ? "no reason" : initial.reason());
    return new DesiredState(file, initial);
  }

  private static Snapshot read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Snapshot.INITIAL;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read desired state from {} ({}); assuming ACTIVE", file, e.toString());
      return Snapshot.INITIAL;
    }
  }

  /**
   * The state file's content: {@code {"state":..,"reason":..,"changedAtMs":..}}, unknown fields
   * ignored.
   *
   * @throws RuntimeException when it is not such an object
   */
  static Snapshot parse(byte[] json) {
    JsonFields f = JsonFields.of(JsonReader.parse(json), "desired state");
    return new Snapshot(
        f.enumValue("state", RoutingState.class), f.string("reason"), f.longValue("changedAtMs", 0));
  }

  /** The state file's content for {@code snapshot} (a null reason is written as null). */
  static byte[] format(Snapshot snapshot) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", snapshot.state().name());
    body.put("reason", snapshot.reason());
    body.put("changedAtMs", snapshot.changedAtMs());
    return JsonWriter.writeBytes(body);
  }

  /** The state to enforce now. */
  public Snapshot current() {
    return current;
  }

  /** Shorthand for {@code current().state()}. */
  public RoutingState state() {
    return current.state();
  }

  /**
   * Records what the backend answered. When anything differs from the current value it is
   * persisted first (a failure to persist is logged; the new value is still enforced), then the
   * listeners are told.
   *
   * @return true when the value changed
   */
  public boolean update(RoutingState state, String reason, long changedAtMs) {
    Snapshot next = new Snapshot(state, reason, changedAtMs);
    Snapshot previous;
    synchronized (this) {
      previous = current;
      if (previous.equals(next)) {
        return false;
      }
      try {
        Durable.write(file, format(next));
      } catch (IOException e) {
        log.error("cannot persist desired state {} to {}: {}", state, file, e.toString());
      }
      current = next;
    }
    if (previous.state() != next.state()) {
      log.info("desired routing state {} -> {} ({})", previous.state(), next.state(),
          reason == null ? "no reason" : reason);
    }
    for (Consumer<Snapshot> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.error("desired-state listener failed", e);
      }
    }
    return true;
  }

  /** Adds a listener told of every change (state, reason or change time). */
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Consumer<Snapshot> listener) {
    listeners.remove(listener);
  }
}
