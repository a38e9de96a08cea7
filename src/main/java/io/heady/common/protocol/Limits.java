package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What one attempt of a task may use on its node, enforced there (control groups where the node can make them,
 * else process resource limits): {@code limits} of a task, over the per-type defaults of {@code conf/policy.json}.
 * Unlike {@code requires.ram_gb}, which only guides placement, these hold. Zero means no limit.
 *
 * @param memoryMb memory (resident and swap) of all the task's processes together, in MiB
 * @param cpus how many CPUs' worth of time the task may use (0.5: half of one)
 * @param pids how many processes and threads the task may have at once
 * @param outputMb how much stdout and stderr the node keeps in the task's log; past it the task is stopped
 */
public record Limits(long memoryMb, double cpus, long pids, long outputMb) {
  public static final Limits NONE = new Limits(0, 0, 0, 0);
  private static final Set<String> KEYS = Set.of("memory_mb", "cpus", "pids", "output_mb");

  public boolean none() {
    return memoryMb == 0 && cpus == 0 && pids == 0 && outputMb == 0;
  }

  /** These limits where set, else {@code defaults}'s. */
  public Limits over(Limits defaults) {
    if (defaults == null) {
      return this;
    }
    return new Limits(memoryMb != 0 ? memoryMb : defaults.memoryMb, cpus != 0 ? cpus : defaults.cpus,
        pids != 0 ? pids : defaults.pids, outputMb != 0 ? outputMb : defaults.outputMb);
  }

  /** The set limits only; {@code {}} for none. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    if (memoryMb != 0) {
      j.put("memory_mb", memoryMb);
    }
    if (cpus != 0) {
      j.put("cpus", cpus);
    }
    if (pids != 0) {
      j.put("pids", pids);
    }
    if (outputMb != 0) {
      j.put("output_mb", outputMb);
    }
    return j;
  }

  /**
   * Reads {@code j.<field>}: absent or null is {@link #NONE}; anything else must be an object of known keys with
   * values in range. Errors name the field as {@code <field>.<key>}.
   */
  public static Limits fromJson(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return NONE;
    }
    if (!(v instanceof JsonObject l)) {
      throw new InvalidInputException(field, field + " must be an object: {memory_mb, cpus, pids, output_mb}");
    }
    for (String k : l.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new InvalidInputException(field + "." + k, field + "." + k + " is not a limit (memory_mb, cpus,"
            + " pids, output_mb)");
      }
    }
    try {
      return new Limits(
          Fields.optLong(l, "memory_mb", 0, 4, 1L << 24),
          Fields.optDouble(l, "cpus", 0, 0.01, 4096),
          Fields.optLong(l, "pids", 0, 1, 1L << 22),
          Fields.optLong(l, "output_mb", 0, 1, 1L << 20));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(field + "." + e.field(), field + "." + e.getMessage());
    }
  }
}
