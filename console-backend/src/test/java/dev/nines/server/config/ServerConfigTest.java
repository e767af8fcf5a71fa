package dev.nines.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nines.server.availability.CapacityGuard;
import dev.nines.server.availability.DegradedPolicy;
import dev.nines.server.health.HealthRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  private static void refused(String yaml, String message) {
    assertThatIllegalArgumentException().isThrownBy(() -> ServerConfig.parse(yaml)).withMessageContaining(message);
  }

  @Test
  void anEmptyFileMeansTheDocumentedDefaults() {
    ServerConfig c = ServerConfig.parse("");
    assertThat(c.rules()).isEqualTo(HealthRules.defaults());
    assertThat(c.pools()).isEmpty();
    PoolSettings any = c.pool("anything");
    assertThat(any.slo().target()).isEqualTo(0.999);
    assertThat(any.slo().period()).isEqualTo(Duration.ofDays(30));
    assertThat(any.guard()).isEqualTo(CapacityGuard.fraction(0.5));
    assertThat(any.degraded()).isEqualTo(DegradedPolicy.UP);
    assertThat(ServerConfig.parse("# only a comment\n")).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void theExampleFileLoadsWithWhatItSays() {
    ServerConfig c = ServerConfig.load(Path.of("nines-server.example.yaml"));
    assertThat(c.rules().staleGrace()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.rules().fatalXids()).containsExactlyInAnyOrder(48L, 63L, 64L, 74L, 79L, 94L, 95L);
    PoolSettings chat = c.pool("chat");
    assertThat(chat.slo().target()).isEqualTo(0.9995);
    assertThat(chat.guard()).isEqualTo(CapacityGuard.atLeast(2));
    assertThat(chat.degraded().degradedWeight()).isEqualTo(0.5);
    assertThat(chat.rules().latencyP95LimitMs()).isEqualTo(2000.0);
    assertThat(chat.rules().failAfter()).isEqualTo(1);
    PoolSettings embed = c.pool("embed");
    assertThat(embed.slo().period()).isEqualTo(Duration.ofDays(7));
    assertThat(embed.rules().failAfter()).isEqualTo(HealthRules.defaults().failAfter());
    assertThat(c.healthConfig().rulesFor("chat").failAfter()).isEqualTo(1);
    assertThat(c.healthConfig().rulesFor("unnamed")).isEqualTo(c.rules());
    RoutingSettings r = chat.routing();
    assertThat(r.sides().get("green")).containsExactly("gpu-04", "gpu-05", "gpu-06");
    assertThat(r.activeSide()).isEqualTo("blue");
    assertThat(r.quarantineRelease()).isNull();
    assertThat(r.haproxy().backend()).isEqualTo("chat");
    assertThat(c.poolOf("gpu-05", java.util.Map.of())).isEqualTo("chat");
    assertThat(embed.routing()).isEqualTo(RoutingSettings.defaults());
  }

  @Test
  void poolRulesApplyOnTopOfTheServerWideOverrides() {
    ServerConfig c =
        ServerConfig.parse(
            "rules:\n  staleGrace: 30s\n  recoverAfter: 5\npools:\n  chat:\n    rules:\n      recoverAfter: 1\n");
    assertThat(c.rules().staleGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.pool("chat").rules().staleGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.pool("chat").rules().recoverAfter()).isEqualTo(1);
    assertThat(c.pool("other").rules().recoverAfter()).isEqualTo(5);
  }

  @Test
  void everyRuleFieldCanBeOverriddenByName() {
    String yaml =
        String.join(
            "\n",
            "rules:",
            "  staleAfterIntervals: 4",
            "  staleGrace: 2m",
            "  generationFailures: 5",
            "  errorWindowReports: 7",
            "  errorMinRequests: 50",
            "  errorRatioDegraded: 0.1",
            "  errorRatioUnhealthy: 0.3",
            "  latencyP95LimitMs: 1500",
            "  latencyVsPoolFactor: 4",
            "  latencyVsPoolReports: 6",
            "  latencyPoolMinMembers: 4",
            "  gpuTemperatureDegradedC: 80",
            "  gpuTemperatureUnhealthyC: 90.5",
            "  fatalXids: []",
            "  memoryAvailableMinRatio: 0.1",
            "  failAfter: 3",
            "  recoverAfter: 4",
            "");
    HealthRules r = ServerConfig.parse(yaml).rules();
    assertThat(r)
        .isEqualTo(
            new HealthRules(
                4, Duration.ofMinutes(2), 5, 7, 50, 0.1, 0.3, 1500.0, 4.0, 6, 4, 80.0, 90.5, Set.of(), 0.1, 3, 4));
    assertThat(ConfigParser.RULE_KEYS).hasSize(HealthRules.class.getRecordComponents().length);
    assertThat(ServerConfig.parse("rules: {latencyP95LimitMs: 100}\npools: {a: {rules: {latencyP95LimitMs: off}}}")
            .pool("a").rules().latencyP95LimitMs())
        .isNull();
  }

  @Test
  void durationsTakeTheUsualUnits() {
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("x", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("x", "30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Durations.parse("x", "PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("rules.staleGrace", "30 seconds"))
        .withMessageStartingWith("rules.staleGrace must be a duration");
  }

  @Test
  void mistakesAreRefusedWithThePathOfTheKey() {
    refused("pools:\n  chat:\n    slo: {target: 1.5}\n", "pools.chat.slo.target must be in (0, 1)");
    refused("pools:\n  chat:\n    slo: {target: 99.9}\n", "pools.chat.slo.target must be in (0, 1)");
    refused("pools:\n  chat:\n    slo: {target: '0.999'}\n", "pools.chat.slo.target must be a number");
    refused("pools:\n  chat:\n    slo: {period: 30}\n", "pools.chat.slo.period must be a duration");
    refused("pools:\n  chat:\n    slo: {period: 1m}\n", "pools.chat.slo.period must be in 5m..400d");
    refused("pools:\n  chat:\n    slo: {periode: 30d}\n", "pools.chat.slo.periode is not a known key");
    refused("pools:\n  chat:\n    minActive: 0\n", "pools.chat.minActive must be in 1..100000");
    refused("pools:\n  chat:\n    minActive: 1.5\n", "pools.chat.minActive must be a whole number");
    refused("pools:\n  chat:\n    minActiveFraction: 1.2\n", "pools.chat.minActiveFraction must be in (0, 1]");
    refused("pools:\n  chat:\n    minActive: 2\n    minActiveFraction: 0.5\n", "pools.chat: give minActive or minActiveFraction, not both");
    refused("pools:\n  chat:\n    degraded: sideways\n", "pools.chat.degraded must be up, down or a weight in [0, 1]");
    refused("pools:\n  chat:\n    degraded: 1.3\n", "pools.chat.degraded must be up, down or a weight in [0, 1]");
    refused("pools:\n  chat:\n    memberz: [a]\n", "pools.chat.memberz is not a known key");
    refused("pools:\n  chat:\n    members: a\n", "pools.chat.members must be a list of host ids");
    refused("pools:\n  chat:\n    sides: {left: [a], right: [b]}\n", "pools.chat.sides must be primary and standby, or blue and green");
    refused("pools:\n  chat:\n    sides: {blue: [a], green: [a]}\n", "pools.chat.sides: host a is on both sides");
    refused("pools:\n  chat:\n    sides: {blue: [a], green: []}\n", "pools.chat.sides.green must list at least one host id");
    refused("pools:\n  chat:\n    sides: {blue: [a], green: [b]}\n    activeSide: red\n", "pools.chat.activeSide must be one of blue, green");
    refused("pools:\n  chat:\n    activeSide: blue\n", "pools.chat.activeSide needs sides");
    refused("pools:\n  chat:\n    autoDrain: maybe\n", "pools.chat.autoDrain must be true or false");
    refused("pools:\n  chat:\n    cooldown: 5\n", "pools.chat.cooldown must be a duration");
    refused("pools:\n  chat:\n    drainTimeout: 0s\n", "pools.chat.drainTimeout must be a duration > 0");
    refused("pools:\n  chat:\n    haproxy: {backend: llm}\n", "pools.chat.haproxy.runtime is required");
    refused("pools:\n  chat:\n    haproxy: {runtime: /s, backend: llm, weight: 2}\n", "pools.chat.haproxy.weight is not a known key");
    refused("pools:\n  chat:\n    webhook: {url: ftp://x, secret: 0123456789abcdef}\n", "pools.chat.webhook.url must be an http");
    refused("pools:\n  chat:\n    webhook: {url: http://x, secret: short}\n", "pools.chat.webhook.secret must be at least 16");
    refused("pools:\n  a:\n    members: [h1]\n  b:\n    members: [h1]\n", "pools.b: host h1 is already a member of pool a");
    refused("pools:\n  chat:\n    drainDegradedBy: [stale]\n", "pools.chat.drainDegradedBy: stale is not a rule that makes a host DEGRADED");
    refused("pools:\n  chat:\n    drainDegradedBy: latency-vs-pool\n", "pools.chat.drainDegradedBy must be a list of rule ids");
    refused("pools:\n  chat: 3\n", "pools.chat must be a mapping");
    refused("pools: [chat]\n", "pools must be a mapping");
    refused("receivers: {}\n", "receivers is not a known key");
    refused("- a\n- b\n", "config must be a mapping");
    refused("rules:\n  staleAfterIntervals: 0\n", "rules.staleAfterIntervals must be >= 1");
    refused("rules:\n  staleGrace: 60\n", "rules.staleGrace must be a duration");
    refused("rules:\n  staleGrace: soon\n", "rules.staleGrace must be a duration");
    refused("rules:\n  errorRatioDegraded: high\n", "rules.errorRatioDegraded must be a number (was 'high')");
    refused("rules:\n  fatalXids: 48\n", "rules.fatalXids must be a list");
    refused("rules:\n  fatalXids: [48, -1]\n", "rules.fatalXids[1] must be >= 0");
    refused("rules:\n  staleAfterIntervals: 3\n  staleAfterIntervals: 4\n", "Duplicate field 'staleAfterIntervals'");
    refused("pools:\n  chat:\n    rules:\n      errorRatioDegraded: 0.5\n      errorRatioUnhealthy: 0.2\n",
        "pools.chat.rules.errorRatioUnhealthy (0.2) must be >= errorRatioDegraded");
    refused("pools:\n  chat:\n    rules:\n      colour: red\n", "pools.chat.rules.colour is not a known key");
    refused("rules: [unclosed\n", "not valid YAML");
  }

  @Test
  void loadNamesTheFileAndAMissingFile() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "pools:\n  chat:\n    slo: {target: 2}\n");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServerConfig.load(bad))
        .withMessage("config " + bad + ": pools.chat.slo.target must be in (0, 1) (was 2.0; write 99.9 % as 0.999)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServerConfig.load(dir.resolve("missing.yaml")))
        .withMessageContaining("no such file");
  }

  @Test
  void routingKeysSetMembershipSidesThePolicyAndTheActuators() {
    ServerConfig c =
        ServerConfig.parse(
            """
            pools:
              chat:
                members: [gpu-01]
                selector: {model: llama}
                sides: {blue: [gpu-02, gpu-03], green: [gpu-04]}
                activeSide: green
                autoDrain: false
                hysteresis: 10s
                cooldown: 1m
                recovery: 2m
                autoFailover: false
                quarantine: true
                quarantineRelease: 30m
                startupGrace: 90s
                drainTimeout: 45s
                failoverTimeout: 20s
                haproxy: {runtime: "unix:/run/haproxy/admin.sock", backend: llm, servers: {gpu-02: s2}}
                webhook: {url: "http://127.0.0.1:9/hook", secret: 0123456789abcdef}
            """);
    RoutingSettings r = c.pool("chat").routing();
    assertThat(r.members()).containsExactly("gpu-01");
    assertThat(r.sides().keySet()).containsExactly("blue", "green");
    assertThat(r.activeSide()).isEqualTo("green");
    assertThat(r.autoDrain()).isFalse();
    assertThat(r.hysteresis()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(r.cooldown()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(r.recovery()).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(r.autoFailover()).isFalse();
    assertThat(r.quarantineRelease()).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(r.startupGrace()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(r.drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(45));
    assertThat(r.failoverTimeout()).isEqualTo(java.time.Duration.ofSeconds(20));
    assertThat(r.haproxy().serverOf("gpu-02")).isEqualTo("s2");
    assertThat(r.haproxy().serverOf("gpu-03")).isEqualTo("gpu-03");
    assertThat(r.webhook().toString()).doesNotContain("0123456789abcdef");
    assertThat(c.poolOf("gpu-01", java.util.Map.of("pool", "other"))).isEqualTo("chat");
    assertThat(c.poolOf("gpu-04", java.util.Map.of())).isEqualTo("chat");
    assertThat(c.poolOf("x", java.util.Map.of("model", "llama", "pool", "other"))).isEqualTo("chat");
    assertThat(c.poolOf("y", java.util.Map.of("pool", "embed"))).isEqualTo("embed");
    assertThat(c.poolOf("z", java.util.Map.of())).isNull();
    assertThat(ServerConfig.defaults().pool("any").routing()).isEqualTo(RoutingSettings.defaults());
    assertThat(RoutingSettings.defaults().drainDegradedBy()).containsExactly("latency-vs-pool");
    assertThat(ServerConfig.parse("pools:\n  x:\n    drainDegradedBy: []\n").pool("x").routing().drainDegradedBy()).isEmpty();
  }
}
