package io.heady.manager.secrets;

import io.heady.common.protocol.SecretRefs;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The cluster's secrets in its store: each one a document of its name, its value encrypted with the
 * {@link SecretsKey} ({@link AtRestCipher}), the id of that key and when it was made and last changed. Values go in
 * through {@link #set} and come out only through {@link #values}, for a dispatch; {@link #list} answers names and
 * times only.
 */
public final class SecretVault {
  /** What is listed of a secret: never its value. */
  public record Info(String name, Instant createdAt, Instant updatedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("created_at", createdAt.toString())
          .put("updated_at", updatedAt.toString());
    }
  }

  /** What {@link #set} did: the listing, and whether the secret is new. */
  public record Saved(Info info, boolean created) {}

  /** A secret the caller named is not there. */
  public static final class Missing extends RuntimeException {
    private final String name;

    public Missing(String name) {
      super("there is no secret named " + name, null, false, false);
      this.name = name;
    }

    public String name() {
      return name;
    }
  }

  private final ClusterStore store;
  private final SecretsKey key;
  private final Clock clock;

  public SecretVault(ClusterStore store, SecretsKey key, Clock clock) {
    this.store = store;
    this.key = key;
    this.clock = clock;
  }

  /** Creates or replaces a secret (the caller checked its name and value); the store gets the ciphertext only. */
  public Future<Saved> set(String name, String value) {
    SecretRefs.checkName(name, "name");
    SecretRefs.checkValue(value, "value");
    return key.get().compose(k -> store.secret(name).compose(old -> {
      Instant now = clock.instant();
      Instant created = old != null && old.getString("created_at") != null ? Instant.parse(old.getString("created_at"))
          : now;
      JsonObject doc = new JsonObject().put("name", name)
          .put("ciphertext", AtRestCipher.encrypt(k, name, value.getBytes(StandardCharsets.UTF_8)))
          .put("key_id", SecretsKey.id(k))
          .put("created_at", created.toString())
          .put("updated_at", now.toString());
      return store.saveSecret(doc).map(v -> new Saved(new Info(name, created, now), old == null));
    }));
  }

  /** Every secret's name and times, by name. */
  public Future<List<Info>> list() {
    return store.secrets().map(docs -> {
      List<Info> out = new ArrayList<>();
      for (JsonObject d : docs) {
        out.add(info(d));
      }
      out.sort(Comparator.comparing(Info::name));
      return out;
    });
  }

  /** Removes a secret: later attempts that name it fail. False when there was none of that name. */
  public Future<Boolean> remove(String name) {
    return store.deleteSecret(name);
  }

  /** The names among {@code names} that the store does not hold, in the order given (one read per name). */
  public Future<List<String>> missing(Collection<String> names) {
    List<String> wanted = new ArrayList<>(new LinkedHashSet<>(names));
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<JsonObject>> reads = new ArrayList<>();
    wanted.forEach(n -> reads.add(store.secret(n)));
    return Future.all(reads).map(all -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < wanted.size(); i++) {
        if (all.resultAt(i) == null) {
          out.add(wanted.get(i));
        }
      }
      return out;
    });
  }

  /**
   * The values of these secrets, name → value, read and decrypted now. Fails with {@link Missing} naming the
   * first one that is not there, or with {@link IllegalArgumentException} when one does not open.
   */
  public Future<Map<String, byte[]>> values(Collection<String> names) {
    List<String> wanted = new ArrayList<>(new LinkedHashSet<>(names));
    if (wanted.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return key.get().compose(k -> {
      List<Future<JsonObject>> reads = new ArrayList<>();
      wanted.forEach(n -> reads.add(store.secret(n)));
      return Future.all(reads).map(all -> {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
          JsonObject d = all.resultAt(i);
          String n = wanted.get(i);
          if (d == null) {
            throw new Missing(n);
          }
          String id = d.getString("key_id");
          if (id != null && !id.equals(SecretsKey.id(k))) {
            throw new IllegalArgumentException("secret " + n + " was encrypted with another key (" + id
                + ") than this manager's (" + SecretsKey.id(k) + "): set it again");
          }
          out.put(n, AtRestCipher.decrypt(k, n, d.getString("ciphertext", "")));
        }
        return out;
      });
    });
  }

  private static Info info(JsonObject d) {
    Instant c = Instant.parse(d.getString("created_at"));
    String u = d.getString("updated_at");
    return new Info(d.getString("name"), c, u == null ? c : Instant.parse(u));
  }
}
