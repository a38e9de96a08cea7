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
 * @param online relayq's {@code online}: at least one worker is up
 * @param onlineWorkers how many workers are up
 * @param workers by node name (by node id where several nodes share a name), in the manager's order
 */
public record WorkerStatus(boolean online, int onlineWorkers, int totalWorkers, int totalActive, int totalQueued,
    Map<String, Worker> workers, JsonObject json) {

  /**
   * One worker (node): relayq's {@code type}, {@code active_jobs}, {@code queued_jobs}, {@code total_jobs},
   * {@code online}, then heady's own fields.
   */
  public record Worker(String name, String type, int activeJobs, int queuedJobs, long totalJobs, boolean online,
      String nodeId, String status, String tier, String location, int active, int maxConcurrent,
      List<String> activeTaskIds, List<String> capabilities, Map<String, String> labels, double reliability,
      long tasksCompleted, long tasksFailed, String lastHeartbeat) {}

  public static WorkerStatus fromJson(JsonObject j) {
    Map<String, Worker> ws = new LinkedHashMap<>();
    int up = 0;
    if (j.getValue("workers") instanceof JsonObject all) {
      for (Map.Entry<String, Object> e : all) {
        if (e.getValue() instanceof JsonObject w) {
          // why: a name several nodes share keys each of them by its node id; the name is in the entry
          Worker x = new Worker(w.getString("name", e.getKey()), w.getString("type"),
              NodeInfo.num(w, "active_jobs").intValue(),
              NodeInfo.num(w, "queued_jobs").intValue(), NodeInfo.num(w, "total_jobs").longValue(),
              w.getBoolean("online", false), w.getString("node_id"), w.getString("status"), w.getString("tier"),
              w.getString("location"), NodeInfo.num(w, "active").intValue(),
              NodeInfo.num(w, "max_concurrent").intValue(), NodeInfo.strings(w.getValue("active_task_ids")),
              NodeInfo.strings(w.getValue("capabilities")), NodeInfo.map(w.getValue("labels")),
              NodeInfo.num(w, "reliability_score").doubleValue(), NodeInfo.num(w, "tasks_completed").longValue(),
              NodeInfo.num(w, "tasks_failed").longValue(), w.getString("last_heartbeat"));
          ws.put(e.getKey(), x);
          up += x.online() ? 1 : 0;
        }
      }
    }
    boolean online = j.getValue("online") instanceof Boolean b ? b : up > 0;
    return new WorkerStatus(online, up,
        NodeInfo.num(j, "total_workers").intValue(), NodeInfo.num(j, "total_active").intValue(),
        NodeInfo.num(j, "total_queued").intValue(), Collections.unmodifiableMap(ws), j);
  }
}
