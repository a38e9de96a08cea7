package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** An agent's periodic proof of life, with its load and the tasks it is running. */
public record Heartbeat(String nodeId, int currentLoad, List<String> runningTaskIds, SystemStats systemStats) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("current_load", currentLoad)
        .put("running_task_ids", Fields.toArray(runningTaskIds))
        .put("system_stats", systemStats.toJson());
  }

  public static Heartbeat fromJson(JsonObject j) {
    return new Heartbeat(
        Fields.reqId(j, "node_id"),
        (int) Fields.optLong(j, "current_load", 0, 0, 100000),
        Fields.optStrings(j, "running_task_ids", 4096, 64),
        SystemStats.fromJson(Fields.optObject(j, "system_stats")));
  }
}
