package dev.nines.server.store;

/** Every test of {@link HealthStoreTest} again, on a real PostgreSQL. */
class HealthStoreOnPostgresTest extends HealthStoreTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
