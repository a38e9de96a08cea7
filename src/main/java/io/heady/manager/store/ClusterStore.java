package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Where the manager keeps what it must not lose: nodes, tasks (with their attempts and history) and
 * counters. The scheduler holds the working copy in memory and writes every change here before it
 * acknowledges it; on start it reads everything back.
 *
 * <p>Records are the JSON documents of {@code NodeRecord.toJson()} and {@code TaskRecord.toJson()}, keyed by
 * {@code node_id} and {@code task_id}. A task's {@code status} and {@code seq} are indexed so unfinished
 * tasks can be recovered in queue order.
 */
public interface ClusterStore {
  /** Writes (inserts or replaces) nodes. */
  Future<Void> saveNodes(List<JsonObject> nodes);

  Future<Void> deleteNode(String nodeId);

  /** Every node. */
  Future<List<JsonObject>> nodes();

  /**
   * Writes tasks in one batch: either all are durable when the future succeeds, or the failure says the
   * batch must be retried (writes are idempotent: the same document twice is the same state).
   */
  Future<Void> saveTasks(List<JsonObject> tasks);

  /** One task, or {@code null}. */
  Future<JsonObject> task(String taskId);

  /** Every task not yet finished, in submission ({@code seq}) order. */
  Future<List<JsonObject>> unfinishedTasks();

  /** Finished tasks, most recent last: at most {@code limit}, finished before the given position. */
  Future<List<JsonObject>> history(int limit, long beforeFinishSeq);

  /** Counters are written whole; they are a snapshot, not deltas. */
  Future<Void> saveCounters(JsonObject counters);

  Future<JsonObject> counters();

  /** Succeeds when the store is reachable and writable. */
  Future<Void> ping();

  /** A short description for logs and health ({@code memory}, {@code redis://host:port/db}). */
  String describe();

  Future<Void> close();
}
