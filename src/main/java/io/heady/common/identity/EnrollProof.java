package io.heady.common.identity;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/**
 * An enrollment request, proven by the key it asks a certificate for: {@code proof} is that key's signature
 * of {@code "heady-enroll-v1\n<id>\n<ts>"}, and the manager accepts {@code ts} only near its own clock. Made by
 * agents (node ids) and by event-bus clients (client names); checked by the manager.
 */
public final class EnrollProof {
  private EnrollProof() {}

  /** What the proof signs. */
  public static byte[] text(String id, long ts) {
    return ("heady-enroll-v1\n" + id + "\n" + ts).getBytes(StandardCharsets.UTF_8);
  }

  /** The request body: {@code idField} (node_id or name), name, public_key, ts and proof. */
  public static JsonObject request(String idField, String id, String name, KeyPair kp, long ts) {
    JsonObject b = new JsonObject().put(idField, id);
    if (name != null) {
      b.put("name", name);
    }
    return b.put("public_key", Pki.pem(kp.getPublic())).put("ts", ts)
        .put("proof", Pki.sign(kp.getPrivate(), text(id, ts)));
  }
}
