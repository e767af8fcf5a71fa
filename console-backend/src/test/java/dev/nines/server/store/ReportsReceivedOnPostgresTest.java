package dev.nines.server.store;

/** {@link ReportsReceivedTest} on PostgreSQL. */
class ReportsReceivedOnPostgresTest extends ReportsReceivedTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
