package io.heady.client;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * A task record as {@code GET /api/cluster/tasks/:id} (or the task list) shows it. {@link #json()} has every
 * field, including {@code attempts}, {@code explain} and {@code history}.
 *
 * @param attempts how many times the task was dispatched
 */
public record TaskInfo(String taskId, String dagId, String type, String priority, TaskStatus status, String command,
    String nodeId, String nodeName, String nodeTier, Integer exitCode, Long durationMs, String stdout, String stderr,
    String reason, int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, JsonObject json) {

  public static TaskInfo fromJson(JsonObject j) {
    JsonObject result = j.getValue("result") instanceof JsonObject r ? r : new JsonObject();
    Object cmd = j.getValue("command");
    String command = cmd instanceof String s ? s
        : j.getValue("argv") instanceof io.vertx.core.json.JsonArray a ? String.join(" ", a.getList()) : null;
    return new TaskInfo(j.getString("task_id"), j.getString("dag_id"), j.getString("type"), j.getString("priority"),
        TaskStatus.fromWire(j.getString("status")), command, j.getString("node_id"), j.getString("node_name"),
        j.getString("node_tier"), integer(j, "exit_code"), j.getValue("duration_ms") instanceof Number n
            ? n.longValue() : null, result.getString("stdout"), result.getString("stderr"), j.getString("reason"),
        j.getValue("attempt") instanceof Number n ? n.intValue() : 0, instant(j, "created_at"),
        instant(j, "started_at"), instant(j, "finished_at"), j);
  }

  /**
   * Why a task that is not on a node waits, as the manager says it now (its dependencies, its retry delay, or
   * every node's failing placement check, grouped), or {@code null}.
   */
  public String waitingReason() {
    return json == null ? null : json.getString("waiting_reason");
  }

  /** The outcome so far, in the SDK's result shape. */
  public TaskResult toResult() {
    long d;
    if (durationMs != null) {
      d = durationMs;
    } else if (startedAt != null && finishedAt != null) {
      d = Duration.between(startedAt, finishedAt).toMillis();
    } else {
      d = 0;
    }
    return new TaskResult(taskId, status, exitCode, stdout == null ? "" : stdout, stderr == null ? "" : stderr,
        nodeId, d, reason, json);
  }

  private static Integer integer(JsonObject j, String k) {
    return j.getValue(k) instanceof Number n ? n.intValue() : null;
  }

  private static Instant instant(JsonObject j, String k) {
    try {
      return j.getValue(k) instanceof String s ? Instant.parse(s) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
