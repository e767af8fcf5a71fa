package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.SqliteStore;
import dev.nines.server.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {
  private static final Pattern CREATED = Pattern.compile("token (tok_[0-9a-f]+) .*\\n  (nines_\\S+)\\n");
  @TempDir Path dir;
  String db;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void database() {
    db = dir.resolve("nines.db").toString();
    SqliteStore.open("jdbc:sqlite:" + db, MigrationsClock.CLOCK).close();
  }

  /** Runs {@code nines server ...} in-process, like the launcher does. */
  int run(Map<String, String> env, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = new CommandLine(new ServerCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // What the launcher's EnvDefaults does: --db is read from NINES_DB when not given.
    cl.setDefaultValueProvider(
        arg -> arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--db") ? env.get("NINES_DB") : null);
    return cl.execute(args);
  }

  int run(String... args) {
    return run(Map.of(), args);
  }

  String[] created(String role, String name) {
    assertThat(run("token", "create", "--role", role, "--name", name, "--db", db)).as(err.toString()).isZero();
    Matcher m = CREATED.matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    return new String[] {m.group(1), m.group(2)};
  }

  List<AuditRecord> audit() {
    try (Store s = SqliteStore.open("jdbc:sqlite:" + db, MigrationsClock.CLOCK)) {
      return s.audit(new AuditQuery(null, null, null, null, null, 100));
    }
  }

  @Test
  void createPrintsTheTokenOnceAndListShowsItWithoutTheSecret() {
    String[] t = created("viewer", "grafana board");
    assertThat(out.toString()).contains("shown only once");

    assertThat(run("token", "list", "--db", db)).isZero();

    String table = out.toString();
    assertThat(table.lines().findFirst()).hasValueSatisfying(h -> assertThat(h).contains("ID", "NAME", "ROLE", "CREATED", "REVOKED"));
    assertThat(table).contains(t[0], "grafana board", "viewer").doesNotContain(t[1]);
    assertThat(audit()).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("token.create");
      assertThat(a.actor()).isEqualTo("cli:" + System.getProperty("user.name"));
    });
  }

  @Test
  void revokeSaysWhatItDidAndIsIdempotent() {
    String[] t = created("agent", "gpu-node-01");

    assertThat(run("token", "revoke", t[0], "--db", db)).isZero();
    assertThat(out.toString()).contains("Revoked agent token " + t[0]);
    assertThat(run("token", "revoke", t[0], "--db", db)).isZero();
    assertThat(out.toString()).contains("already revoked").contains("nothing changed");
    assertThat(run("token", "list", "--db", db)).isZero();
    assertThat(out.toString().lines().filter(l -> l.startsWith(t[0])).findFirst().orElseThrow()).doesNotEndWith(" -");
    assertThat(audit()).extracting(AuditRecord::action).containsExactly("token.revoke", "token.create");
  }

  @Test
  void theLastAdminTokenIsRefusedWithAClearMessage() {
    String[] admin = created("admin", "only admin");

    assertThat(run("token", "revoke", admin[0], "--db", db)).isEqualTo(2);
    assertThat(err.toString()).contains("last valid admin token").doesNotContain("\tat ");
  }

  @Test
  void mistakesAreOneLineAndExitCodeTwo() {
    assertThat(run("token", "create", "--role", "root", "--name", "x", "--db", db)).isEqualTo(2);
    assertThat(err.toString()).contains("role must be one of agent, viewer, operator, admin").doesNotContain("\tat ");

    assertThat(run("token", "revoke", "tok_nosuchtoken", "--db", db)).isEqualTo(2);
    assertThat(err.toString()).contains("no token with id 'tok_nosuchtoken'").doesNotContain("\tat ");

    String missing = dir.resolve("elsewhere/none.db").toString();
    assertThat(run("token", "list", "--db", missing)).isEqualTo(2);
    assertThat(err.toString()).contains("no database at").contains("none.db").doesNotContain("\tat ");
    assertThat(dir.resolve("elsewhere")).doesNotExist();

    assertThat(run("token", "list", "--db", "jdbc:mysql://db/nines")).isEqualTo(2);
    assertThat(err.toString()).contains("mysql is not supported yet");

    assertThat(run("token")).isEqualTo(2);
    assertThat(err.toString()).contains("create", "list", "revoke");
  }

  @Test
  void theDatabaseComesFromNinesDbWhenNotGiven() {
    assertThat(run(Map.of("NINES_DB", db), "token", "create", "--role", "operator", "--name", "ops")).isZero();
    assertThat(run(Map.of("NINES_DB", db), "token", "list")).isZero();
    assertThat(out.toString()).contains("ops", "operator");
  }

  @Test
  void helpDocumentsTheSubcommandsAndTheirDbDefault() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("token");
    assertThat(run("token", "revoke", "--help")).isZero();
    assertThat(out.toString()).contains("--db", "nines-data/nines.db", "ID");
  }

  @Test
  void aRevocationFromTheCliReachesARunningServerWithinTheCacheTtl() {
    MovableClock clock = new MovableClock(Fixtures.T0);
    try (NinesServer server =
        NinesServer.start(new ServerSettings("127.0.0.1", 0, db, null, Fixtures.ADMIN), clock, null)) {
      Fixtures.Api api = new Fixtures.Api(server);
      String viewer = server.createToken("viewer", "dashboard");
      assertThat(api.get("/api/v1/hosts", viewer).statusCode()).isEqualTo(200); // cached by the server
      assertThat(run("token", "list", "--db", db)).isZero();
      String id = out.toString().lines().filter(l -> l.contains("dashboard")).findFirst().orElseThrow().split(" ")[0];

      assertThat(run("token", "revoke", id, "--db", db)).as(err.toString()).isZero();

      clock.advance(Duration.ofMillis(4_999));
      assertThat(api.get("/api/v1/hosts", viewer).statusCode()).as("within the documented staleness").isEqualTo(200);
      clock.advance(Duration.ofMillis(1));
      assertThat(api.get("/api/v1/hosts", viewer).statusCode()).isEqualTo(401);
    }
  }

  /** A fixed clock for opening databases in this test. */
  static final class MigrationsClock {
    static final java.time.Clock CLOCK = new MovableClock(Fixtures.T0);
  }
}
