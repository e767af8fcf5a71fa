package dev.nines.console.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend replicas a console knows (one or more base URLs, in the order given) and the one it
 * talks to now. {@link BackendClient} and the {@link EventStream} made from it share one instance,
 * so the status bar's "replica" is both the one the calls go to and the one the stream reads.
 * Thread-safe: a failure moves past the replica that failed only if it is still the current one,
 * so two threads that see the same replica fail do not skip the next one.
 */
final class Replicas {
  private final List<URI> servers;
  private final AtomicInteger current = new AtomicInteger();

  /** @param servers one or more base URLs (normalised, duplicates dropped, order kept) */
  Replicas(List<URI> servers) {
    Objects.requireNonNull(servers, "servers");
    LinkedHashSet<URI> distinct = new LinkedHashSet<>();
    for (URI s : servers) {
      distinct.add(BackendClient.normalise(s));
    }
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException("servers must name at least one server URL");
    }
    this.servers = List.copyOf(new ArrayList<>(distinct));
  }

  /** Every replica, in the order given. */
  List<URI> all() {
    return servers;
  }

  int size() {
    return servers.size();
  }

  /** The replica to talk to now. */
  URI current() {
    return servers.get(current.get());
  }

  /**
   * {@code failed} could not serve a call: the next replica (in turn, wrapping around) becomes the
   * current one, unless another thread moved on already. Answers the current replica after.
   */
  URI moveOn(URI failed) {
    while (true) {
      int i = current.get();
      if (!servers.get(i).equals(failed)) {
        return servers.get(i);
      }
      int next = (i + 1) % servers.size();
      if (current.compareAndSet(i, next)) {
        return servers.get(next);
      }
    }
  }

  /** The list as the user writes it: {@code http://a:7070,http://b:7070}. */
  @Override
  public String toString() {
    return String.join(",", servers.stream().map(URI::toString).toList());
  }
}
