package io.heady.client;

import io.vertx.core.json.JsonObject;

/**
 * How a finished task ended.
 *
 * @param exitCode the process's exit code; {@code null} when no process ended (cancelled before it ran,
 *     skipped, lost)
 * @param stdout what the task printed (the kept tail when it printed a lot); never null
 * @param stderr never null
 * @param nodeId the node of the last attempt
 * @param durationMs how long the last attempt ran, 0 when it did not
 * @param reason why it failed, timed out or was cancelled, when the manager said
 * @param json the task record this was read from
 */
public record TaskResult(String taskId, TaskStatus status, Integer exitCode, String stdout, String stderr,
    String nodeId, long durationMs, String reason, JsonObject json) {

  /** Finished with status {@code succeeded}. */
  public boolean succeeded() {
    return status == TaskStatus.SUCCEEDED;
  }
}
