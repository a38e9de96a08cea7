package io.heady.manager.secrets;

import io.heady.common.identity.PrivateFile;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The 256-bit key the cluster's secrets are encrypted with in the store. Made by the first manager that needs it,
 * kept in {@code <data-dir>/identity/secrets.key} (0600) and in the store, where standby managers on the same store
 * find it, as they find the cluster's identity: the store's key wins over the data dir's, and the first one saved
 * is the one kept. Loaded on first use (a store that does not answer yet is asked again next time); the file I/O
 * runs off the event loop.
 */
public final class SecretsKey {
  /** The file in {@code <data-dir>/identity/}. */
  public static final String FILE = "secrets.key";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final ClusterStore store;
  private final Path file;
  private Future<byte[]> loading;

  public SecretsKey(Vertx vertx, ClusterStore store, Path dataDir) {
    this.vertx = vertx;
    this.store = store;
    this.file = dataDir.resolve("identity").resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** The key: the store's, else the data dir's, else a new one; whichever it is ends up in both. */
  public synchronized Future<byte[]> get() {
    if (loading == null || loading.failed()) {
      loading = load();
    }
    return loading;
  }

  private Future<byte[]> load() {
    return store.secretsKey().compose(stored -> vertx.executeBlocking(() -> {
      JsonObject local = Files.isRegularFile(file) ? new JsonObject(Files.readString(file, StandardCharsets.US_ASCII))
          : null;
      if (local != null) {
        bytes(local, file.toString()); // why: a damaged file must be said so, not silently replaced
      }
      return new JsonObject[] {stored, local};
    })).compose(docs -> {
      JsonObject chosen = docs[0] != null ? docs[0] : docs[1] != null ? docs[1] : doc(newKey());
      return store.saveSecretsKeyIfAbsent(chosen).compose(kept -> vertx.executeBlocking(() -> {
        byte[] key = bytes(kept, "the store");
        if (docs[1] == null || !docs[1].equals(kept)) {
          Files.createDirectories(file.getParent());
          PrivateFile.write(file, kept.encodePrettily() + "\n");
        }
        return key;
      }));
    }).recover(e -> Future.failedFuture(new IllegalStateException("the secrets' key cannot be loaded (" + e.getMessage()
        + "); it is kept in " + file + " and in the store", e)));
  }

  /** The document kept: the key in base64 and its id. */
  static JsonObject doc(byte[] key) {
    return new JsonObject().put("key", Base64.getEncoder().encodeToString(key)).put("id", id(key));
  }

  /** A short name of a key, stored with each secret, so a secret encrypted with another key says so. */
  static String id(byte[] key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update("heady-secrets-key-id\n".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d.digest(key), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] newKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  private static byte[] bytes(JsonObject doc, String where) throws IOException {
    try {
      byte[] k = Base64.getDecoder().decode(doc.getString("key", ""));
      if (k.length != 32) {
        throw new IllegalArgumentException("a key of " + k.length + " bytes, not 32");
      }
      return k;
    } catch (RuntimeException e) {
      throw new IOException("the secrets' key in " + where + " is not valid (" + e.getMessage() + ")", e);
    }
  }
}
