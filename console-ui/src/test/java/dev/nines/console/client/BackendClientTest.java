package dev.nines.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client call against a real backend on an ephemeral port, fed by reports posted as an agent. */
class BackendClientTest {
  @TempDir static Path dir;
  static LiveBackend backend;
  static BackendClient viewer;
  static BackendClient operator;

  @BeforeAll
  static void start() {
    backend = new LiveBackend(dir);
    viewer = backend.client(backend.token("viewer", "wall-screen"));
    operator = backend.client(backend.token("operator", "alice"));
    for (String h : List.of("chat-1", "chat-2", "chat-3")) {
      assertThat(backend.report(h, "chat", 55.0)).isEqualTo(200);
    }
    assertThat(backend.report("guard-1", "guarded", 55.0)).isEqualTo(200);
    assertThat(backend.report("guard-2", "guarded", 55.0)).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(backend.report("hot-1", "gpu", 99.0)).isEqualTo(200);
    }
    await().atMost(20, TimeUnit.SECONDS).until(
        () -> viewer.hosts().stream().allMatch(h -> !"UNKNOWN".equals(h.health().state())));
  }

  @AfterAll
  static void stop() {
    viewer.close();
    operator.close();
    backend.close();
  }

  @Test
  void whoAmITellsTheTokensNameAndRoleAndWhyAViewerMayNotAct() {
    WhoAmI v = viewer.whoAmI();
    assertThat(v.name()).isEqualTo("wall-screen");
    assertThat(v.role()).isEqualTo(WhoAmI.Role.VIEWER);
    assertThat(v.mayOperate()).isFalse();
    assertThat(v.whyNotOperate()).get().asString().contains("'wall-screen' is a viewer", "operator or admin");
    WhoAmI o = operator.whoAmI();
    assertThat(o.role()).isEqualTo(WhoAmI.Role.OPERATOR);
    assertThat(o.whyNotOperate()).isEmpty();
  }

  @Test
  void hostsAndOneHostCarryHealthRoutingSummaryAndTheLatestSections() {
    List<Host> hosts = viewer.hosts();
    assertThat(hosts).extracting(Host::id).contains("chat-1", "chat-2", "chat-3", "guard-1", "hot-1");
    Host h = viewer.host("chat-3");
    assertThat(h.pool()).isEqualTo("chat");
    assertThat(h.labels()).containsEntry("pool", "chat");
    assertThat(h.health().state()).isEqualTo("HEALTHY");
    assertThat(h.routing().state()).isEqualTo("ACTIVE");
    assertThat(h.summary().cpuUtilRatio()).isEqualTo(0.42);
    assertThat(h.summary().gpus().count()).isEqualTo(1);
    assertThat(h.summary().gpus().maxTemperatureC()).isEqualTo(55.0);
    assertThat(h.summary().endpoints()).singleElement().satisfies(e -> {
      assertThat(e.latencyP95Ms()).isEqualTo(120.0);
      assertThat(e.errorRatio()).isEqualTo(0.01);
    });
    assertThat(h.host().cpuCount()).isEqualTo(32);
    assertThat(h.gpu().gpus()).singleElement().extracting(g -> g.name()).isEqualTo("H200");
    assertThat(h.endpoints()).hasSize(1);
    assertThat(viewer.host("hot-1").health().state()).isEqualTo("UNHEALTHY");
  }

  @Test
  void anUnknownHostIsNotFoundWithTheServersWords() {
    assertThatThrownBy(() -> viewer.host("no-such-host"))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND);
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.error()).isNotBlank();
          assertThat(e.detail()).contains("no-such-host");
          assertThat(e.operatorMessage()).contains("404", "no-such-host");
        });
  }

  @Test
  void healthHistoryAndMetricsSeriesOfAHost() {
    Instant now = Instant.now();
    HealthHistory hh = viewer.hostHealth("hot-1", now.minus(Duration.ofHours(1)), now.plusSeconds(1));
    assertThat(hh.hostId()).isEqualTo("hot-1");
    assertThat(hh.intervals()).isNotEmpty();
    HealthHistory.Interval last = hh.intervals().get(hh.intervals().size() - 1);
    assertThat(last.state()).isEqualTo("UNHEALTHY");
    assertThat(last.to()).isNull();
    assertThat(last.reason()).isNotBlank();

    RoutingHistory rh = viewer.hostRouting("hot-1", now.minus(Duration.ofHours(1)), now.plusSeconds(1));
    assertThat(rh.hostId()).isEqualTo("hot-1");
    assertThat(rh.intervals()).first().satisfies(i -> {
      assertThat(i.state()).isEqualTo("ACTIVE");
      assertThat(i.changedBy()).isEqualTo("system");
    });

    HostMetricsSeries m = viewer.hostMetrics("chat-1", now.minus(Duration.ofMinutes(15)), now.plusSeconds(5), Duration.ofSeconds(10));
    assertThat(m.host()).isEqualTo("chat-1");
    assertThat(m.step()).isEqualTo(10_000);
    assertThat(m.source()).isEqualTo("raw");
    assertThat(m.series()).isNotEmpty();
    HostMetricsSeries.Series cpu = m.series().stream().filter(s -> s.metric().equals("host_cpu_util_ratio")).findFirst().orElseThrow();
    assertThat(cpu.isCount()).isFalse();
    assertThat(cpu.points()).anySatisfy(p -> assertThat(p.get(1)).isEqualTo(0.42));

    HostMetricsSeries one = viewer.hostMetrics("chat-1", null, null, null, cpu.metric());
    assertThat(one.series()).isNotEmpty().allSatisfy(s -> assertThat(s.metric()).isEqualTo(cpu.metric()));
    assertThat(m.of("gpu_temperature_celsius")).singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("gpu", "0"));
    assertThat(m.of("endpoint_requests")).singleElement().satisfies(s -> assertThat(s.isCount()).isTrue());
    assertThatThrownBy(() -> viewer.hostMetrics("chat-1", null, null, null, "no_such_metric"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST));
  }

  @Test
  void poolsPoolRoutingAndAvailability() {
    List<Pool> pools = viewer.pools();
    assertThat(pools).extracting(Pool::name).contains("chat", "gpu", "guarded");
    Pool chat = viewer.pool("chat");
    assertThat(chat.memberCount()).isEqualTo(3);
    assertThat(chat.members()).extracting(Pool.Member::id).containsExactlyInAnyOrder("chat-1", "chat-2", "chat-3");
    assertThat(chat.guard().required()).isEqualTo(2);
    assertThat(chat.slo().target()).isEqualTo(0.999);
    assertThat(chat.slo().burnRates()).containsKey("1h");
    assertThat(chat.slo().conditions()).isNotEmpty();
    assertThat(chat.availability()).containsKeys("1h", "1d", "30d");

    PoolRouting r = viewer.poolRouting("chat");
    assertThat(r.pool()).isEqualTo("chat");
    assertThat(r.autoDrain()).isTrue();
    assertThat(r.drainTimeoutMs()).isEqualTo(120_000L);
    assertThat(r.raw().has("actuators")).isTrue();

    Instant now = Instant.now();
    Availability a = viewer.availability(Subject.pool("chat"), now.minus(Duration.ofHours(1)), now);
    assertThat(a.kind()).isEqualTo("pool");
    assertThat(a.id()).isEqualTo("chat");
    Availability hot = viewer.availability(Subject.host("hot-1"), null, null);
    assertThat(hot.kind()).isEqualTo("host");
    assertThat(hot.downMs()).isGreaterThanOrEqualTo(0);
    assertThatThrownBy(() -> viewer.pool("nope"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
  }

  @Test
  void incidentsPageAndOneIncidentWithItsTimeline() {
    await().atMost(20, TimeUnit.SECONDS).until(
        () -> viewer.incidents(new Incident.Filter("open", "host", "hot-1", null), null).items().size() == 1);
    Page<Incident> page = viewer.incidents(new Incident.Filter("open", "host", "hot-1", null), null);
    Incident i = page.items().get(0);
    assertThat(i.isOpen()).isTrue();
    assertThat(i.subject()).isEqualTo("hot-1");
    assertThat(i.timeline()).isEmpty();
    assertThat(page.hasMore()).isFalse();
    Incident full = viewer.incident(i.id());
    assertThat(full.timeline()).extracting(Incident.Entry::type).contains("opened");
    assertThat(full.cause()).isNotNull();

    Page<Incident> first = viewer.incidents(new Incident.Filter("all", null, null, 1), null);
    assertThat(first.items()).hasSize(1);
    if (first.hasMore()) {
      Page<Incident> second = viewer.incidents(new Incident.Filter("all", null, null, 1), first.nextCursor());
      assertThat(second.items()).hasSize(1).doesNotContain(first.items().get(0));
    }
  }

  @Test
  void alertsAckAndSilencesCreateListAndExpire() {
    Page<Alert> alerts = viewer.alerts(Alert.Filter.ALL, null);
    assertThat(alerts.items()).allSatisfy(a -> assertThat(a.fingerprint()).isNotBlank());
    assertThatThrownBy(() -> operator.ack("no-such-fingerprint", "looking"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> viewer.ack("no-such-fingerprint", "looking"))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.kind()).isEqualTo(BackendException.Kind.FORBIDDEN);
          assertThat(e.operatorMessage()).contains("403", "acknowledge");
        });

    Silence s = operator.createSilence(List.of("pool=gpu", "alertname=~host-.*"), "replacing the GPU", Duration.ofHours(2));
    assertThat(s.id()).isNotBlank();
    assertThat(s.author()).isEqualTo("alice");
    assertThat(s.matchers()).hasSize(2);
    assertThat(s.endsAt() - s.startsAt()).isEqualTo(Duration.ofHours(2).toMillis());
    assertThat(viewer.silences().items()).extracting(Silence::id).contains(s.id());
    Silence expired = operator.expireSilence(s.id());
    assertThat(expired.id()).isEqualTo(s.id());
    assertThat(expired.endsAt()).isLessThanOrEqualTo(System.currentTimeMillis());
    assertThatThrownBy(() -> operator.createSilence(List.of("not a matcher"), "x", Duration.ofHours(1)))
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
          assertThat(e.detail()).contains("matchers[0]");
        });
  }

  @Test
  void theAuditLogIsForOperatorsAndShowsTheirActions() {
    operator.createSilence(List.of("pool=chat"), "audited", Duration.ofMinutes(5));
    Page<AuditEntry> audit = operator.audit(null);
    assertThat(audit.items()).anySatisfy(a -> {
      assertThat(a.action()).isEqualTo("silence.create");
      assertThat(a.actorName()).isEqualTo("alice");
      assertThat(a.detail().path("comment").asText()).isEqualTo("audited");
    });
    assertThatThrownBy(() -> viewer.audit(null))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.FORBIDDEN));
  }

  @Test
  void aDrainDryRunShowsThePlanThenARealDrainChangesTheHostAndTheGuardRefusalIsAResult() {
    ActionOutcome dry = operator.drain("guard-1", "kernel upgrade", Duration.ofSeconds(30), false, true);
    assertThat(dry.refused()).isFalse();
    assertThat(dry.status()).isEqualTo(200);
    assertThat(dry.changed()).isFalse();
    assertThat(dry.plan().dryRun()).isTrue();
    assertThat(dry.plan().from()).isEqualTo("ACTIVE");
    assertThat(dry.plan().to()).isEqualTo("DRAINING");
    assertThat(dry.plan().guard().allowed()).isTrue();
    assertThat(dry.plan().guard().activeAfter()).isEqualTo(dry.plan().guard().activeNow() - 1);
    assertThat(dry.plan().steps()).isNotEmpty();
    assertThat(dry.plan().timeoutMs()).isEqualTo(30_000L);
    assertThat(viewer.host("guard-1").routing().state()).isEqualTo("ACTIVE");

    ActionOutcome real = operator.drain("guard-1", "kernel upgrade", Duration.ofSeconds(30), false, false);
    assertThat(real.status()).isEqualTo(202);
    assertThat(real.changed()).isTrue();
    assertThat(viewer.host("guard-1").routing().state()).isIn("DRAINING", "DRAINED");
    assertThat(viewer.host("guard-1").routing().changedBy()).contains("alice");

    ActionOutcome refused = operator.drain("guard-2", "also this one", null, false, false);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.refusal()).contains("guard");
    assertThat(refused.changed()).isFalse();
    assertThat(refused.plan().guard().allowed()).isFalse();
    assertThat(refused.plan().guard().reason()).isNotBlank();
    assertThat(viewer.host("guard-2").routing().state()).isEqualTo("ACTIVE");

    ActionOutcome back = operator.undrain("guard-1", "done", false);
    assertThat(back.changed()).isTrue();
    assertThat(viewer.host("guard-1").routing().state()).isEqualTo("ACTIVE");

    ActionOutcome maint = operator.maintenance("chat-3", "swap a DIMM", Instant.now().plus(Duration.ofHours(1)), false, true);
    assertThat(maint.plan().to()).isEqualTo("MAINTENANCE");
    assertThat(maint.plan().dryRun()).isTrue();
    assertThatThrownBy(() -> operator.failover("chat", true))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.CONFLICT));
    assertThatThrownBy(() -> viewer.drain("chat-1", "x", null, false, true))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.FORBIDDEN));
  }

  @Test
  void theUptimeReportStreamsToAFileWithProgressAndLeavesNoPartialFile() throws Exception {
    Path out = dir.resolve("reports").resolve("uptime.csv");
    List<long[]> told = new CopyOnWriteArrayList<>();
    Download d =
        viewer.uptimeReport(
            Instant.now().minus(Duration.ofDays(1)), Instant.now(), Subject.pool("chat"), ReportFormat.CSV, out,
            (bytes, total, elapsed) -> told.add(new long[] {bytes, total, elapsed.toMillis()}));
    Download.Result r = d.result().get(60, TimeUnit.SECONDS);
    assertThat(r.file()).isEqualTo(out.toAbsolutePath());
    assertThat(Files.size(out)).isEqualTo(r.bytes()).isPositive();
    assertThat(Files.readString(out)).contains("chat");
    assertThat(told).isNotEmpty();
    assertThat(told.get(told.size() - 1)[0]).isEqualTo(r.bytes());
    assertThat(Files.list(out.getParent())).extracting(Path::getFileName).extracting(Path::toString).containsExactly("uptime.csv");

    Path pdf = dir.resolve("reports").resolve("fleet.pdf");
    Download.Result p = viewer.uptimeReport(null, null, null, ReportFormat.PDF, pdf, null).result().get(60, TimeUnit.SECONDS);
    assertThat(Files.readAllBytes(pdf)).startsWith("%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(p.bytes()).isEqualTo(Files.size(pdf));

    Path bad = dir.resolve("reports").resolve("nope.json");
    assertThat(viewer.uptimeReport(null, null, Subject.pool("no-such-pool"), ReportFormat.JSON, bad, null).result())
        .failsWithin(Duration.ofSeconds(60))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
    assertThat(bad).doesNotExist();
  }

  @Test
  void aBadTokenIsUnauthorizedWithAMessageSayingWhatToDo() {
    try (BackendClient bad = backend.client("nines_this-token-does-not-exist")) {
      assertThatThrownBy(bad::hosts)
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.kind()).isEqualTo(BackendException.Kind.UNAUTHORIZED);
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.operatorMessage())
                .isEqualTo("The token was refused (401): check it or create one with ./nines server token create");
          });
    }
  }

  @Test
  void aServerThatIsNotThereIsUnreachable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (BackendClient nobody =
        new BackendClient(URI.create("http://127.0.0.1:" + port), "t", Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC())) {
      assertThatThrownBy(nobody::hosts)
          .isInstanceOfSatisfying(BackendException.class, e -> {
            assertThat(e.kind()).isEqualTo(BackendException.Kind.UNREACHABLE);
            assertThat(e.status()).isZero();
            assertThat(e.operatorMessage()).contains("Cannot reach the server at http://127.0.0.1:" + port, "refused");
          });
    }
  }
}
