package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Node → manager: how one attempt ended.
 *
 * @param status succeeded, failed, timed_out or cancelled
 * @param exitCode the process's exit code, or -1 when it never ran or was killed by a signal
 * @param error why the attempt did not run normally (spawn failure, bad cwd, …), or {@code null}
 * @param reason a short code for why a failed attempt failed when the node knows ({@code out_of_memory},
 *     {@code output_limit}), or {@code null}
 * @param usage what the attempt used ({@link Usage#UNKNOWN} when not measured)
 * @param enforcement how the node contained it, or {@code null} (an older node, or nothing ran)
 * @param outputBytes every byte the attempt wrote to stdout and stderr, however much the kept tails were cut; -1
 *     when the node did not say (an older node)
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
    String error,
    String reason,
    Usage usage,
    Enforcement enforcement,
    long outputBytes) {

  public static final Set<String> STATUSES = Set.of("succeeded", "failed", "timed_out", "cancelled");
  public static final String OUT_OF_MEMORY = "out_of_memory";
  public static final String OUTPUT_LIMIT = "output_limit";
  /** A secret the task names could not be given to it (removed meanwhile, or its sealed value did not open). */
  public static final String SECRET_UNAVAILABLE = "secret_unavailable";

  public Completion {
    usage = usage == null ? Usage.UNKNOWN : usage;
    outputBytes = Math.max(-1, outputBytes);
  }

  /** Without the count of output bytes (-1: not told). */
  public Completion(String taskId, String nodeId, String leaseId, String status, int exitCode, long durationMs,
      String stdout, String stderr, boolean outputTruncated, String error, String reason, Usage usage,
      Enforcement enforcement) {
    this(taskId, nodeId, leaseId, status, exitCode, durationMs, stdout, stderr, outputTruncated, error, reason,
        usage, enforcement, -1);
  }

  /** Without reason, usage or enforcement. */
  public Completion(String taskId, String nodeId, String leaseId, String status, int exitCode, long durationMs,
      String stdout, String stderr, boolean outputTruncated, String error) {
    this(taskId, nodeId, leaseId, status, exitCode, durationMs, stdout, stderr, outputTruncated, error, null,
        Usage.UNKNOWN, null, -1);
  }

  /**
   * The bytes the attempt printed as far as the node says: its count, else (an older node) at least what the kept
   * tails hold.
   */
  public long printedBytes() {
    return outputBytes >= 0 ? outputBytes : keptBytes(stdout, stderr);
  }

  /** The UTF-8 length of the kept stdout and stderr. */
  public static long keptBytes(String stdout, String stderr) {
    return utf8(stdout) + utf8(stderr);
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

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
        .put("error", error)
        .put("reason", reason)
        .put("usage", usage.toJson())
        .put("enforcement", enforcement == null ? null : enforcement.toJson())
        .put("output_bytes", outputBytes < 0 ? null : outputBytes);
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
        Fields.optString(j, "error", 4096),
        Fields.optId(j, "reason"),
        Usage.fromJson(j, "usage"),
        Enforcement.fromJson(j, "enforcement"),
        Fields.optLong(j, "output_bytes", -1, -1, Long.MAX_VALUE));
  }
}
