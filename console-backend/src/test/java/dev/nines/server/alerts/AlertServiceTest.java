package dev.nines.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.MovableClock;
import dev.nines.server.alerts.AlertInputs.HostInput;
import dev.nines.server.alerts.AlertInputs.PoolInput;
import dev.nines.server.availability.BurnCheck;
import dev.nines.server.availability.BurnCondition;
import dev.nines.server.config.AlertSettings;
import dev.nines.server.config.ServerConfig;
import dev.nines.server.health.Health;
import dev.nines.server.health.RuleFinding;
import dev.nines.server.health.RuleIds;
import dev.nines.server.notify.AlertInstance;
import dev.nines.server.notify.Matcher;
import dev.nines.server.notify.Notification;
import dev.nines.server.notify.NotificationSink;
import dev.nines.server.notify.ReceiverSpec;
import dev.nines.server.notify.Receivers;
import dev.nines.server.store.Store;
import dev.nines.server.store.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertServiceTest {
  static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

  @TempDir Path dir;
  MovableClock clock;
  Store store;
  AlertService service;
  List<HostInput> hosts = new CopyOnWriteArrayList<>();
  List<PoolInput> pools = new CopyOnWriteArrayList<>();
  Map<String, Integer> deadLetters = new LinkedHashMap<>();
  List<ReceiverSpec> receivers = new CopyOnWriteArrayList<>();
  List<Notification> sent = new CopyOnWriteArrayList<>();
  AlertSettings settings = AlertSettings.defaults();
  Map<String, Boolean> maintained = new LinkedHashMap<>();
  SimpleMeterRegistry meters = new SimpleMeterRegistry();

  final NotificationSink sink = sent::addAll;
  final Receivers recv =
      new Receivers() {
        @Override
        public List<ReceiverSpec> all() {
          return receivers;
        }

        @Override
        public Map<String, Integer> deadLetters() {
          return deadLetters;
        }
      };

  @BeforeEach
  void open() {
    clock = new MovableClock(T0);
    store = Stores.open(dir.resolve("nines.db").toString(), clock);
    service = newService();
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  AlertService newService() {
    return new AlertService(
        store, () -> settings, now -> new AlertInputs(hosts, pools, Map.of()), recv, sink,
        (pool, host, now) -> maintained.getOrDefault(pool, false) || maintained.getOrDefault(host, false), null,
        meters);
  }

  void run() {
    service.runOnce(clock.instant());
  }

  void advance(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  static ReceiverSpec receiver(String id, String... matchers) {
    return new ReceiverSpec(
        id, ReceiverSpec.Kind.WEBHOOK, "http://127.0.0.1:9/hook", null, null,
        java.util.Arrays.stream(matchers).map(Matcher::parse).toList(), null, null, null, null, null, 4, null, true);
  }

  static HostInput down(String host, String pool) {
    RuleFinding stale =
        new RuleFinding(RuleIds.STALE, Health.UNKNOWN, true, "no report for 95s",
            Map.of("ageMs", 95_000.0, "limitMs", 60_000.0));
    return new HostInput(host, pool, "UNKNOWN", List.of(stale));
  }

  static HostInput unhealthy(String host, String pool) {
    RuleFinding err =
        new RuleFinding(RuleIds.ERROR_RATIO, Health.UNHEALTHY, false, "error ratio 0.31 above 0.05",
            Map.of("errors", 31.0, "requests", 100.0, "ratio", 0.31, "threshold", 0.05));
    return new HostInput(host, pool, "UNHEALTHY", List.of(err));
  }

  List<String> states(String alertname) {
    return service.alerts().stream().filter(a -> a.alertname().equals(alertname)).map(a -> a.state().wire()).toList();
  }

  // --- lifecycle ---

  @Test
  void anUnhealthyHostIsPendingForItsForThenFires() {
    hosts.add(unhealthy("h1", "chat"));
    run();
    assertThat(states("host-unhealthy")).containsExactly("pending");
    advance(29);
    run();
    assertThat(states("host-unhealthy")).containsExactly("pending");
    advance(1);
    run();
    assertThat(states("host-unhealthy")).containsExactly("firing");
    Alert a = service.alerts().stream().filter(x -> x.alertname().equals("host-unhealthy")).findFirst().orElseThrow();
    assertThat(a.labels()).containsEntry("host", "h1").containsEntry("pool", "chat").containsEntry("severity", "critical");
    assertThat(a.annotations().get("description")).contains("ratio=0.3100").contains("threshold=0.05");
    assertThat(a.annotations()).containsEntry("link", "/api/v1/hosts/h1");
    assertThat(a.startsAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void aPendingAlertThatClearsGoesAwaySilently() {
    receivers.add(receiver("ops"));
    hosts.add(unhealthy("h1", "chat"));
    run();
    hosts.clear();
    advance(10);
    run();
    advance(60);
    run();
    assertThat(service.alerts()).isEmpty();
    assertThat(sent).isEmpty();
  }

  @Test
  void aFiringAlertResolvesWhenItsConditionClearsAndTheResolutionIsSentOnce() {
    receivers.add(receiver("ops"));
    hosts.add(down("h1", "chat"));
    run();
    advance(2);
    run();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).status()).isEqualTo("firing");
    hosts.clear();
    advance(1);
    run();
    assertThat(states("host-down")).containsExactly("resolved");
    advance(30);
    run();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).status()).isEqualTo("resolved");
    assertThat(sent.get(1).alerts()).extracting(AlertInstance::status).containsExactly("resolved");
    assertThat(sent.get(1).alerts().get(0).endsAt()).isEqualTo(T0.plusSeconds(3));
    advance(3600);
    run();
    assertThat(sent).hasSize(2);
  }

  // --- rules ---

  @Test
  void everyRuleFiresFromARealisticInput() {
    hosts.add(down("h-down", "chat"));
    hosts.add(unhealthy("h-err", "chat"));
    hosts.add(
        new HostInput("h-gpu", "chat", "UNHEALTHY", List.of(
            new RuleFinding(RuleIds.GPU_TEMPERATURE, Health.UNHEALTHY, false, "GPU 3 at 92 C",
                Map.of("temperatureC", 92.0, "thresholdC", 90.0, "gpuIndex", 3.0)),
            new RuleFinding(RuleIds.GPU_LOST, Health.UNHEALTHY, true, "1 GPU missing",
                Map.of("gpusNow", 7.0, "gpusBefore", 8.0, "missing", 1.0)),
            new RuleFinding(RuleIds.LATENCY_ABSOLUTE, Health.DEGRADED, false, "p95 2400 ms above 2000 ms",
                Map.of("p95Ms", 2400.0, "limitMs", 2000.0)))));
    pools.add(new PoolInput("chat", 4, 1, 2, false, 1, 0.999, List.of()));
    pools.add(
        new PoolInput("embed", 4, 4, 2, false, 2, 0.999, List.of(
            new BurnCheck(BurnCondition.PAGE_FAST, OptionalDouble.of(20), OptionalDouble.of(30), true),
            new BurnCheck(BurnCondition.TICKET, OptionalDouble.of(1.5), OptionalDouble.of(2), true))));
    deadLetters.put("slack", 3);
    service.hardFault("h-gpu", List.of(
        new RuleFinding(RuleIds.GPU_XID, Health.UNHEALTHY, true, "fatal XID 79 on GPU 2",
            Map.of("xid", 79.0, "gpuIndex", 2.0, "fatalEvents", 1.0))), clock.instant());
    service.policyEvent("policy.decision", "chat", "h-err", "drain", "error ratio above limit", Map.of("rule", "error-ratio"), clock.instant());
    service.policyEvent("policy.refused", "chat", "h-down", "drain", "guard", Map.of("message", "would leave 1 of 2"), clock.instant());
    service.policyEvent("policy.decision", "chat", "h-err", "undrain", "recovered", Map.of(), clock.instant());
    run();
    advance(120);
    run();
    List<String> firing = service.alerts().stream().filter(a -> a.state() == Alert.State.FIRING).map(Alert::alertname).sorted().toList();
    assertThat(firing)
        .containsExactly(
            "auto-action", "auto-action-refused", "error-ratio-high", "gpu-fault", "gpu-hot", "gpu-lost",
            "host-down", "host-unhealthy", "host-unhealthy", "latency-high", "pool-capacity", "pool-redundancy",
            "receiver-dead-lettering", "slo-fast-burn", "slo-slow-burn");
    Alert fault = service.alerts().stream().filter(a -> a.alertname().equals("gpu-fault")).findFirst().orElseThrow();
    assertThat(fault.labels()).containsEntry("gpu", "2").containsEntry("host", "h-gpu").containsEntry("pool", "chat");
    assertThat(fault.annotations().get("description")).contains("xid=79");
    Alert cap = service.alerts().stream().filter(a -> a.alertname().equals("pool-capacity")).findFirst().orElseThrow();
    assertThat(cap.annotations().get("description")).isEqualTo("1 of 4 members serving, 2 required");
    assertThat(cap.annotations()).containsEntry("link", "/api/v1/pools/chat");
    Alert dl = service.alerts().stream().filter(a -> a.alertname().equals("receiver-dead-lettering")).findFirst().orElseThrow();
    assertThat(dl.labels()).containsEntry("receiver", "slack");
    Alert burn = service.alerts().stream().filter(a -> a.alertname().equals("slo-fast-burn")).findFirst().orElseThrow();
    assertThat(burn.annotations().get("description")).contains("page-14.4x-1h-5m").contains("20.00x");
  }

  @Test
  void aHardFaultFiresAtOnceHoldsForFifteenMinutesThenResolves() {
    receivers.add(receiver("ops"));
    hosts.add(new HostInput("h1", "chat", "HEALTHY", List.of()));
    service.hardFault("h1", List.of(
        new RuleFinding(RuleIds.GPU_ECC, Health.UNHEALTHY, true, "2 new uncorrectable ECC errors on GPU 0",
            Map.of("newErrors", 2.0, "gpuIndex", 0.0))), clock.instant());
    run();
    assertThat(states("gpu-fault")).containsExactly("firing");
    advance(2);
    run();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).alerts().get(0).labels()).containsEntry("alertname", "gpu-fault");
    clock.setMillis(T0.plus(Duration.ofMinutes(15)).toEpochMilli() - 1000);
    run();
    assertThat(states("gpu-fault")).containsExactly("firing");
    advance(1);
    run();
    assertThat(states("gpu-fault")).containsExactly("resolved");
  }

  @Test
  void aDisabledRuleRaisesNothingAndDegradedIsOffByDefault() {
    hosts.add(new HostInput("h1", "chat", "DEGRADED", List.of()));
    run();
    advance(600);
    run();
    assertThat(service.alerts()).isEmpty();
  }

  @Test
  void aPoolOverrideAppliesToThatPoolOnly() {
    settings =
        ServerConfig.parse(
                "alerts:\n  rules:\n    host-unhealthy: {for: 5s}\n  pools:\n    chat:\n      host-degraded: {enabled: true, for: 0s}\n      host-unhealthy: {severity: warning}\n")
            .alerts();
    hosts.add(new HostInput("h1", "chat", "DEGRADED", List.of()));
    hosts.add(new HostInput("h2", "embed", "DEGRADED", List.of()));
    hosts.add(unhealthy("h3", "chat"));
    hosts.add(unhealthy("h4", "embed"));
    run();
    assertThat(service.alerts()).filteredOn(a -> a.alertname().equals("host-degraded"))
        .extracting(a -> a.labels().get("host") + ":" + a.state().wire()).containsExactly("h1:firing");
    advance(5);
    run();
    assertThat(service.alerts()).filteredOn(a -> a.alertname().equals("host-unhealthy"))
        .extracting(a -> a.labels().get("host") + ":" + a.labels().get("severity") + ":" + a.state().wire())
        .containsExactlyInAnyOrder("h3:warning:firing", "h4:critical:firing");
  }

  @Test
  void badAlertConfigIsRefusedNamingTheKeyPath() {
    assertThatThrownBy(() -> ServerConfig.parse("alerts:\n  rules:\n    host-down: {for: soon}\n"))
        .hasMessageContaining("alerts.rules.host-down.for");
    assertThatThrownBy(() -> ServerConfig.parse("alerts:\n  rules:\n    no-such-rule: {enabled: true}\n"))
        .hasMessageContaining("alerts.rules.no-such-rule");
    assertThatThrownBy(() -> ServerConfig.parse("alerts:\n  pools:\n    chat:\n      gpu-hot: {severity: loud}\n"))
        .hasMessageContaining("alerts.pools.chat.gpu-hot.severity");
    assertThatThrownBy(() -> ServerConfig.parse("alerts:\n  rules:\n    gpu-fault: {hold: 0s}\n"))
        .hasMessageContaining("alerts.rules.gpu-fault.hold");
    assertThat(ServerConfig.parse("rules: {}\n").alerts()).isEqualTo(AlertSettings.defaults());
  }

  // --- grouping ---

  @Test
  void groupsWaitThenChangeAfterTheIntervalRepeatAndStopRepeatingWhenAcknowledged() {
    receivers.add(receiver("ops"));
    hosts.add(down("h1", "chat"));
    hosts.add(down("h2", "chat"));
    run();
    assertThat(sent).isEmpty();
    advance(1);
    run();
    assertThat(sent).isEmpty();
    advance(1);
    run();
    assertThat(sent).hasSize(1);
    Notification first = sent.get(0);
    assertThat(first.alerts()).extracting(a -> a.labels().get("host")).containsExactlyInAnyOrder("h1", "h2");
    assertThat(first.groupLabels()).containsEntry("alertname", "host-down").containsEntry("pool", "chat");
    // a third host joins: sent only once groupInterval (30 s) has passed since the last message
    advance(3);
    hosts.add(down("h3", "chat"));
    run();
    advance(20);
    run();
    assertThat(sent).hasSize(1);
    advance(7);
    run();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).alerts()).hasSize(3);
    assertThat(sent.get(1).eventId()).isNotEqualTo(first.eventId());
    // unchanged: repeated after repeatInterval (1 h)
    advance(3599);
    run();
    assertThat(sent).hasSize(2);
    advance(1);
    run();
    assertThat(sent).hasSize(3);
    // all acknowledged: no more repeats
    for (Alert a : service.alerts()) {
      assertThat(service.acknowledge(a.fingerprint(), "alice", "on it", clock.instant()))
          .isEqualTo(AlertService.AckResult.ACKNOWLEDGED);
    }
    advance(7200);
    run();
    assertThat(sent).hasSize(3);
    // one resolves: its group's next message carries it, once
    hosts.removeIf(h -> h.hostId().equals("h2"));
    run();
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).alerts()).filteredOn(a -> a.status().equals("resolved"))
        .extracting(a -> a.labels().get("host")).containsExactly("h2");
    advance(3600);
    run();
    assertThat(sent).hasSize(4);
  }

  @Test
  void alertsOfDifferentPoolsGoInDifferentGroupsAndMatchersPickTheReceiver() {
    receivers.add(receiver("chat-team", "pool=chat"));
    receivers.add(receiver("all"));
    hosts.add(down("h1", "chat"));
    hosts.add(down("h2", "embed"));
    run();
    advance(2);
    run();
    assertThat(sent).extracting(n -> n.receiverId() + " " + n.groupLabels().get("pool"))
        .containsExactlyInAnyOrder("chat-team chat", "all chat", "all embed");
  }

  // --- suppression ---

  @Test
  void silencedAndMaintainedAlertsAreNotSentButStillListed() {
    receivers.add(receiver("ops"));
    hosts.add(down("h1", "chat"));
    hosts.add(down("h2", "embed"));
    hosts.add(down("h3", "batch"));
    Silence s =
        service.addSilence(
            new Silence("sil-1", List.of(Matcher.parse("pool=chat")), "alice", "planned upgrade", clock.instant(),
                clock.instant().plus(Duration.ofHours(1)), clock.instant()));
    maintained.put("h2", true);
    run();
    advance(2);
    run();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).groupLabels()).containsEntry("pool", "batch");
    assertThat(service.alerts()).extracting(a -> a.labels().get("host") + ":" + a.suppressedBy())
        .containsExactlyInAnyOrder("h1:[sil-1]", "h2:[maintenance]", "h3:[]");
    // the silence expires: h1 is sent
    service.expireSilence(s.id(), clock.instant());
    advance(1);
    run();
    advance(2);
    run();
    assertThat(sent).extracting(n -> n.groupLabels().get("pool")).containsExactly("batch", "chat");
  }

  // --- restart ---

  @Test
  void aRestartNeitherLosesAFiringAlertNorSendsItAgain() throws Exception {
    receivers.add(receiver("ops"));
    hosts.add(down("h1", "chat"));
    run();
    advance(2);
    run();
    assertThat(sent).hasSize(1);
    String fp = service.alerts().get(0).fingerprint();
    store.close();
    store = Stores.open(dir.resolve("nines.db").toString(), clock);
    service = newService();
    assertThat(service.alert(fp)).get().extracting(a -> a.state().wire()).isEqualTo("firing");
    advance(5);
    run();
    advance(60);
    run();
    assertThat(sent).hasSize(1);
    assertThat(service.alert(fp).orElseThrow().startsAt()).isEqualTo(T0);
    // a resolution after the restart is still sent, in the same group
    hosts.clear();
    run();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).status()).isEqualTo("resolved");
  }

  @Test
  void aMessageMadeAgainAfterACrashKeepsItsEventId() {
    ReceiverSpec r = receiver("ops");
    Alert a =
        new Alert("fp1", Map.of("alertname", "host-down", "pool", "chat"), Map.of(), Alert.State.FIRING, T0, T0, null,
            null, null, List.of());
    Dispatcher.Plan p1 = Dispatcher.plan(List.of(r), List.of(a), Map.of(), T0);
    Dispatcher.Plan p2 = Dispatcher.plan(List.of(r), List.of(a), p1.groups(), T0.plusSeconds(2));
    Dispatcher.Plan again = Dispatcher.plan(List.of(r), List.of(a), p1.groups(), T0.plusSeconds(3));
    assertThat(p2.messages()).hasSize(1);
    assertThat(again.messages().get(0).eventId()).isEqualTo(p2.messages().get(0).eventId());
  }

  @Test
  void metricsCountAlertsByStateAndNotificationsByReceiver() {
    receivers.add(receiver("ops"));
    hosts.add(down("h1", "chat"));
    hosts.add(unhealthy("h2", "chat"));
    run();
    advance(2);
    run();
    assertThat(meters.get("nines_alerts").tag("state", "firing").tag("severity", "critical").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("nines_alerts").tag("state", "pending").tag("severity", "critical").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("nines_alert_notifications").tag("receiver", "ops").counter().count()).isEqualTo(1.0);
  }

  @Test
  void resolvedAlertsArePrunedAfterSevenDays() {
    hosts.add(down("h1", "chat"));
    run();
    hosts.clear();
    advance(1);
    run();
    assertThat(states("host-down")).containsExactly("resolved");
    clock.advance(Duration.ofDays(7).plusMinutes(11));
    run();
    assertThat(service.alerts()).isEmpty();
    assertThat(store.alerts()).isEmpty();
  }

  static List<String> list(String... s) {
    return new ArrayList<>(List.of(s));
  }
}
