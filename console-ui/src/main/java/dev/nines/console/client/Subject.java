package dev.nines.console.client;

/**
 * What a figure or report is about: one pool or one host.
 *
 * @param kind POOL or HOST
 * @param id its name
 */
public record Subject(Kind kind, String id) {
  /** A pool or a host. */
  public enum Kind { POOL, HOST }

  public Subject {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id is required");
    }
  }

  public static Subject pool(String name) {
    return new Subject(Kind.POOL, name);
  }

  public static Subject host(String id) {
    return new Subject(Kind.HOST, id);
  }

  /** The query parameter's name: {@code pool} or {@code host}. */
  String param() {
    return kind == Kind.POOL ? "pool" : "host";
  }
}
