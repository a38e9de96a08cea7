package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a node can tell about a running task's progress, as running totals since the attempt started. The
 * watchdog counts a task as moving when any of them grows: output written, CPU time used by its process
 * tree, bytes its processes read or wrote, or an explicit progress report from the task itself.
 *
 * @param outputBytes bytes of stdout and stderr so far
 * @param cpuMs CPU time (user + system) of the task's processes so far, -1 when the node cannot tell
 * @param ioBytes bytes read and written by the task's processes so far, -1 when the node cannot tell
 * @param reports explicit progress reports the task made so far
 * @param note the last explicit report's text (at most 200 characters), or {@code null}
 */
public record TaskProgress(long outputBytes, long cpuMs, long ioBytes, long reports, String note) {
  public static final TaskProgress NONE = new TaskProgress(0, -1, -1, 0, null);
  public static final int MAX_NOTE = 200;

  /** Output only (a node that measures nothing else). */
  public static TaskProgress output(long bytes) {
    return new TaskProgress(bytes, -1, -1, 0, null);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("output_bytes", outputBytes);
    if (cpuMs >= 0) {
      j.put("cpu_ms", cpuMs);
    }
    if (ioBytes >= 0) {
      j.put("io_bytes", ioBytes);
    }
    if (reports > 0) {
      j.put("reports", reports);
    }
    if (note != null) {
      j.put("note", note);
    }
    return j;
  }

  /**
   * Parses one entry of a heartbeat's {@code progress}: an object, or a bare number of output bytes (what
   * agents before this record sent).
   */
  public static TaskProgress fromJson(String field, Object v) {
    if (v instanceof Number n) {
      long b = n.longValue();
      if (b < 0) {
        throw new InvalidInputException(field, field + " must be >= 0");
      }
      return output(b);
    }
    if (!(v instanceof JsonObject j)) {
      throw new InvalidInputException(field, field + " must be an object");
    }
    String note = Fields.optString(j, "note", 4096);
    if (note != null && note.length() > MAX_NOTE) {
      note = note.substring(0, MAX_NOTE);
    }
    return new TaskProgress(
        Fields.optLong(j, "output_bytes", 0, 0, Long.MAX_VALUE),
        Fields.optLong(j, "cpu_ms", -1, -1, Long.MAX_VALUE),
        Fields.optLong(j, "io_bytes", -1, -1, Long.MAX_VALUE),
        Fields.optLong(j, "reports", 0, 0, Long.MAX_VALUE),
        note);
  }
}
