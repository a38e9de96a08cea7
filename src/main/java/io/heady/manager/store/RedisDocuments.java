package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis store's documents other than tasks, read whole: the nodes and counters (written fenced by
 * {@link RedisWrites}), and the cluster's identity, the secrets' key, the secrets and the node enrollments,
 * written here directly: the identity and the secrets' key only if none is kept (so two managers starting at
 * once end with the first one's), a secret by its name (its value encrypted), an enrollment by its node id.
 */
final class RedisDocuments {
  private final RedisLink link;
  private final RedisKeys keys;

  RedisDocuments(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  Future<List<JsonObject>> nodes() {
    return link.send(Request.cmd(Command.HVALS).arg(keys.nodes())).map(RedisDocuments::all);
  }

  Future<JsonObject> counters() {
    return link.send(Request.cmd(Command.GET).arg(keys.counters())).map(r -> {
      JsonObject j = json(r);
      return j == null ? new JsonObject() : j;
    });
  }

  Future<JsonObject> identity() {
    return link.send(Request.cmd(Command.GET).arg(keys.identity())).map(RedisDocuments::json);
  }

  Future<JsonObject> saveIdentityIfAbsent(JsonObject id) {
    return link.send(Request.cmd(Command.SET).arg(keys.identity()).arg(id.toBuffer()).arg("NX"))
        .compose(r -> identity());
  }

  Future<JsonObject> secretsKey() {
    return link.send(Request.cmd(Command.GET).arg(keys.secretsKey())).map(RedisDocuments::json);
  }

  Future<JsonObject> saveSecretsKeyIfAbsent(JsonObject key) {
    return link.send(Request.cmd(Command.SET).arg(keys.secretsKey()).arg(key.toBuffer()).arg("NX"))
        .compose(r -> secretsKey());
  }

  Future<List<JsonObject>> secrets() {
    return link.send(Request.cmd(Command.HVALS).arg(keys.secrets())).map(RedisDocuments::all);
  }

  Future<JsonObject> secret(String name) {
    return link.send(Request.cmd(Command.HGET).arg(keys.secrets()).arg(name)).map(RedisDocuments::json);
  }

  Future<Void> saveSecret(JsonObject secret) {
    String name = secret.getString("name");
    if (name == null) {
      return Future.failedFuture(new IllegalArgumentException("a secret's document needs its name"));
    }
    return link.send(Request.cmd(Command.HSET).arg(keys.secrets()).arg(name).arg(secret.toBuffer())).mapEmpty();
  }

  Future<Boolean> deleteSecret(String name) {
    return link.send(Request.cmd(Command.HDEL).arg(keys.secrets()).arg(name)).map(r -> r != null && r.toInteger() > 0);
  }

  Future<List<JsonObject>> enrollments() {
    return link.send(Request.cmd(Command.HVALS).arg(keys.enrollments())).map(RedisDocuments::all);
  }

  Future<Void> saveEnrollment(JsonObject e) {
    return link.send(Request.cmd(Command.HSET).arg(keys.enrollments()).arg(e.getString("node_id"))
        .arg(e.toBuffer())).mapEmpty();
  }

  Future<Void> deleteEnrollment(String nodeId) {
    return link.send(Request.cmd(Command.HDEL).arg(keys.enrollments()).arg(nodeId)).mapEmpty();
  }

  /** A stored document, or {@code null} for none. */
  static JsonObject json(Response r) {
    return r == null ? null : new JsonObject(r.toBuffer());
  }

  /** Every document of a multi-bulk answer (none for a null one). */
  private static List<JsonObject> all(Response r) {
    List<JsonObject> out = new ArrayList<>(r == null ? 0 : r.size());
    if (r != null) {
      r.forEach(v -> out.add(json(v)));
    }
    return out;
  }
}
