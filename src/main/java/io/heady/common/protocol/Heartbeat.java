package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's periodic proof of life, with its load, the tasks it holds, and how much output each running
 * task has done so far ({@code progress}: task id → {@link TaskProgress}), which the watchdog reads as progress.
 * {@code refusing} says why the node takes no new work for now ({@code null}: it takes work).
 */
public record Heartbeat(String nodeId, int currentLoad, List<String> runningTaskIds, SystemStats systemStats,
    Map<String, TaskProgress> progress, Refusal refusing) {

  public Heartbeat(String nodeId, int currentLoad, List<String> runningTaskIds, SystemStats systemStats) {
    this(nodeId, currentLoad, runningTaskIds, systemStats, Map.of());
  }

  public Heartbeat(String nodeId, int currentLoad, List<String> runningTaskIds, SystemStats systemStats,
      Map<String, TaskProgress> progress) {
    this(nodeId, currentLoad, runningTaskIds, systemStats, progress, null);
  }

  public JsonObject toJson() {
    JsonObject p = new JsonObject();
    progress.forEach((k, v) -> p.put(k, v.toJson()));
    return new JsonObject()
        .put("node_id", nodeId)
        .put("current_load", currentLoad)
        .put("running_task_ids", Fields.toArray(runningTaskIds))
        .put("system_stats", systemStats.toJson())
        .put("progress", p)
        .put("refusing", refusing == null ? null : refusing.toJson());
  }

  public static Heartbeat fromJson(JsonObject j) {
    JsonObject p = Fields.optObject(j, "progress");
    Map<String, TaskProgress> progress = new LinkedHashMap<>();
    if (p != null) {
      if (p.size() > 4096) {
        throw new InvalidInputException("progress", "progress has more than 4096 entries");
      }
      for (String k : p.fieldNames()) {
        if (!Fields.ID.matcher(k).matches()) {
          throw new InvalidInputException("progress", "progress keys must be task ids");
        }
        progress.put(k, TaskProgress.fromJson("progress." + k, p.getValue(k)));
      }
    }
    return new Heartbeat(
        Fields.reqId(j, "node_id"),
        (int) Fields.optLong(j, "current_load", 0, 0, 100000),
        Fields.optStrings(j, "running_task_ids", 4096, 64),
        SystemStats.fromJson(Fields.optObject(j, "system_stats")),
        progress,
        Refusal.fromJson(Fields.optObject(j, "refusing")));
  }
}
