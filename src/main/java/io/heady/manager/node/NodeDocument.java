package io.heady.manager.node;

import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A {@link NodeRecord}'s stored form: the document the store keeps and the API shows, and the record rebuilt
 * from it after a restart. Kept apart from the record so the record holds behaviour and this holds the schema.
 */
final class NodeDocument {
  private NodeDocument() {}

  /** The record as a document. */
  static JsonObject toJson(NodeRecord n) {
    return new JsonObject()
        .put("node_id", n.nodeId)
        .put("name", n.name)
        .put("tier", n.tier.name())
        .put("status", n.status.wire())
        .put("location", n.location)
        .put("transport", n.transport)
        .put("tunnel_url", n.tunnelUrl)
        .put("member_id", n.memberId)
        .put("hardware", n.hardware.toJson())
        .put("capabilities", Fields.toArray(n.capabilities))
        .put("labels", Fields.toObject(n.labels))
        .put("reliability_score", n.reliability())
        .put("max_concurrent", n.maxConcurrent)
        .put("requested_max_concurrent", n.requestedSlots)
        .put("running", n.inSlots())
        .put("prefetched", n.prefetched())
        .put("prefetch", n.prefetch)
        .put("running_task_ids", new JsonArray(List.copyOf(n.running)))
        .put("tasks_completed", n.completed)
        .put("tasks_failed", n.failed)
        .put("node_faults", n.faults)
        .put("consecutive_faults", n.consecutiveFaults)
        .put("avg_task_duration_ms", n.avgTaskDurationMs())
        .put("total_task_duration_ms", n.totalDurationMs)
        .put("system_stats", n.stats.toJson())
        .put("registered_at", n.registeredAt.toString())
        .put("last_heartbeat", n.lastHeartbeat == null ? null : n.lastHeartbeat.toString())
        .put("status_since", n.statusSince.toString())
        .put("probe_failures", n.probeFailures)
        .put("drain", n.drain)
        .put("refusing", n.refusing == null ? null : n.refusing.toJson())
        .put("version", n.version)
        .put("containment", n.containment == null ? null : n.containment.toJson())
        .put("incident_since", n.incidentSince == null ? null : n.incidentSince.toString())
        .put("incident_reason", n.incidentReason)
        .put("incident_faulted", n.incidentFaulted)
        .put("incidents", n.incidents)
        .put("probation_passed", n.probationPassed)
        .put("reachable", n.reachable)
        .put("held_elsewhere", n.foreign.isEmpty() ? null : new JsonArray(List.copyOf(n.foreign.keySet())));
  }

  /** Rebuilds a record from {@link #toJson} (store recovery). Running tasks are re-attached separately. */
  static NodeRecord fromJson(JsonObject j) {
    JsonObject reg = j.copy();
    reg.put("max_concurrent", j.getInteger("requested_max_concurrent", 0));
    reg.remove("running_task_ids");
    reg.remove("held_elsewhere");
    NodeRecord n = new NodeRecord(Registration.fromJson(reg), j.getString("location"),
        Instant.parse(j.getString("registered_at")));
    n.status = NodeStatus.fromWire(j.getString("status"));
    n.drain = j.getBoolean("drain", false);
    n.lastHeartbeat = j.getString("last_heartbeat") == null ? null : Instant.parse(j.getString("last_heartbeat"));
    n.statusSince = Instant.parse(j.getString("status_since"));
    n.completed = j.getLong("tasks_completed", 0L);
    n.failed = j.getLong("tasks_failed", 0L);
    n.faults = j.getLong("node_faults", 0L);
    n.ok = n.completed + n.failed;
    n.consecutiveFaults = j.getLong("consecutive_faults", 0L);
    n.totalDurationMs = j.getLong("total_task_duration_ms", 0L);
    n.stats = SystemStats.fromJson(j.getJsonObject("system_stats"));
    n.incidentSince = j.getString("incident_since") == null ? null : Instant.parse(j.getString("incident_since"));
    n.incidentReason = j.getString("incident_reason");
    n.incidentFaulted = j.getBoolean("incident_faulted", false);
    n.incidents = j.getLong("incidents", 0L);
    n.probationPassed = j.getInteger("probation_passed", 0);
    n.reachable = j.getBoolean("reachable", true);
    n.prefetch = j.getInteger("prefetch", 0);
    n.refusing = Refusal.fromJson(j.getJsonObject("refusing"));
    return n;
  }
}
