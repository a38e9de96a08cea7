package io.heady.manager.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.MemoryClusterStore;
import io.heady.manager.store.RedisClusterStore;
import io.heady.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's secrets at rest: the store holds only ciphertext (bound to the secret's name), under a key kept in
 * the manager's data dir (0600) and in the store; a second manager with its own data dir on the same store reads
 * what the first one set; the first key saved is the one every manager uses.
 */
class SecretVaultTest {
  private static final String VALUE = "correct horse battery staple";
  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path first;

  @TempDir
  Path second;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  private SecretVault vault(ClusterStore store, Path dataDir, Clock clock) {
    return new SecretVault(store, new SecretsKey(vertx, store, dataDir), clock);
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  @Test
  void theStoreHoldsCiphertextOnlyAndTheKeyIsAPrivateFile() throws Exception {
    MemoryClusterStore store = new MemoryClusterStore();
    SecretVault v = vault(store, first, Clock.systemUTC());
    SecretVault.Saved s = await(v.set("API_KEY", VALUE));
    assertTrue(s.created());
    JsonObject doc = await(store.secret("API_KEY"));
    String stored = doc.encode();
    assertFalse(stored.contains(VALUE) || stored.contains("horse"), stored);
    assertFalse(stored.contains(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8))), stored);
    assertEquals(Map.of("API_KEY", VALUE), utf8(await(v.values(List.of("API_KEY")))));

    Path key = first.resolve("identity").resolve(SecretsKey.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(await(store.secretsKey()), new JsonObject(Files.readString(key)), "the same key in both");
    assertEquals(SecretsKey.id(Base64.getDecoder().decode(await(store.secretsKey()).getString("key"))),
        doc.getString("key_id"));
  }

  @Test
  void aSecondManagerOnTheSameRedisReadsWhatTheFirstSet() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedisClusterStore.Settings settings = RedisClusterStore.Settings.defaults().withPrefix("vault:")
          .withTimeout(Duration.ofSeconds(10));
      ClusterStore a = new RedisClusterStore(vertx, redis.url(), settings, Clock.systemUTC());
      ClusterStore b = new RedisClusterStore(vertx, redis.url(), settings, Clock.systemUTC());
      await(vault(a, first, Clock.systemUTC()).set("DB_PASSWORD", VALUE));
      SecretVault standby = vault(b, second, Clock.systemUTC());
      assertEquals(Map.of("DB_PASSWORD", VALUE), utf8(await(standby.values(List.of("DB_PASSWORD")))));
      assertEquals(Files.readString(first.resolve("identity").resolve(SecretsKey.FILE)),
          Files.readString(second.resolve("identity").resolve(SecretsKey.FILE)), "the standby keeps the same key");
      String raw = await(b.secret("DB_PASSWORD")).encode();
      assertFalse(raw.contains(VALUE), "what Redis holds: " + raw);
      await(a.close());
      await(b.close());
    }
  }

  @Test
  void theStoresKeyWinsAndAKeptKeyIsUsedAfterARestart() throws Exception {
    MemoryClusterStore store = new MemoryClusterStore();
    await(vault(store, first, Clock.systemUTC()).set("A", VALUE));
    // a manager whose data dir holds another key joins the same store: the store's key wins, its file is rewritten
    SecretsKey other = new SecretsKey(vertx, new MemoryClusterStore(), second);
    byte[] otherKey = await(other.get());
    SecretsKey joined = new SecretsKey(vertx, store, second);
    byte[] used = await(joined.get());
    assertNotEquals(Base64.getEncoder().encodeToString(otherKey), Base64.getEncoder().encodeToString(used));
    assertEquals(await(store.secretsKey()), new JsonObject(Files.readString(joined.file())));
    // a fresh memory store (a restarted manager) takes the key from the data dir
    MemoryClusterStore restarted = new MemoryClusterStore();
    assertArrayEquals(used, await(new SecretsKey(vertx, restarted, first).get()));
  }

  @Test
  void setKeepsWhenItWasMadeListsNamesOnlyAndRemoves() throws Exception {
    MemoryClusterStore store = new MemoryClusterStore();
    SecretsKey key = new SecretsKey(vertx, store, first);
    await(new SecretVault(store, key, at("2030-01-01T00:00:00Z")).set("B_TOKEN", "one"));
    await(new SecretVault(store, key, at("2030-01-01T00:00:00Z")).set("A_TOKEN", "two"));
    SecretVault.Saved again = await(new SecretVault(store, key, at("2030-01-02T00:00:00Z")).set("B_TOKEN", "three"));
    assertFalse(again.created());
    SecretVault v = new SecretVault(store, key, Clock.systemUTC());
    List<SecretVault.Info> all = await(v.list());
    assertEquals(List.of("A_TOKEN", "B_TOKEN"), all.stream().map(SecretVault.Info::name).toList());
    SecretVault.Info b = all.get(1);
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), b.createdAt());
    assertEquals(Instant.parse("2030-01-02T00:00:00Z"), b.updatedAt());
    assertEquals(List.of("created_at", "name", "updated_at"), b.toJson().fieldNames().stream().sorted().toList(),
        "no value in a listing");
    assertEquals("three", utf8(await(v.values(List.of("B_TOKEN")))).get("B_TOKEN"));

    assertEquals(List.of("NOPE"), await(v.missing(List.of("A_TOKEN", "NOPE", "B_TOKEN"))));
    assertTrue(await(v.remove("A_TOKEN")));
    assertFalse(await(v.remove("A_TOKEN")));
    Throwable gone = assertThrows(Exception.class, () -> await(v.values(List.of("B_TOKEN", "A_TOKEN"))));
    SecretVault.Missing m = assertInstanceOf(SecretVault.Missing.class, gone);
    assertEquals("A_TOKEN", m.name());
  }

  @Test
  void aCiphertextMovedToAnotherNameOrAlteredDoesNotOpen() throws Exception {
    MemoryClusterStore store = new MemoryClusterStore();
    SecretVault v = vault(store, first, Clock.systemUTC());
    await(v.set("ADMIN_PW", VALUE));
    await(v.set("GUEST_PW", "guest"));
    JsonObject admin = await(store.secret("ADMIN_PW"));
    await(store.saveSecret(admin.copy().put("name", "GUEST_PW")));
    Throwable moved = assertThrows(Exception.class, () -> await(v.values(List.of("GUEST_PW"))));
    assertInstanceOf(IllegalArgumentException.class, moved);
    assertTrue(moved.getMessage().contains("GUEST_PW") && !moved.getMessage().contains(VALUE), moved.getMessage());
  }

  private static Map<String, String> utf8(Map<String, byte[]> values) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }
}
