package dev.nines.server.actuate;

/**
 * One server's line of HAProxy's {@code show servers state}.
 *
 * @param backend the backend's name ({@code be_name})
 * @param server the server's name ({@code srv_name})
 * @param admin the administrative state read from the {@code srv_admin_state} bits
 * @param up whether the server is operationally up ({@code srv_op_state} starting, running or
 *     stopping; a server in maintenance is not up)
 * @param adminBits the raw {@code srv_admin_state} mask, for logs
 * @param opState the raw {@code srv_op_state}: 0 stopped, 1 starting, 2 running, 3 stopping
 */
public record ServerState(
    String backend, String server, AdminState admin, boolean up, int adminBits, int opState) {
  /** Forced maintenance: {@code set server ... state maint} or {@code disable server}. */
  public static final int FMAINT = 0x01;
  /** Maintenance inherited from a tracked server. */
  public static final int IMAINT = 0x02;
  /**
   * Declared {@code disabled} in the configuration. HAProxy 2.6 keeps this bit after {@code set
   * server ... state ready} while the server runs again (checked on the real one), so it is a
   * marker, not part of the maintenance mask.
   */
  public static final int CMAINT = 0x04;
  /** Forced drain: {@code set server ... state drain}. */
  public static final int FDRAIN = 0x08;
  /** Drain inherited from a tracked server. */
  public static final int IDRAIN = 0x10;
  /** Maintenance because the server's address could not be resolved. */
  public static final int RMAINT = 0x20;
  /** Bits that mean "in maintenance" (HAProxy's own mask, SRV_ADMF_MAINT = 0x23). */
  public static final int MAINT_MASK = FMAINT | IMAINT | RMAINT;
  /** Bits that mean "draining" (SRV_ADMF_DRAIN = 0x18). */
  public static final int DRAIN_MASK = FDRAIN | IDRAIN;

  public ServerState {
    if (backend == null || backend.isBlank()) {
      throw new IllegalArgumentException("backend must not be blank");
    }
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("server must not be blank");
    }
    if (admin == null) {
      throw new IllegalArgumentException("admin must not be null");
    }
  }

  /** MAINT if any maintenance bit is set, else DRAIN if a drain bit is set, else READY. */
  public static AdminState adminState(int bits) {
    if ((bits & MAINT_MASK) != 0) {
      return AdminState.MAINT;
    }
    if ((bits & DRAIN_MASK) != 0) {
      return AdminState.DRAIN;
    }
    return AdminState.READY;
  }
}
