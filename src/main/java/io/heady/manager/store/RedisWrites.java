package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fenced writes of the Redis store: tasks, nodes and counters, each one run of {@link RedisScripts#WRITE}.
 * A batch of tasks lands whole or not at all, in one round trip, and its future succeeds only after Redis
 * replied. The same run applies the {@link Retention} (the clock times finished tasks) and, once a manager asked
 * to lead, lands nothing unless that manager holds the lease.
 */
final class RedisWrites {
  private final RedisLink link;
  private final RedisKeys keys;
  private final Retention retention;
  private final Clock clock;
  private final Supplier<String> owner;

  /** @param owner the manager the writes are fenced with, or {@code null} for none */
  RedisWrites(RedisLink link, RedisKeys keys, Retention retention, Clock clock, Supplier<String> owner) {
    this.link = link;
    this.keys = keys;
    this.retention = retention;
    this.clock = clock;
    this.owner = owner;
  }

  Future<Void> saveTasks(List<JsonObject> tasks) {
    List<TaskEntry> batch;
    try {
      batch = TaskEntry.of(tasks);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    Request r = write("tasks");
    for (TaskEntry t : batch) {
      r.arg(t.id()).arg(t.seq()).arg(t.status()).arg(t.doc().toBuffer());
    }
    return link.send(r).mapEmpty();
  }

  Future<Void> saveNodes(List<JsonObject> nodes) {
    for (JsonObject n : nodes) {
      if (n == null || !(n.getValue("node_id") instanceof String)) {
        return Future.failedFuture(new IllegalArgumentException("a node document has no node_id"));
      }
    }
    if (nodes.isEmpty()) {
      return Future.succeededFuture();
    }
    Request r = write("nodes");
    nodes.forEach(n -> r.arg(n.getString("node_id")).arg(n.toBuffer()));
    return link.send(r).mapEmpty();
  }

  Future<Void> deleteNode(String nodeId) {
    return link.send(write("delnode").arg(nodeId)).mapEmpty();
  }

  Future<Void> saveCounters(JsonObject counters) {
    return link.send(write("counters").arg(counters.toBuffer())).mapEmpty();
  }

  Future<Integer> expireFinished() {
    return link.send(write("expire")).map(Response::toInteger);
  }

  /** The write script's request, up to its op; the caller adds the op's arguments. */
  private Request write(String op) {
    long now = clock.millis();
    String self = owner.get();
    return RedisScripts.call(RedisScripts.WRITE_SHA, keys.writeKeys())
        .arg(self == null ? "" : self)
        .arg(now)
        .arg(retention.keepFinished())
        .arg(retention.byAge() ? Long.toString(now - retention.finishedTtl().toMillis()) : "")
        .arg(op);
  }
}
