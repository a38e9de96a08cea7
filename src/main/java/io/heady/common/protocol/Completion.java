package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Node → manager: how one attempt ended.
 *
 * @param status succeeded, failed, timed_out or cancelled
 * @param exitCode the process's exit code, or -1 when it never ran or was killed by a signal
 * @param error why the attempt did not run normally (spawn failure, bad cwd, …), or {@code null}
 */
public record Completion(
    String taskId,
    String nodeId,
    String leaseId,
    String status,
    int exitCode,
    long durationMs,
    String stdout,
    String stderr,
    boolean outputTruncated,
    String error) {

  public static final Set<String> STATUSES = Set.of("succeeded", "failed", "timed_out", "cancelled");

  public JsonObject toJson() {
    return new JsonObject()
        .put("task_id", taskId)
        .put("node_id", nodeId)
        .put("lease_id", leaseId)
        .put("status", status)
        .put("exit_code", exitCode)
        .put("duration_ms", durationMs)
        .put("result", new JsonObject().put("stdout", stdout).put("stderr", stderr)
            .put("truncated", outputTruncated))
        .put("error", error);
  }

  public static Completion fromJson(JsonObject j) {
    String status = Fields.reqString(j, "status", 16);
    if (!STATUSES.contains(status)) {
      throw new InvalidInputException("status", "status must be one of succeeded, failed, timed_out, cancelled");
    }
    JsonObject result = Fields.optObject(j, "result");
    if (result == null) {
      result = new JsonObject();
    }
    return new Completion(
        Fields.reqId(j, "task_id"),
        Fields.reqId(j, "node_id"),
        Fields.reqId(j, "lease_id"),
        status,
        (int) Fields.optLong(j, "exit_code", -1, -1, 255),
        Fields.optLong(j, "duration_ms", 0, 0, Long.MAX_VALUE / 4),
        Fields.optString(result, "stdout", 64 << 20),
        Fields.optString(result, "stderr", 64 << 20),
        Fields.optBool(result, "truncated", false),
        Fields.optString(j, "error", 4096));
  }
}
