package dev.nines.server.incident;

/** At most one incident is open per key: a host id or a pool name, with its kind. */
public record IncidentKey(IncidentKind kind, String subject) {
  public IncidentKey {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject is required");
    }
  }

  public static IncidentKey host(String hostId) {
    return new IncidentKey(IncidentKind.HOST, hostId);
  }

  public static IncidentKey pool(String pool) {
    return new IncidentKey(IncidentKind.POOL, pool);
  }
}
