package dev.nines.server.store;

/** Every test of {@link SampleStoreTest} again, on a real PostgreSQL. */
class SampleStoreOnPostgresTest extends SampleStoreTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
