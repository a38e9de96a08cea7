package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The default store: everything in this process's memory, gone when it stops. A real implementation of
 * the contract, not a mock: it keeps the task documents it is given (the contract lets it), returns copies,
 * keeps the same indexes, retention
 * and leadership lease as the Redis store, and answers synchronously (completed futures).
 */
public final class MemoryClusterStore implements ClusterStore {
  private record Queued(long seq, String id) {}

  /** What {@link #tasks} filters on, kept beside each document so a list decodes only what it returns. */
  private record Listed(TaskPosition at, String status, String nodeId, String nodeName, String type) {
    static Listed of(TaskEntry t) {
      JsonObject d = t.doc();
      return new Listed(new TaskPosition(t.seq(), t.id()), t.status(), str(d, "node_id"), str(d, "node_name"),
          str(d, "type"));
    }

    private static String str(JsonObject d, String key) {
      return d.getValue(key) instanceof String v ? v : null;
    }
  }

  private static final Comparator<Queued> QUEUE_ORDER =
      Comparator.comparingLong(Queued::seq).thenComparing(Queued::id);

  private final Retention retention;
  private final Clock clock;
  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  // why: a finished task is kept encoded (a third of the memory of its object tree) and read back rarely
  private final Map<String, Object> tasks = new HashMap<>(); // JsonObject while unfinished, else Buffer
  private final TreeSet<Queued> unfinished = new TreeSet<>(QUEUE_ORDER);
  private final Map<String, Long> seqOf = new HashMap<>();
  private final TreeMap<Long, String> finishedByOrder = new TreeMap<>();
  private final Map<String, Long> finishOrderOf = new HashMap<>();
  private final Map<String, Instant> finishedAt = new HashMap<>();
  private long finishCounter;
  // why: one index per status, like the Redis store's indexes of finished tasks, so a list by status is a
  // walk of its own index
  private final Map<String, TreeSet<TaskPosition>> byStatus = new HashMap<>();
  private final Map<String, Listed> listed = new HashMap<>();
  private long highestSeq;
  private JsonObject identity;
  private JsonObject secretsKey;
  private final Map<String, JsonObject> secrets = new java.util.LinkedHashMap<>();
  private final Map<String, JsonObject> enrollments = new java.util.LinkedHashMap<>();
  private JsonObject counters = new JsonObject();
  private String leader;
  private Instant leaseUntil = Instant.MIN;
  private String self;

  /** The manager's default: {@link Retention#DEFAULT}, the system clock. */
  public MemoryClusterStore() {
    this(Retention.DEFAULT, Clock.systemUTC());
  }

  public MemoryClusterStore(Retention retention, Clock clock) {
    this.retention = retention;
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
    Instant now = clock.instant();
    for (TaskEntry t : batch) {
      tasks.put(t.id(), t.finished() ? t.doc().toBuffer() : t.doc());
      unlist(t.id());
      Listed l = Listed.of(t);
      listed.put(t.id(), l);
      byStatus.computeIfAbsent(l.status(), k -> new TreeSet<>()).add(l.at());
      highestSeq = Math.max(highestSeq, t.seq());
      Long oldSeq = seqOf.remove(t.id());
      if (oldSeq != null) {
        unfinished.remove(new Queued(oldSeq, t.id()));
      }
      if (t.finished()) {
        if (!finishOrderOf.containsKey(t.id())) {
          long order = ++finishCounter;
          finishOrderOf.put(t.id(), order);
          finishedByOrder.put(order, t.id());
          finishedAt.put(t.id(), now);
        }
      } else {
        // why: whatever the last document says is the state; a finished task saved as unfinished again
        // (a stale retry) leaves the history and rejoins the queue, as in the Redis store
        Long order = finishOrderOf.remove(t.id());
        if (order != null) {
          finishedByOrder.remove(order);
          finishedAt.remove(t.id());
        }
        unfinished.add(new Queued(t.seq(), t.id()));
        seqOf.put(t.id(), t.seq());
      }
    }
    expire(now);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> task(String taskId) {
    return Future.succeededFuture(doc(taskId));
  }

  /** A copy of a task's document, or {@code null}. */
  private JsonObject doc(String id) {
    Object d = tasks.get(id);
    if (d instanceof Buffer b) {
      return new JsonObject(b);
    }
    return d == null ? null : ((JsonObject) d).copy();
  }

  @Override
  public synchronized Future<List<JsonObject>> unfinishedTasks() {
    List<JsonObject> out = new ArrayList<>(unfinished.size());
    unfinished.forEach(q -> out.add(doc(q.id())));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<List<JsonObject>> history(int limit, long beforeFinishSeq) {
    var head = beforeFinishSeq <= 0 ? finishedByOrder : finishedByOrder.headMap(beforeFinishSeq, false);
    List<JsonObject> out = new ArrayList<>();
    for (var e : head.descendingMap().entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(doc(e.getValue()).put("finish_seq", e.getKey()));
    }
    java.util.Collections.reverse(out);
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Integer> expireFinished() {
    if (fenced()) {
      return refused();
    }
    return Future.succeededFuture(expire(clock.instant()));
  }

  /** Same rules and the same per-call bound as the Redis script. */
  private int expire(Instant now) {
    int removed = 0;
    if (retention.byCount()) {
      while (finishedByOrder.size() > retention.keepFinished() && removed < Retention.MAX_EXPIRED_PER_CALL) {
        drop(finishedByOrder.firstEntry().getValue());
        removed++;
      }
    }
    if (retention.byAge()) {
      Instant cutoff = now.minus(retention.finishedTtl());
      List<String> old = new ArrayList<>();
      for (String id : finishedByOrder.values()) {
        if (old.size() + removed >= Retention.MAX_EXPIRED_PER_CALL) {
          break;
        }
        if (finishedAt.get(id).isAfter(cutoff)) {
          break; // why: finish order is time order, so the rest finished later still
        }
        old.add(id);
      }
      old.forEach(this::drop);
      removed += old.size();
    }
    return removed;
  }

  private void drop(String id) {
    Long order = finishOrderOf.remove(id);
    if (order != null) {
      finishedByOrder.remove(order);
    }
    finishedAt.remove(id);
    tasks.remove(id);
    unlist(id);
  }

  private void unlist(String id) {
    Listed old = listed.remove(id);
    if (old != null) {
      byStatus.get(old.status()).remove(old.at());
    }
  }

  @Override
  public synchronized Future<TaskPage> tasks(TaskQuery q) {
    // why: every status has its own exact index here, so only a node or type filter needs the scan window
    int window = q.byStatusOnly() ? Math.min(q.limit(), MAX_SCAN) : MAX_SCAN;
    List<IndexMerge.Slice> slices = new ArrayList<>();
    for (String status : q.statuses().isEmpty() ? byStatus.keySet() : q.statuses()) {
      TreeSet<TaskPosition> index = byStatus.get(status);
      if (index != null && !index.isEmpty()) {
        slices.add(slice(index, q, window));
      }
    }
    IndexMerge.Candidates c = IndexMerge.merge(slices, q.newestFirst(), window);
    IndexMerge.Collector page = new IndexMerge.Collector(q);
    for (TaskPosition p : c.positions()) {
      Listed l = listed.get(p.id());
      boolean match = l != null && q.matches(l.status(), l.nodeId(), l.nodeName(), l.type());
      if (page.offer(p, match ? doc(p.id()) : null)) {
        break;
      }
    }
    return Future.succeededFuture(page.page(c));
  }

  /** Up to {@code window} positions of one index after the query's cursor, in its order. */
  private static IndexMerge.Slice slice(TreeSet<TaskPosition> index, TaskQuery q, int window) {
    TaskPosition after = q.after();
    java.util.NavigableSet<TaskPosition> view;
    if (after == null) {
      view = q.newestFirst() ? index.descendingSet() : index;
    } else if (q.newestFirst()) {
      view = index.headSet(new TaskPosition(after.seq() + 1, null), false).descendingSet();
    } else {
      view = index.tailSet(new TaskPosition(after.seq(), null), true);
    }
    List<TaskPosition> out = new ArrayList<>();
    for (TaskPosition p : view) {
      if (!q.afterCursor(p)) {
        continue; // why: the cursor's own seq, at or before its id
      }
      if (out.size() == window) {
        return new IndexMerge.Slice(out, true);
      }
      out.add(p);
    }
    return new IndexMerge.Slice(out, false);
  }

  @Override
  public synchronized Future<Long> highestSeq() {
    return Future.succeededFuture(highestSeq);
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
  public synchronized Future<Boolean> tryLead(String managerId, Duration ttl) {
    Instant now = clock.instant();
    self = managerId;
    if (leader == null || !now.isBefore(leaseUntil) || leader.equals(managerId)) {
      leader = managerId;
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
  public String describe() {
    return "memory";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
