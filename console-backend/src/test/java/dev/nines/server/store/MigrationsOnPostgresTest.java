package dev.nines.server.store;

/** Every test of {@link MigrationsTest} again, on a real PostgreSQL. */
class MigrationsOnPostgresTest extends MigrationsTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
