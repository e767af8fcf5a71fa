package dev.nines.server.store;

/** Every test of {@link LatestReportStoreTest} again, on a real PostgreSQL. */
class LatestReportStoreOnPostgresTest extends LatestReportStoreTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
