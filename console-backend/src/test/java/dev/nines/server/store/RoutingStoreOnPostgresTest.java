package dev.nines.server.store;

/** Every test of {@link RoutingStoreTest} again, on a real PostgreSQL. */
class RoutingStoreOnPostgresTest extends RoutingStoreTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
