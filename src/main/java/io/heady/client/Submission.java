package io.heady.client;

import io.vertx.core.json.JsonObject;

/**
 * The manager's answer to one submitted task: where it went at once, or why it waits.
 *
 * @param routed placed on a node already (not queued or waiting)
 * @param created false when a task with the same client id already existed (idempotent resubmission)
 * @param waitingReason why a queued task is not placed yet ({@code null} when routed)
 * @param json the answer as the API gave it
 */
public record Submission(String taskId, TaskStatus status, boolean routed, String nodeId, String nodeName,
    String waitingReason, boolean created, JsonObject json) {

  public static Submission fromJson(JsonObject j) {
    String id = j.getString("task_id");
    if (id == null) {
      throw new HeadyException(0, HeadyException.BAD_RESPONSE, "the submit answer has no task_id: " + j.encode());
    }
    return new Submission(id, TaskStatus.fromWire(j.getString("status")), j.getBoolean("routed", false),
        j.getString("node_id"), j.getString("node_name"), j.getString("waiting_reason"), j.getBoolean("created", true),
        j);
  }
}
