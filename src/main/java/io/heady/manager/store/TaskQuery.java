package io.heady.manager.store;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tasks a list wants, and which page of them: tasks in submission order ({@link TaskPosition}),
 * oldest or newest first, after a cursor, filtered by status, node and type. The scheduler's memory and
 * the stores answer the same query, so a list can be merged from both.
 *
 * @param statuses the wanted statuses (wire names); empty: any
 * @param node a node id or name: tasks whose last attempt ran there; {@code null}: any
 * @param type a task type; {@code null}: any
 * @param after where the previous page ended; {@code null}: from the start
 * @param newestFirst highest position first
 * @param limit at most this many tasks, 1 to {@link #MAX_LIMIT}
 */
public record TaskQuery(Set<String> statuses, String node, String type, TaskPosition after, boolean newestFirst,
    int limit) {
  /** The most tasks a page may ask for (a store's page holds at most {@link ClusterStore#MAX_SCAN}). */
  public static final int MAX_LIMIT = 1000;

  /** Every status a task can have, as the API names them. */
  public static final Set<String> STATUSES = Set.of("waiting", "queued", "dispatched", "running", "succeeded",
      "failed", "timed_out", "cancelled", "skipped");

  public TaskQuery {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    for (String s : statuses) {
      if (!STATUSES.contains(s)) {
        throw new IllegalArgumentException("unknown status '" + s + "'; one of " + new TreeSet<>(STATUSES));
      }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
    }
  }

  /** Every task, oldest first, {@code limit} at a time. */
  public static TaskQuery all(int limit) {
    return new TaskQuery(Set.of(), null, null, null, false, limit);
  }

  public TaskQuery withStatuses(Set<String> s) {
    return new TaskQuery(s, node, type, after, newestFirst, limit);
  }

  public TaskQuery withNode(String n) {
    return new TaskQuery(statuses, n, type, after, newestFirst, limit);
  }

  public TaskQuery withType(String t) {
    return new TaskQuery(statuses, node, t, after, newestFirst, limit);
  }

  public TaskQuery withAfter(TaskPosition a) {
    return new TaskQuery(statuses, node, type, a, newestFirst, limit);
  }

  public TaskQuery withNewestFirst(boolean n) {
    return new TaskQuery(statuses, node, type, after, n, limit);
  }

  public TaskQuery withLimit(int l) {
    return new TaskQuery(statuses, node, type, after, newestFirst, l);
  }

  /** Whether a status is wanted. */
  public boolean wants(String status) {
    return statuses.isEmpty() || statuses.contains(status);
  }

  /** Whether only statuses and position decide (no node or type to read from the documents). */
  boolean byStatusOnly() {
    return node == null && type == null;
  }

  /** Whether a task with these fields matches the filters (not the cursor). */
  public boolean matches(String status, String nodeId, String nodeName, String taskType) {
    return wants(status)
        && (node == null || node.equals(nodeId) || node.equals(nodeName))
        && (type == null || type.equals(taskType));
  }

  /** {@link #matches(String, String, String, String)} on a task document. */
  public boolean matches(JsonObject doc) {
    return matches(doc.getString("status"), str(doc, "node_id"), str(doc, "node_name"), str(doc, "type"));
  }

  /** Whether a task at {@code p} belongs after the cursor. */
  public boolean afterCursor(TaskPosition p) {
    return after == null || after.precedes(p, newestFirst);
  }

  private static String str(JsonObject doc, String key) {
    return doc.getValue(key) instanceof String s ? s : null;
  }
}
