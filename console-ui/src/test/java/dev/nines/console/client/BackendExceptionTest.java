package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.console.client.BackendException.Kind;
import org.junit.jupiter.api.Test;

class BackendExceptionTest {
  @Test
  void statusesMapToKinds() {
    assertThat(BackendException.kindOf(200)).isNull();
    assertThat(BackendException.kindOf(202)).isNull();
    assertThat(BackendException.kindOf(400)).isEqualTo(Kind.BAD_REQUEST);
    assertThat(BackendException.kindOf(401)).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(BackendException.kindOf(403)).isEqualTo(Kind.FORBIDDEN);
    assertThat(BackendException.kindOf(404)).isEqualTo(Kind.NOT_FOUND);
    assertThat(BackendException.kindOf(409)).isEqualTo(Kind.CONFLICT);
    assertThat(BackendException.kindOf(413)).isEqualTo(Kind.BAD_REQUEST);
    assertThat(BackendException.kindOf(500)).isEqualTo(Kind.SERVER);
    assertThat(BackendException.kindOf(503)).isEqualTo(Kind.SERVER);
  }

  @Test
  void operatorMessagesAreOneLineWithTheServersWords() {
    BackendException busy = BackendException.ofStatus(503, "storage unavailable", "retry later", "list the hosts");
    assertThat(busy.operatorMessage())
        .isEqualTo("The server failed (503) while trying to list the hosts: storage unavailable (retry later); retry in a moment");
    assertThat(busy.error()).isEqualTo("storage unavailable");
    BackendException forbidden = BackendException.ofStatus(403, "forbidden", "role viewer may not do this", "drain h1");
    assertThat(forbidden.operatorMessage()).isEqualTo("This token's role may not drain h1 (403): forbidden (role viewer may not do this)");
    assertThat(BackendException.ofStatus(409, null, null, "x").operatorMessage()).isEqualTo("Refused in the current state (409)");
    assertThat(busy.operatorMessage()).doesNotContain("\n");
  }
}
