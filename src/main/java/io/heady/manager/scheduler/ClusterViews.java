package io.heady.manager.scheduler;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Tier;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.TaskType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Read-only documents built from the scheduler's state: cluster state, relayq's worker status, can-handle. */
public final class ClusterViews {
  private ClusterViews() {}

  /** {@code GET /api/cluster/state}. */
  public static JsonObject state(Scheduler s) {
    JsonObject byStatus = new JsonObject();
    for (NodeStatus st : NodeStatus.values()) {
      byStatus.put(st.wire(), 0);
    }
    JsonObject byTier = new JsonObject();
    for (Tier t : Tier.values()) {
      byTier.put(t.name(), 0);
    }
    int cores = 0;
    double ram = 0;
    double vram = 0;
    int slots = 0;
    int used = 0;
    long relSum = 0;
    int n = 0;
    for (NodeRecord r : s.nodes().all()) {
      byStatus.put(r.status().wire(), byStatus.getInteger(r.status().wire()) + 1);
      byTier.put(r.tier().name(), byTier.getInteger(r.tier().name()) + 1);
      relSum += r.reliability();
      n++;
      if (r.status().schedulable() || r.status() == NodeStatus.DRAINING) {
        cores += r.hardware().cpuCores();
        ram += r.hardware().ramGb();
        vram += r.hardware().gpuVramGb();
        slots += r.maxConcurrent();
      }
      used += r.running().size();
    }
    JsonObject queue = new JsonObject();
    for (Priority p : Priority.values()) {
      queue.put(p.name(), s.queue().size(p));
    }
    return new JsonObject()
        .put("nodes", new JsonObject().put("total", n).put("by_status", byStatus).put("by_tier", byTier))
        .put("compute_capacity", new JsonObject()
            .put("cpu_cores", cores)
            .put("ram_gb", Math.round(ram * 10) / 10.0)
            .put("gpu_vram_gb", Math.round(vram * 10) / 10.0)
            .put("slots_total", slots)
            .put("slots_used", used)
            .put("slots_available", Math.max(0, slots - used))
            .put("utilization_pct", slots == 0 ? 0 : Math.round(1000.0 * used / slots) / 10.0))
        .put("avg_reliability", n == 0 ? 100 : Math.round(10.0 * relSum / n) / 10.0)
        .put("metrics", s.counters().toJson())
        .put("queue", new JsonObject().put("depth", s.queue().size()).put("delayed", s.delayedCount())
            .put("by_priority", queue));
  }

  /** relayq's {@code worker_status()}: who is online and what each is doing. */
  public static JsonObject workers(Scheduler s) {
    JsonObject workers = new JsonObject();
    int online = 0;
    int active = 0;
    for (NodeRecord r : s.nodes().all()) {
      boolean up = r.status().schedulable() || r.status() == NodeStatus.DRAINING;
      if (up) {
        online++;
      }
      active += r.running().size();
      workers.put(r.name(), new JsonObject()
          .put("node_id", r.nodeId())
          .put("online", up)
          .put("status", r.status().wire())
          .put("tier", r.tier().name())
          .put("location", r.location())
          .put("active", r.running().size())
          .put("max_concurrent", r.maxConcurrent())
          .put("active_task_ids", new JsonArray(java.util.List.copyOf(r.running())))
          .put("capabilities", new JsonArray(r.capabilities()))
          .put("labels", new JsonObject(new java.util.LinkedHashMap<>(r.labels())))
          .put("reliability_score", r.reliability())
          .put("tasks_completed", r.completed())
          .put("tasks_failed", r.failed())
          .put("last_heartbeat", r.lastHeartbeat() == null ? null : r.lastHeartbeat().toString()));
    }
    return new JsonObject()
        .put("online", online)
        .put("total_workers", s.nodes().size())
        .put("total_active", active)
        .put("total_queued", s.queue().size() + s.delayedCount())
        .put("workers", workers);
  }

  /** {@code GET /api/cluster/can-handle/:type}: could any node take a task of this type, and which is best. */
  public static JsonObject canHandle(Scheduler s, String type, Priority priority) {
    Placement p = s.explain(type, priority);
    TaskType t = s.policy().type(type);
    JsonArray eligible = new JsonArray();
    JsonObject best = null;
    double bestScore = -1;
    for (Object o : p.explain()) {
      JsonObject e = (JsonObject) o;
      boolean couldTake = e.getBoolean("eligible") || "slots".equals(e.getString("failed_check"));
      if (couldTake) {
        eligible.add(e.getString("node_id"));
      }
      if (e.getBoolean("eligible") && e.getDouble("score") > bestScore) {
        bestScore = e.getDouble("score");
        best = new JsonObject().put("node_id", e.getString("node_id")).put("name", e.getString("name"))
            .put("score", e.getDouble("score"));
      }
    }
    return new JsonObject()
        .put("type", type)
        .put("known_type", s.policy().known(type))
        .put("can_handle", !eligible.isEmpty())
        .put("available_now", p.placed())
        .put("eligible_nodes", eligible)
        .put("requirements", t.toJson())
        .put("best_node", best)
        .put("summary", p.summary())
        .put("explain", p.explain());
  }
}
