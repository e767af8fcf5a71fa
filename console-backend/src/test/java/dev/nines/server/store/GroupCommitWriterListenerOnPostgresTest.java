package dev.nines.server.store;

/** Every test of {@link GroupCommitWriterListenerTest} again, on a real PostgreSQL. */
class GroupCommitWriterListenerOnPostgresTest extends GroupCommitWriterListenerTest {
  @Override
  protected boolean postgres() {
    return true;
  }
}
