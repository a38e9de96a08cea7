package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default store: everything in this process's memory, gone when it stops. A real implementation of
 * the contract, not a mock: it copies what it is given and returns copies, keeps the same indexes as the
 * Redis store, and answers synchronously (completed futures).
 */
public final class MemoryClusterStore implements ClusterStore {
  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  private final Map<String, JsonObject> tasks = new ConcurrentHashMap<>();
  private final TreeMap<Long, String> unfinishedBySeq = new TreeMap<>();
  private final TreeMap<Long, String> finishedByOrder = new TreeMap<>();
  private final Map<String, Long> finishOrderOf = new ConcurrentHashMap<>();
  private long finishCounter;
  private JsonObject counters = new JsonObject();

  @Override
  public synchronized Future<Void> saveNodes(List<JsonObject> list) {
    for (JsonObject n : list) {
      nodes.put(n.getString("node_id"), n.copy());
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deleteNode(String nodeId) {
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
    for (JsonObject t : list) {
      String id = t.getString("task_id");
      long seq = t.getLong("seq");
      tasks.put(id, t.copy());
      if (StoreStates.finished(t.getString("status"))) {
        unfinishedBySeq.remove(seq);
        if (!finishOrderOf.containsKey(id)) {
          long order = ++finishCounter;
          finishOrderOf.put(id, order);
          finishedByOrder.put(order, id);
        }
      } else {
        unfinishedBySeq.put(seq, id);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> task(String taskId) {
    JsonObject t = tasks.get(taskId);
    return Future.succeededFuture(t == null ? null : t.copy());
  }

  @Override
  public synchronized Future<List<JsonObject>> unfinishedTasks() {
    List<JsonObject> out = new ArrayList<>();
    unfinishedBySeq.values().forEach(id -> out.add(tasks.get(id).copy()));
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
      out.add(0, tasks.get(e.getValue()).copy().put("finish_seq", e.getKey()));
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> saveCounters(JsonObject c) {
    counters = c.copy();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<JsonObject> counters() {
    return Future.succeededFuture(counters.copy());
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
