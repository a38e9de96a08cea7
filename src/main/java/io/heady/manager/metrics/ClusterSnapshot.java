package io.heady.manager.metrics;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.scheduler.Scheduler;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the cluster gauges show, copied from the scheduler on its own loop (so it is consistent).
 *
 * @param nodes how many nodes per {@code status/TIER} key (see {@link #key})
 * @param queue queued tasks ready to place, by priority
 * @param delayed queued tasks waiting out a retry back-off
 * @param reliability each node's reliability score, by node id
 * @param slotsTotal task slots of nodes that are up (active or draining)
 * @param slotsUsed tasks on nodes
 * @param counters the scheduler's counters ({@code GET /api/cluster/state} {@code metrics})
 */
public record ClusterSnapshot(Map<String, Integer> nodes, Map<Priority, Integer> queue, int delayed,
    Map<String, Integer> reliability, int slotsTotal, int slotsUsed, JsonObject counters) {

  /** The key of a status and tier pair in {@link #nodes}. */
  public static String key(String status, String tier) {
    return status + "/" + tier;
  }

  /** Reads the scheduler; call it on the scheduler's loop ({@code ClusterService.snapshot}). */
  public static ClusterSnapshot of(Scheduler s) {
    Map<String, Integer> nodes = new LinkedHashMap<>();
    Map<String, Integer> rel = new LinkedHashMap<>();
    int total = 0;
    int used = 0;
    for (NodeRecord n : s.nodes().all()) {
      nodes.merge(key(n.status().wire(), n.tier().name()), 1, Integer::sum);
      rel.put(n.nodeId(), n.reliability());
      if (n.status().schedulable() || n.status() == NodeStatus.DRAINING) {
        total += n.maxConcurrent();
      }
      used += n.inSlots();
    }
    Map<Priority, Integer> queue = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      queue.put(p, s.queue().size(p));
    }
    return new ClusterSnapshot(nodes, queue, s.delayedCount(), rel, total, used, s.counters().toJson());
  }
}
