package dev.nines.server.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Address syntax, pure parsing of real HAProxy 2.6 answers, and I/O failures (no HAProxy needed). */
class HaproxyRuntimeTest {
  /** {@code show servers state llm} from HAProxy 2.6.12 with s1 in drain and s2 in maint. */
  static final String SERVERS_STATE =
      "1\n"
          + "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
          + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result"
          + " srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id"
          + " srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr"
          + " srv_agent_port\n"
          + "3 llm 1 s1 127.0.0.1 2 8 1 1 1 1 0 2 0 0 0 0 - 18081 - 0 0 - - 0\n"
          + "3 llm 2 s2 127.0.0.1 0 1 1 1 1 1 0 0 0 0 0 0 - 18082 - 0 0 - - 0\n"
          + "3 llm 3 s3 127.0.0.1 2 0 1 1 5 1 0 2 0 0 0 0 - 18083 - 0 0 - - 0\n"
          + "\n";

  /** {@code show stat llm 4 -1} from HAProxy 2.6.12 (header cut after the columns we read). */
  static final String STAT =
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,"
          + "wredis,status,weight,act,bck\n"
          + "llm,s1,0,0,1,1,,3,0,0,,0,,0,0,0,0,DRAIN,1,1,0\n"
          + "llm,s2,2,2,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0\n"
          + "llm,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,,1,0\n"
          + "llm,BACKEND,0,0,1,1,999,0,0,0,0,0,,0,0,0,0,UP,2,2,0\n"
          + "\n";

  @Test
  void acceptsUnixAndTcpAddressSyntaxes() {
    assertThat(new HaproxyRuntime("unix:/run/haproxy/admin.sock").address())
        .isEqualTo("unix:/run/haproxy/admin.sock");
    assertThat(new HaproxyRuntime("/run/haproxy/admin.sock").address())
        .isEqualTo("unix:/run/haproxy/admin.sock");
    assertThat(new HaproxyRuntime("tcp:127.0.0.1:9999").address()).isEqualTo("tcp:127.0.0.1:9999");
    assertThat(new HaproxyRuntime("127.0.0.1:9999").address()).isEqualTo("tcp:127.0.0.1:9999");
    assertThat(new HaproxyRuntime("[::1]:9999").address()).isEqualTo("tcp:[::1]:9999");
  }

  @Test
  void refusesAddressesItCannotRead() {
    for (String bad : List.of("", "unix:", "tcp:127.0.0.1", "127.0.0.1:", "host:port", "h:0", "h:70000")) {
      assertThatThrownBy(() -> new HaproxyRuntime(bad), bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("address");
    }
    assertThatThrownBy(() -> new HaproxyRuntime("/x", Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void readsAdminStateAndUpFromServersStateBits() throws Exception {
    List<ServerState> states = HaproxyRuntime.parseServersState(SERVERS_STATE);

    assertThat(states)
        .extracting(ServerState::server, ServerState::admin, ServerState::up, ServerState::adminBits)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s1", AdminState.DRAIN, true, 8),
            org.assertj.core.groups.Tuple.tuple("s2", AdminState.MAINT, false, 1),
            org.assertj.core.groups.Tuple.tuple("s3", AdminState.READY, true, 0));
    assertThat(states).allMatch(s -> s.backend().equals("llm"));
  }

  @Test
  void mapsEachAdminBitAsHaproxyDoes() {
    assertThat(ServerState.adminState(0x00)).isEqualTo(AdminState.READY);
    assertThat(ServerState.adminState(0x01)).isEqualTo(AdminState.MAINT); // FMAINT
    assertThat(ServerState.adminState(0x02)).isEqualTo(AdminState.MAINT); // IMAINT
    assertThat(ServerState.adminState(0x04)).isEqualTo(AdminState.READY); // CMAINT left after ready
    assertThat(ServerState.adminState(0x05)).isEqualTo(AdminState.MAINT); // "disabled" in config
    assertThat(ServerState.adminState(0x08)).isEqualTo(AdminState.DRAIN); // FDRAIN
    assertThat(ServerState.adminState(0x10)).isEqualTo(AdminState.DRAIN); // IDRAIN
    assertThat(ServerState.adminState(0x20)).isEqualTo(AdminState.MAINT); // RMAINT
    assertThat(ServerState.adminState(0x40)).isEqualTo(AdminState.READY); // HMAINT: fqdn set
    assertThat(ServerState.adminState(0x09)).isEqualTo(AdminState.MAINT); // maint wins over drain
  }

  @Test
  void findsServersStateFieldsByHeaderNameNotPosition() throws Exception {
    String reordered = "1\n# srv_name srv_admin_state be_name srv_op_state extra\ns9 8 pool-b 2 x\n";

    assertThat(HaproxyRuntime.parseServersState(reordered))
        .containsExactly(new ServerState("pool-b", "s9", AdminState.DRAIN, true, 8, 2));
  }

  @Test
  void turnsAnHaproxyRefusalOfShowServersStateIntoItsOwnWords() {
    assertThatThrownBy(() -> HaproxyRuntime.parseServersState("Can't find backend.\n\n"))
        .isInstanceOf(ActuatorException.class)
        .hasMessage("Can't find backend.");
    assertThatThrownBy(() -> HaproxyRuntime.parseServersState("1\n3 llm 1 s1\n"))
        .hasMessageContaining("no header");
    assertThatThrownBy(() -> HaproxyRuntime.parseServersState("1\n# be_name srv_name\nllm s1\n"))
        .hasMessageContaining("srv_op_state");
  }

  @Test
  void readsSessionsAndQueueOfTheBackendsServersFromShowStat() throws Exception {
    Map<String, ServerStat> stats = HaproxyRuntime.parseStat(STAT, "llm");

    assertThat(stats.keySet()).containsExactly("s1", "s2", "s3");
    assertThat(stats.get("s1"))
        .isEqualTo(new ServerStat("llm", "s1", 1, 0, "DRAIN", OptionalInt.of(1)));
    assertThat(stats.get("s2").inFlight()).isEqualTo(2);
    assertThat(stats.get("s3").status()).isEqualTo("no check");
    assertThat(stats.get("s3").weight()).isEmpty();
    assertThat(HaproxyRuntime.parseStat(STAT, "other")).isEmpty();
  }

  @Test
  void turnsAnHaproxyRefusalOfShowStatIntoItsOwnWords() {
    assertThatThrownBy(() -> HaproxyRuntime.parseStat("No such proxy.\n\n", "nope"))
        .isInstanceOf(ActuatorException.class)
        .hasMessage("No such proxy.");
  }

  @Test
  void splitsQuotedCsvCells() {
    assertThat(HaproxyRuntime.splitCsv("a,\"b,c\",\"say \"\"hi\"\"\",,e"))
        .containsExactly("a", "b,c", "say \"hi\"", "", "e");
  }

  @Test
  void refusesNamesThatCouldSmuggleASecondCommand() {
    HaproxyRuntime runtime = new HaproxyRuntime("tcp:127.0.0.1:1");
    assertThatThrownBy(() -> runtime.setServerState("llm", "s1;shutdown sessions", AdminState.DRAIN))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("not a valid HAProxy name");
    assertThatThrownBy(() -> runtime.showServersState("llm x"))
        .hasMessageContaining("not a valid HAProxy name");
    assertThatThrownBy(() -> runtime.command("show info\nshow stat"))
        .hasMessageContaining("one non-blank line");
  }

  @Test
  void reportsAMissingUnixSocketWithItsAddress(@TempDir Path dir) {
    HaproxyRuntime runtime = new HaproxyRuntime(dir.resolve("absent.sock").toString());

    assertThatThrownBy(() -> runtime.command("show info"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("unix:" + dir.resolve("absent.sock"))
        .hasMessageContaining("show info");
  }

  @Test
  void reportsARefusedTcpConnection() throws Exception {
    int port = HaproxyProcess.freePort();
    HaproxyRuntime runtime = new HaproxyRuntime("127.0.0.1:" + port);

    assertThatThrownBy(() -> runtime.command("show info"))
        .isInstanceOf(ActuatorException.class)
        .hasMessageContaining("tcp:127.0.0.1:" + port)
        .hasMessageContaining("Connect");
  }

  @Test
  void givesUpOnAPeerThatNeverAnswers() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  done.await(10, TimeUnit.SECONDS); // holds the connection open, silent
                } catch (IOException | InterruptedException e) {
                  // the test is over
                }
              });
      acceptor.start();
      HaproxyRuntime runtime =
          new HaproxyRuntime(
              "127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(2), Duration.ofMillis(200));
      long start = System.nanoTime();

      assertThatThrownBy(() -> runtime.command("show info"))
          .isInstanceOf(ActuatorException.class)
          .hasMessageContaining("no answer within 200 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      done.countDown();
      acceptor.join(5000);
    }
  }
}
