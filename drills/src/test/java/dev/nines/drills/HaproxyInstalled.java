package dev.nines.drills;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Drills need a real HAProxy: CI must have one; a workstation without it skips them. */
final class HaproxyInstalled {
  private HaproxyInstalled() {}

  /** Fails when {@code CI} is set and HAProxy is missing; skips the test when only HAProxy is missing. */
  static void require() {
    if (Haproxy.installed()) {
      return;
    }
    if (System.getenv("CI") != null) {
      Assertions.fail("haproxy is not on the PATH, and CI is set: CI must install it (apt-get install haproxy)");
    }
    Assumptions.abort("haproxy is not on the PATH (apt-get install haproxy); drill skipped outside CI");
  }
}
