package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default store: everything in this process's memory, gone when it stops. A real implementation of
 * the contract, not a mock: it keeps the task documents it is given (the contract lets it), returns copies,
 * keeps the same indexes, retention
 * and leadership lease as the Redis store, and answers synchronously (completed futures). The tasks and their
 * indexes are {@link MemoryTasks}; this class adds the other documents, the lease and the fencing, and one lock.
 */
public final class MemoryClusterStore implements ClusterStore {
  private final Clock clock;
  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  private final MemoryTasks tasks;
  private JsonObject identity;
  private JsonObject secretsKey;
  private final Map<String, JsonObject> secrets = new LinkedHashMap<>();
  private final Map<String, JsonObject> enrollments = new LinkedHashMap<>();
  private JsonObject counters = new JsonObject();
  private String leader;
  private String leaderUrl;
  private Instant leaseUntil = Instant.MIN;
  private String self;

  /** The manager's default: {@link Retention#DEFAULT}, the system clock. */
  public MemoryClusterStore() {
    this(Retention.DEFAULT, Clock.systemUTC());
  }

  public MemoryClusterStore(Retention retention, Clock clock) {
    this.tasks = new MemoryTasks(retention);
    this.clock = clock;
  }

  @Override
  public synchronized Future<Void> saveNodes(List<JsonObject> list) {
    for (JsonObject n : list) {
      if (n == null || !(n.getValue("node_id") instanceof String)) {
        return Future.failedFuture(new IllegalArgumentException("a node document has no node_id"));
      }
    }
    if (fenced()) {
      return refused();
    }
    for (JsonObject n : list) {
      nodes.put(n.getString("node_id"), n.copy());
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deleteNode(String nodeId) {
    if (fenced()) {
      return refused();
    }
    nodes.remove(nodeId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<JsonObject>> nodes() {
    List<JsonObject> out = new ArrayList<>();
    nodes.values().forEach(n -> out.add(n.copy()));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> saveTasks(List<JsonObject> list) {
    List<TaskEntry> batch;
    try {
      batch = TaskEntry.of(list);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (fenced()) {
      return refused();
    }
    tasks.save(batch, clock.instant());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> task(String taskId) {
    return Future.succeededFuture(tasks.doc(taskId));
  }

  @Override
  public synchronized Future<List<JsonObject>> unfinishedTasks() {
    return Future.succeededFuture(tasks.unfinished());
  }

  @Override
  public synchronized Future<List<JsonObject>> history(int limit, long beforeFinishSeq) {
    return Future.succeededFuture(tasks.history(limit, beforeFinishSeq));
  }

  @Override
  public synchronized Future<TaskPage> tasks(TaskQuery q) {
    return Future.succeededFuture(tasks.page(q));
  }

  @Override
  public synchronized Future<Integer> expireFinished() {
    if (fenced()) {
      return refused();
    }
    return Future.succeededFuture(tasks.expire(clock.instant()));
  }

  @Override
  public synchronized Future<Long> highestSeq() {
    return Future.succeededFuture(tasks.highestSeq());
  }

  @Override
  public synchronized Future<JsonObject> identity() {
    return Future.succeededFuture(identity == null ? null : identity.copy());
  }

  @Override
  public synchronized Future<JsonObject> saveIdentityIfAbsent(JsonObject id) {
    if (identity == null) {
      identity = id.copy();
    }
    return Future.succeededFuture(identity.copy());
  }

  @Override
  public synchronized Future<JsonObject> secretsKey() {
    return Future.succeededFuture(secretsKey == null ? null : secretsKey.copy());
  }

  @Override
  public synchronized Future<JsonObject> saveSecretsKeyIfAbsent(JsonObject key) {
    if (secretsKey == null) {
      secretsKey = key.copy();
    }
    return Future.succeededFuture(secretsKey.copy());
  }

  @Override
  public synchronized Future<List<JsonObject>> secrets() {
    List<JsonObject> out = new ArrayList<>();
    secrets.values().forEach(s -> out.add(s.copy()));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<JsonObject> secret(String name) {
    JsonObject s = secrets.get(name);
    return Future.succeededFuture(s == null ? null : s.copy());
  }

  @Override
  public synchronized Future<Void> saveSecret(JsonObject secret) {
    String name = secret.getString("name");
    if (name == null) {
      return Future.failedFuture(new IllegalArgumentException("a secret's document needs its name"));
    }
    secrets.put(name, secret.copy());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> deleteSecret(String name) {
    return Future.succeededFuture(secrets.remove(name) != null);
  }

  @Override
  public synchronized Future<List<JsonObject>> enrollments() {
    List<JsonObject> out = new ArrayList<>();
    enrollments.values().forEach(e -> out.add(e.copy()));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> saveEnrollment(JsonObject e) {
    enrollments.put(e.getString("node_id"), e.copy());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deleteEnrollment(String nodeId) {
    enrollments.remove(nodeId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> saveCounters(JsonObject c) {
    if (fenced()) {
      return refused();
    }
    counters = c.copy();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> counters() {
    return Future.succeededFuture(counters.copy());
  }

  @Override
  public synchronized Future<Boolean> tryLead(String managerId, String url, Duration ttl) {
    Instant now = clock.instant();
    self = managerId;
    if (leader == null || !now.isBefore(leaseUntil) || leader.equals(managerId)) {
      leader = managerId;
      leaderUrl = url;
      leaseUntil = now.plus(ttl);
      return Future.succeededFuture(true);
    }
    return Future.succeededFuture(false);
  }

  @Override
  public synchronized Future<String> leader() {
    return Future.succeededFuture(currentLeader());
  }

  @Override
  public synchronized Future<String> leaderUrl() {
    return Future.succeededFuture(currentLeader() == null ? null : leaderUrl);
  }

  @Override
  public synchronized Future<Void> resign(String managerId) {
    if (managerId.equals(currentLeader())) {
      leader = null;
    }
    return Future.succeededFuture();
  }

  private String currentLeader() {
    return leader != null && clock.instant().isBefore(leaseUntil) ? leader : null;
  }

  private boolean fenced() {
    return self != null && !self.equals(currentLeader());
  }

  private <T> Future<T> refused() {
    return Future.failedFuture(new NotLeaderException(self, currentLeader()));
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public JsonObject durability() {
    return new JsonObject().put("kind", "memory").put("durable", false);
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
