package io.heady.client;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * relayq's {@code job.worker_status()}: who is online and what each worker is doing
 * ({@code GET /api/cluster/workers}).
 *
 * @param workers by node name, in the manager's order
 */
public record WorkerStatus(int online, int totalWorkers, int totalActive, int totalQueued,
    Map<String, Worker> workers, JsonObject json) {

  /** One worker (node). */
  public record Worker(String name, String nodeId, boolean online, String status, String tier, String location,
      int active, int maxConcurrent, List<String> activeTaskIds, List<String> capabilities,
      Map<String, String> labels, double reliability, long tasksCompleted, long tasksFailed, String lastHeartbeat) {}

  public static WorkerStatus fromJson(JsonObject j) {
    Map<String, Worker> ws = new LinkedHashMap<>();
    if (j.getValue("workers") instanceof JsonObject all) {
      for (Map.Entry<String, Object> e : all) {
        if (e.getValue() instanceof JsonObject w) {
          ws.put(e.getKey(), new Worker(e.getKey(), w.getString("node_id"), w.getBoolean("online", false),
              w.getString("status"), w.getString("tier"), w.getString("location"),
              NodeInfo.num(w, "active").intValue(), NodeInfo.num(w, "max_concurrent").intValue(),
              NodeInfo.strings(w.getValue("active_task_ids")), NodeInfo.strings(w.getValue("capabilities")),
              NodeInfo.map(w.getValue("labels")), NodeInfo.num(w, "reliability_score").doubleValue(),
              NodeInfo.num(w, "tasks_completed").longValue(), NodeInfo.num(w, "tasks_failed").longValue(),
              w.getString("last_heartbeat")));
        }
      }
    }
    return new WorkerStatus(NodeInfo.num(j, "online").intValue(), NodeInfo.num(j, "total_workers").intValue(),
        NodeInfo.num(j, "total_active").intValue(), NodeInfo.num(j, "total_queued").intValue(),
        Collections.unmodifiableMap(ws), j);
  }
}
