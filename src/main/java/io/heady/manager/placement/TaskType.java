package io.heady.manager.placement;

import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.StagnationAction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code policy.json}: what a task type needs and prefers.
 *
 * @param prefer capabilities that raise a node's score
 * @param require capabilities a node must have
 * @param noop the type runs no process
 * @param needsCommand a task of this type must carry a command or argv
 * @param onStagnation what the watchdog does with a task of this type that shows no progress (default warn)
 * @param stagnationSec seconds without progress before it acts; 0: the limit of the task's priority
 * @param limits what a task of this type may use where it does not set a limit itself ({@link Limits#over})
 * @param allowDaemon processes a task of this type started may outlive it (otherwise its node kills whatever
 *     is left of the task when its main process ends)
 */
public record TaskType(String name, Location location, int minCores, double minRamGb, List<String> prefer,
    List<String> require, long timeoutMs, boolean noop, boolean needsCommand, String description,
    StagnationAction onStagnation, long stagnationSec, Limits limits, boolean allowDaemon) {

  public static TaskType fromJson(String name, JsonObject j, TaskType base) {
    Location loc = base == null ? Location.PHYSICAL : base.location;
    if (j.containsKey("location")) {
      try {
        loc = Location.parse(j.getString("location"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("policy type '" + name + "': location must be physical, cloud_only,"
            + " gpu or any");
      }
    }
    long timeout = j.getLong("timeout_ms", base == null ? 3_600_000L : base.timeoutMs);
    if (timeout <= 0) {
      throw new IllegalArgumentException("policy type '" + name + "': timeout_ms must be positive");
    }
    int cores = j.getInteger("min_cores", base == null ? 1 : base.minCores);
    double ram = j.getDouble("min_ram_gb", base == null ? 0.0 : base.minRamGb);
    if (cores < 0 || ram < 0) {
      throw new IllegalArgumentException("policy type '" + name + "': min_cores and min_ram_gb must be >= 0");
    }
    StagnationAction action = base == null ? StagnationAction.WARN : base.onStagnation;
    if (j.containsKey("on_stagnation")) {
      try {
        action = StagnationAction.parse("on_stagnation", String.valueOf(j.getValue("on_stagnation")));
      } catch (InvalidInputException e) {
        throw new IllegalArgumentException("policy type '" + name + "': on_stagnation must be warn, reassign or"
            + " fail");
      }
    }
    long stagnationSec = j.getLong("stagnation_sec", base == null ? 0L : base.stagnationSec);
    if (stagnationSec < 0) {
      throw new IllegalArgumentException("policy type '" + name + "': stagnation_sec must be >= 0");
    }
    Limits limits;
    boolean allowDaemon;
    try {
      // why: an operator's file sets some limits of a built-in type; the ones it leaves out are kept
      limits = Limits.fromJson(j, "limits").over(base == null ? Limits.NONE : base.limits);
      allowDaemon = io.heady.common.protocol.Fields.optBool(j, "allow_daemon", base != null && base.allowDaemon);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException("policy type '" + name + "': " + e.getMessage());
    }
    return new TaskType(name, loc, cores, ram,
        strings(j.getJsonArray("prefer"), base == null ? List.of() : base.prefer),
        strings(j.getJsonArray("require"), base == null ? List.of() : base.require),
        timeout,
        j.getBoolean("noop", base != null && base.noop),
        j.getBoolean("needs_command", base == null || base.needsCommand),
        j.getString("description", base == null ? "" : base.description),
        action, stagnationSec, limits, allowDaemon);
  }

  private static List<String> strings(JsonArray a, List<String> def) {
    if (a == null) {
      return def;
    }
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add(String.valueOf(o)));
    return List.copyOf(out);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", name)
        .put("location", location.wire())
        .put("min_cores", minCores)
        .put("min_ram_gb", minRamGb)
        .put("prefer", new JsonArray(new ArrayList<>(prefer)))
        .put("require", new JsonArray(new ArrayList<>(require)))
        .put("timeout_ms", timeoutMs)
        .put("noop", noop)
        .put("needs_command", needsCommand)
        .put("description", description)
        .put("on_stagnation", onStagnation.wire())
        .put("stagnation_sec", stagnationSec)
        .put("limits", limits.toJson())
        .put("allow_daemon", allowDaemon);
  }
}
