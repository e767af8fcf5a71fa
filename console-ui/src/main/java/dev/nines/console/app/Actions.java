package dev.nines.console.app;

/**
 * The one-click operator actions, each behind a confirmation dialog that shows the impact from the
 * server's dry run (members left active, the guard's verdict), asks a reason for {@code force},
 * and follows the result live (DRAINING -> DRAINED). Views call these; they never call the client's
 * action methods themselves. For a viewer token every action is disabled with
 * {@link dev.nines.console.client.WhoAmI#whyNotOperate()}.
 */
public interface Actions {
  void drain(String hostId);

  void undrain(String hostId);

  void maintenance(String hostId);

  void failover(String pool);
}
