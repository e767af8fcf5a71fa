package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.audit.Actor;
import dev.nines.server.audit.Audit;
import dev.nines.server.auth.CreatedToken;
import dev.nines.server.auth.Principal;
import dev.nines.server.auth.Revocation;
import dev.nines.server.auth.Role;
import dev.nines.server.auth.TokenInfo;
import dev.nines.server.auth.TokenService;
import dev.nines.server.store.AuditQuery;
import dev.nines.server.store.AuditRecord;
import dev.nines.server.store.PageKey;
import dev.nines.server.store.SqliteStore;
import dev.nines.server.store.Store;
import dev.nines.server.store.StoreException;
import dev.nines.server.store.TokenRevocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
  static final Actor ALICE = Actor.cli("alice");
  @TempDir Path dir;
  final MovableClock clock = new MovableClock(Fixtures.T0);
  final List<Store> stores = new ArrayList<>();
  Store store;
  TokenService tokens;

  @BeforeEach
  void open() {
    store = open(clock);
    tokens = new TokenService(store, clock);
  }

  Store open(java.time.Clock c) {
    Store s = SqliteStore.open("jdbc:sqlite:" + dir.resolve("nines.db"), c);
    stores.add(s);
    return s;
  }

  @AfterEach
  void close() {
    stores.forEach(Store::close);
  }

  List<AuditRecord> audit() {
    return store.audit(new AuditQuery(null, null, null, null, null, 1000));
  }

  @Test
  void aCreatedTokenAuthenticatesWithItsRoleAndIsListedWithoutItsSecret() {
    CreatedToken c = tokens.create(Role.OPERATOR, "  ops-alice ", ALICE);

    assertThat(c.plaintext()).startsWith("nines_").hasSizeGreaterThan(40);
    assertThat(tokens.authenticate(c.plaintext()))
        .contains(new Principal(c.token().id(), "ops-alice", Role.OPERATOR));
    assertThat(tokens.list(null, 10))
        .containsExactly(new TokenInfo(c.token().id(), "ops-alice", Role.OPERATOR, Fixtures.T0, null));
    assertThat(tokens.list(null, 10).toString()).doesNotContain(c.plaintext());
    assertThat(tokens.authenticate(c.plaintext() + "x")).isEmpty();
  }

  @Test
  void creationAndRevocationAreAuditedWithTheActor() {
    CreatedToken c = tokens.create(Role.VIEWER, "grafana", ALICE);
    clock.advance(Duration.ofSeconds(1));
    tokens.revoke(c.token().id(), Actor.token("tok_000000000001", "root admin"));

    List<AuditRecord> lines = audit();
    assertThat(lines).extracting(AuditRecord::action).containsExactly("token.revoke", "token.create");
    assertThat(lines.get(0).actor()).isEqualTo("token:tok_000000000001");
    assertThat(lines.get(0).actorName()).isEqualTo("root admin");
    assertThat(lines.get(0).target()).isEqualTo(c.token().id());
    assertThat(lines.get(0).atMs()).isEqualTo(Fixtures.T0 + 1000);
    assertThat(lines.get(1).actor()).isEqualTo("cli:alice");
    assertThat(lines.get(1).detailJson()).isEqualTo("{\"name\":\"grafana\",\"role\":\"viewer\"}");
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceByTheServiceThatRevokedIt() {
    CreatedToken c = tokens.create(Role.AGENT, "gpu-node-01", ALICE);
    assertThat(tokens.authenticate(c.plaintext())).isPresent(); // now cached

    Revocation r = tokens.revoke(c.token().id(), ALICE);

    assertThat(r.outcome()).isEqualTo(TokenRevocation.REVOKED);
    assertThat(r.token().revokedAtMs()).isEqualTo(Fixtures.T0);
    assertThat(tokens.authenticate(c.plaintext())).isEmpty();
  }

  @Test
  void aRevocationByAnotherProcessOnTheSameDatabaseTakesEffectWithinTheCacheTtl() {
    CreatedToken c = tokens.create(Role.AGENT, "gpu-node-01", ALICE);
    assertThat(tokens.authenticate(c.plaintext())).isPresent(); // cached at T0
    // The CLI in another process: its own connections, its own service, its own cache.
    TokenService cli = new TokenService(open(clock), clock);
    assertThat(cli.revoke(c.token().id(), ALICE).outcome()).isEqualTo(TokenRevocation.REVOKED);

    clock.advance(TokenService.CACHE_TTL.minusMillis(1));
    assertThat(tokens.authenticate(c.plaintext())).as("still trusted from the cache").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.authenticate(c.plaintext())).as("refused once the cache entry is 5 s old").isEmpty();
    assertThat(TokenService.CACHE_TTL).isLessThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aCachedTokenIsCheckedWithoutAskingTheDatabase() {
    CreatedToken c = tokens.create(Role.AGENT, "gpu-node-01", ALICE);
    assertThat(tokens.authenticate(c.plaintext())).isPresent();
    store.close(); // any query would now throw

    for (int i = 0; i < 1000; i++) {
      assertThat(tokens.authenticate(c.plaintext())).isPresent();
    }
    clock.advance(TokenService.CACHE_TTL);
    assertThatThrownBy(() -> tokens.authenticate(c.plaintext())).isInstanceOf(StoreException.class);
  }

  @Test
  void revokingTwiceChangesNothingTheSecondTimeAndAuditsOnce() {
    CreatedToken c = tokens.create(Role.VIEWER, "grafana", ALICE);
    tokens.revoke(c.token().id(), ALICE);
    clock.advance(Duration.ofMinutes(1));

    Revocation again = tokens.revoke(c.token().id(), ALICE);

    assertThat(again.outcome()).isEqualTo(TokenRevocation.ALREADY_REVOKED);
    assertThat(again.token().revokedAtMs()).isEqualTo(Fixtures.T0);
    assertThat(audit()).extracting(AuditRecord::action).containsExactly("token.revoke", "token.create");
  }

  @Test
  void anUnknownIdIsAnsweredAsUnknown() {
    Revocation r = tokens.revoke("tok_nosuchtoken", ALICE);
    assertThat(r.outcome()).isEqualTo(TokenRevocation.UNKNOWN);
    assertThat(r.token()).isNull();
    assertThat(audit()).isEmpty();
  }

  @Test
  void theLastValidAdminTokenCannotBeRevokedButOneOfTwoCan() {
    CreatedToken first = tokens.create(Role.ADMIN, "first admin", ALICE);
    CreatedToken second = tokens.create(Role.ADMIN, "second admin", ALICE);

    assertThat(tokens.revoke(first.token().id(), ALICE).outcome()).isEqualTo(TokenRevocation.REVOKED);
    Revocation refused = tokens.revoke(second.token().id(), ALICE);

    assertThat(refused.outcome()).isEqualTo(TokenRevocation.LAST_ADMIN);
    assertThat(refused.token().active()).isTrue();
    assertThat(tokens.authenticate(second.plaintext())).isPresent();
    assertThat(store.hasActiveToken("admin")).isTrue();
  }

  @Test
  void theListPagesNewestFirstWithoutGapsOrRepeats() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(0, tokens.create(Role.AGENT, "agent " + i, ALICE).token().id());
      if (i % 2 == 0) {
        clock.advance(Duration.ofMillis(1)); // some share a creation time: ordered by id then
      }
    }
    List<String> seen = new ArrayList<>();
    PageKey after = null;
    for (int page = 0; page < 10; page++) {
      List<TokenInfo> p = tokens.list(after, 3);
      p.forEach(t -> seen.add(t.id()));
      if (p.size() < 3) {
        break;
      }
      after = new PageKey(p.get(2).createdAtMs(), p.get(2).id());
    }
    assertThat(seen).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(tokens.list(null, 7)).isSortedAccordingTo(
        (a, b) -> a.createdAtMs() != b.createdAtMs()
            ? Long.compare(b.createdAtMs(), a.createdAtMs())
            : b.id().compareTo(a.id()));
  }

  @Test
  void theServersOwnTokensAreAuditedAsTheSystem() {
    Optional<String> generated = tokens.bootstrapAdmin(null);
    assertThat(generated).isPresent();
    assertThat(audit()).singleElement().satisfies(a -> {
      assertThat(a.actor()).isEqualTo("system");
      assertThat(a.action()).isEqualTo("token.create");
    });
  }

  @Test
  void anAuditLineNeedsADottedLowerCaseAction() {
    Audit audit = new Audit(store, clock);
    assertThatThrownBy(() -> audit.record(ALICE, "Drain Host", "h1", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("action");
  }

  @Test
  void concurrentRevocationsOfTheLastTwoAdminTokensLeaveOneStanding() throws Exception {
    String standing = null;
    for (int round = 0; round < 20; round++) {
      CreatedToken a = tokens.create(Role.ADMIN, "admin a" + round, ALICE);
      CreatedToken b = tokens.create(Role.ADMIN, "admin b" + round, ALICE);
      if (standing != null) { // the survivor of the last round: now exactly a and b remain
        assertThat(tokens.revoke(standing, ALICE).outcome()).isEqualTo(TokenRevocation.REVOKED);
      }
      TokenService other = new TokenService(open(clock), clock);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var fa = pool.submit(() -> { go.await(); return tokens.revoke(a.token().id(), ALICE).outcome(); });
        var fb = pool.submit(() -> { go.await(); return other.revoke(b.token().id(), ALICE).outcome(); });
        go.countDown();
        List<TokenRevocation> outcomes =
            List.of(fa.get(10, java.util.concurrent.TimeUnit.SECONDS), fb.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(TokenRevocation.REVOKED, TokenRevocation.LAST_ADMIN);
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.hasActiveToken("admin")).isTrue();
      standing = tokens.authenticate(a.plaintext()).isPresent() ? a.token().id() : b.token().id();
      assertThat(tokens.revoke(standing, ALICE).outcome()).isEqualTo(TokenRevocation.LAST_ADMIN);
    }
  }

  @Test
  void aLookupThatRacedARevocationDoesNotStayCached() throws Exception {
    // The race: a check reads the token as valid from the database, a revocation runs and clears
    // the cache, then the check caches what it read. Forced here by pausing the check's lookup.
    java.util.concurrent.CountDownLatch looked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch revokedLatch = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean pause = new java.util.concurrent.atomic.AtomicBoolean();
    Store paused =
        (Store)
            java.lang.reflect.Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("tokenByHash") && pause.getAndSet(false)) {
                    looked.countDown();
                    revokedLatch.await(10, java.util.concurrent.TimeUnit.SECONDS);
                  }
                  return result;
                });
    TokenService service = new TokenService(paused, clock);
    CreatedToken c = service.create(Role.AGENT, "gpu-node-01", ALICE);
    pause.set(true);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var check = pool.submit(() -> service.authenticate(c.plaintext()));
      assertThat(looked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(service.revoke(c.token().id(), ALICE).outcome()).isEqualTo(TokenRevocation.REVOKED);
      revokedLatch.countDown();
      assertThat(check.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the racing check itself").isPresent();
    } finally {
      pool.shutdownNow();
    }
    assertThat(service.authenticate(c.plaintext())).as("every later check").isEmpty();
  }

  @Test
  void replicasStartingTogetherWithTheSameAdminTokenAllStart() {
    String admin = "admin-token-shared-by-replicas";
    // replica B looked before replica A stored the token, then tries to store it too
    java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
    Store late =
        (Store) java.lang.reflect.Proxy.newProxyInstance(
            Store.class.getClassLoader(), new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("tokenByHash") && first.getAndSet(false)) {
                return Optional.empty();
              }
              try {
                return method.invoke(store, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
    assertThat(tokens.bootstrapAdmin(admin)).isEmpty();
    assertThat(new TokenService(late, clock).bootstrapAdmin(admin)).isEmpty();
    assertThat(tokens.authenticate(admin)).get().extracting(Principal::role).isEqualTo(Role.ADMIN);
    assertThat(tokens.list(null, 100)).hasSize(1);
    // a store failure that did not store the token is still a failure
    Store broken =
        (Store) java.lang.reflect.Proxy.newProxyInstance(
            Store.class.getClassLoader(), new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("tokenByHash")) {
                return Optional.empty();
              }
              if (method.getName().equals("addToken")) {
                throw new StoreException("disk full");
              }
              return method.invoke(store, args);
            });
    assertThatThrownBy(() -> new TokenService(broken, clock).bootstrapAdmin("another-admin-token"))
        .isInstanceOf(StoreException.class).hasMessageContaining("disk full");
  }
}
