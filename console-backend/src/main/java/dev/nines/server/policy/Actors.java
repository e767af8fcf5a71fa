package dev.nines.server.policy;

/**
 * Who set a host's routing state, as {@link Member#routingBy()} carries it. The policy tells its own
 * changes from everyone else's by these names: it undrains and releases only what it did itself.
 */
public final class Actors {
  /** An automatic drain, undrain or failover. */
  public static final String POLICY = "policy";

  /** A GPU-fault quarantine (MAINTENANCE that the policy may release when configured to). */
  public static final String QUARANTINE = "policy:quarantine";

  /** The server itself (a new host, a standby side at start-up): neither an operator nor the policy. */
  public static final String SYSTEM = "system";

  /** Operators are named {@code operator:<token name>}. */
  public static final String OPERATOR_PREFIX = "operator:";

  private Actors() {}

  /** The actor name of an operator. */
  public static String operator(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    return OPERATOR_PREFIX + name;
  }

  /** True for the policy's own names ({@code policy}, {@code policy:...}). */
  public static boolean isPolicy(String actor) {
    return actor != null && (actor.equals(POLICY) || actor.startsWith(POLICY + ":"));
  }

  /**
   * True for anyone who is neither the policy nor the system: an operator, or any other person or tool
   * that the policy must not overrule.
   */
  public static boolean isOperator(String actor) {
    return actor != null && !isPolicy(actor) && !actor.equals(SYSTEM);
  }
}
