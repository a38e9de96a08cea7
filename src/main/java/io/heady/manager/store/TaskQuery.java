package io.heady.manager.store;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tasks a list wants, and which page of them: tasks in submission order ({@link TaskPosition}),
 * oldest or newest first, after a cursor, filtered by status, node, type and submission time. The scheduler's
 * memory and the stores answer the same query, so a list can be merged from both.
 *
 * <p>Time: a task's submission time ({@code created_at}) follows its position, since the leader numbers tasks as
 * they come; only managers with clocks apart (a failover) or a clock stepped back break that. So a list by time
 * stops at the first task submitted more than {@link #CLOCK_SLACK} beyond its window in the page's direction:
 * newest first below {@code since}, oldest first past {@code until}. A task whose time is out of step by more
 * than that can be left out; nothing else is.
 *
 * @param statuses the wanted statuses (wire names); empty: any
 * @param node a node: tasks whose last attempt ran there; {@code null}: any
 * @param nodeById {@code node} is a node's id (resolved by {@code NodeResolver}); else it matches a task's node id
 *     or name as the task recorded them (a node that is gone)
 * @param type a task type; {@code null}: any
 * @param since submitted at or after this; {@code null}: any
 * @param until submitted before this; {@code null}: any
 * @param after where the previous page ended; {@code null}: from the start
 * @param newestFirst highest position first
 * @param limit at most this many tasks, 1 to {@link #MAX_LIMIT}
 */
public record TaskQuery(Set<String> statuses, String node, boolean nodeById, String type, Instant since,
    Instant until, TaskPosition after, boolean newestFirst, int limit) {
  /** The most tasks a page may ask for (a store's page holds at most {@link ClusterStore#MAX_SCAN}). */
  public static final int MAX_LIMIT = 1000;

  /** How far a task's submission time may be out of step with its position (see the class comment). */
  public static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

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
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
    }
    nodeById &= node != null;
  }

  /** Without a time window. */
  public TaskQuery(Set<String> statuses, String node, String type, TaskPosition after, boolean newestFirst,
      int limit) {
    this(statuses, node, false, type, null, null, after, newestFirst, limit);
  }

  /** Every task, oldest first, {@code limit} at a time. */
  public static TaskQuery all(int limit) {
    return new TaskQuery(Set.of(), null, null, null, false, limit);
  }

  public TaskQuery withStatuses(Set<String> s) {
    return new TaskQuery(s, node, nodeById, type, since, until, after, newestFirst, limit);
  }

  /** Tasks whose node's id or name, as the task recorded them, is {@code n}. */
  public TaskQuery withNode(String n) {
    return new TaskQuery(statuses, n, false, type, since, until, after, newestFirst, limit);
  }

  /** Tasks that ran on the node of this id. */
  public TaskQuery withNodeId(String id) {
    return new TaskQuery(statuses, id, true, type, since, until, after, newestFirst, limit);
  }

  public TaskQuery withType(String t) {
    return new TaskQuery(statuses, node, nodeById, t, since, until, after, newestFirst, limit);
  }

  /** Tasks submitted at or after {@code from} and before {@code to} (either {@code null}: open). */
  public TaskQuery withWindow(Instant from, Instant to) {
    return new TaskQuery(statuses, node, nodeById, type, from, to, after, newestFirst, limit);
  }

  public TaskQuery withAfter(TaskPosition a) {
    return new TaskQuery(statuses, node, nodeById, type, since, until, a, newestFirst, limit);
  }

  public TaskQuery withNewestFirst(boolean n) {
    return new TaskQuery(statuses, node, nodeById, type, since, until, after, n, limit);
  }

  public TaskQuery withLimit(int l) {
    return new TaskQuery(statuses, node, nodeById, type, since, until, after, newestFirst, l);
  }

  /** Whether a status is wanted. */
  public boolean wants(String status) {
    return statuses.isEmpty() || statuses.contains(status);
  }

  /** Whether only statuses and position decide (nothing to read from the documents). */
  boolean byStatusOnly() {
    return node == null && type == null && since == null && until == null;
  }

  /** {@link #matches(String, String, String, String, Instant)} of a task without a time. */
  public boolean matches(String status, String nodeId, String nodeName, String taskType) {
    return matches(status, nodeId, nodeName, taskType, null);
  }

  /** Whether a task with these fields matches every filter (not the cursor); a task without a time matches none. */
  public boolean matches(String status, String nodeId, String nodeName, String taskType, Instant createdAt) {
    if (!matchesUntimed(status, nodeId, nodeName, taskType)) {
      return false;
    }
    if (!timed()) {
      return true;
    }
    return createdAt != null && (since == null || !createdAt.isBefore(since))
        && (until == null || createdAt.isBefore(until));
  }

  private boolean matchesUntimed(String status, String nodeId, String nodeName, String taskType) {
    return wants(status)
        && (node == null || node.equals(nodeId) || (!nodeById && node.equals(nodeName)))
        && (type == null || type.equals(taskType));
  }

  private boolean timed() {
    return since != null || until != null;
  }

  /** {@link #matches(String, String, String, String, Instant)} on a task document. */
  public boolean matches(JsonObject doc) {
    return matches(doc.getString("status"), str(doc, "node_id"), str(doc, "node_name"), str(doc, "type"),
        createdAt(doc));
  }

  /**
   * Whether a task submitted at {@code createdAt}, met in this query's order, lies so far beyond its time window
   * that no task after it can match (see the class comment): the list ends there.
   */
  public boolean pastWindow(Instant createdAt) {
    if (createdAt == null) {
      return false;
    }
    return newestFirst
        ? since != null && createdAt.isBefore(since.minus(CLOCK_SLACK))
        : until != null && !createdAt.isBefore(until.plus(CLOCK_SLACK));
  }

  /** Whether a task at {@code p} belongs after the cursor. */
  public boolean afterCursor(TaskPosition p) {
    return after == null || after.precedes(p, newestFirst);
  }

  /** A document's {@code created_at}, or {@code null} when it has none that reads as a time. */
  public static Instant createdAt(JsonObject doc) {
    if (!(doc.getValue("created_at") instanceof String s)) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String str(JsonObject doc, String key) {
    return doc.getValue(key) instanceof String s ? s : null;
  }
}
