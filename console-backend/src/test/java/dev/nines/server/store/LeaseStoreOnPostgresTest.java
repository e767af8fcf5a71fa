package dev.nines.server.store;

/** Every test of {@link LeaseStoreTest} again, on a real PostgreSQL. */
class LeaseStoreOnPostgresTest extends LeaseStoreTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
