package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What one attempt used, measured on its node. A value the node could not measure is -1 (for example bytes
 * read and written where neither the control group nor {@code /proc} tells).
 *
 * @param cpuUserSec CPU time in user mode of all the task's processes, in seconds
 * @param cpuSystemSec CPU time in the kernel on the task's behalf, in seconds
 * @param peakMemoryBytes the most memory the task's processes held together
 * @param readBytes bytes the task read from storage
 * @param writeBytes bytes the task wrote to storage
 */
public record Usage(double cpuUserSec, double cpuSystemSec, long peakMemoryBytes, long readBytes, long writeBytes) {
  public static final Usage UNKNOWN = new Usage(-1, -1, -1, -1, -1);

  /** Whether the node measured any of it. */
  public boolean known() {
    return cpuUserSec >= 0 || cpuSystemSec >= 0 || peakMemoryBytes >= 0 || readBytes >= 0 || writeBytes >= 0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("cpu_user_sec", cpuUserSec).put("cpu_system_sec", cpuSystemSec)
        .put("peak_memory_bytes", peakMemoryBytes).put("read_bytes", readBytes).put("write_bytes", writeBytes);
  }

  /** Reads {@code j.<field>}; absent is {@link #UNKNOWN}. */
  public static Usage fromJson(JsonObject j, String field) {
    JsonObject u = Fields.optObject(j, field);
    if (u == null) {
      return UNKNOWN;
    }
    try {
      return new Usage(
          Fields.optDouble(u, "cpu_user_sec", -1, -1, 1e12),
          Fields.optDouble(u, "cpu_system_sec", -1, -1, 1e12),
          Fields.optLong(u, "peak_memory_bytes", -1, -1, Long.MAX_VALUE / 4),
          Fields.optLong(u, "read_bytes", -1, -1, Long.MAX_VALUE / 4),
          Fields.optLong(u, "write_bytes", -1, -1, Long.MAX_VALUE / 4));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(field + "." + e.field(), field + "." + e.getMessage());
    }
  }
}
