package dev.nines.server.store;

/** Every test of {@link GroupCommitWriterTest} again, on a real PostgreSQL. */
class GroupCommitWriterOnPostgresTest extends GroupCommitWriterTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
