package io.heady.manager.scheduler;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Tier;
import io.heady.manager.placement.Placement;
import io.heady.manager.placement.TaskType;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only documents built from the scheduler's state, on its loop: cluster state, relayq's worker status,
 * can-handle, a task as the API shows it, and the answer to a submission.
 */
public final class ClusterViews {
  /** Above this many nodes a submission's reply leaves out a queued task's per-node explanation. */
  public static final int EXPLAIN_WAITING_UP_TO = 64;

  private ClusterViews() {}

  /** {@code GET /api/cluster/tasks/:id}: the task, or {@code null} when memory does not hold it. */
  public static JsonObject task(Scheduler s, String id, Instant now) {
    TaskRecord t = s.tasks().get(id);
    return t == null ? null : withReason(s, t, now);
  }

  /**
   * The task's document with its {@code waiting_reason} as it stands now when it is not on a node: a queued
   * task says why it waits now (every node's failing check, grouped), not only a lasting verdict; a waiting
   * one names its dependencies.
   */
  public static JsonObject withReason(Scheduler s, TaskRecord t, Instant now) {
    JsonObject j = t.toJson();
    if (t.state() == TaskState.QUEUED || t.state() == TaskState.WAITING) {
      j.put("waiting_reason", s.waitingReason(t, now));
    }
    return j;
  }

  /**
   * The answer to a submission: for one task its reply, for a batch the DAG's id and each task's; with
   * {@code created} saying whether anything new was made (201) or all were idempotent repeats (200).
   */
  public static JsonObject submitted(Scheduler s, List<Scheduler.Submitted> out, boolean batch, Instant now) {
    if (!batch) {
      Scheduler.Submitted one = out.get(0);
      return submitted(s, one.task(), new HashMap<>(), now).put("created", one.created());
    }
    JsonArray tasks = new JsonArray();
    boolean anyCreated = false;
    String dag = null;
    String oldDag = null;
    Map<Object, Placement> waiting = new HashMap<>(); // why: queued tasks alike wait alike; explain once
    for (Scheduler.Submitted x : out) {
      tasks.add(submitted(s, x.task(), waiting, now).put("created", x.created()));
      anyCreated |= x.created();
      // why: a batch that repeats an existing task beside new ones made a new DAG of the new ones; name that one
      if (x.created()) {
        dag = dag == null ? x.task().dagId() : dag;
      } else {
        oldDag = oldDag == null ? x.task().dagId() : oldDag;
      }
    }
    return new JsonObject().put("dag_id", dag != null ? dag : oldDag).put("tasks", tasks)
        .put("created", anyCreated);
  }

  private static JsonObject submitted(Scheduler s, TaskRecord t, Map<Object, Placement> waiting, Instant now) {
    boolean routed = t.state() != TaskState.QUEUED && t.state() != TaskState.WAITING;
    JsonObject out = new JsonObject()
        .put("task_id", t.id())
        .put("status", t.state().wire())
        .put("routed", routed)
        .put("priority", t.priority().name())
        .put("type", t.spec().type());
    if (routed && t.nodeId() != null) {
      out.put("node_id", t.nodeId()).put("node_name", t.nodeName()).put("node_tier", t.nodeTier())
          .put("explain", t.explain());
    } else if (t.state() == TaskState.QUEUED || t.state() == TaskState.WAITING) {
      out.put("waiting_reason", s.waitingReason(t, now));
      if (t.unplaceable() != null) {
        out.put("unplaceable", true);
      } else if (t.state() == TaskState.QUEUED && s.nodes().size() <= EXPLAIN_WAITING_UP_TO) {
        out.put("explain", waiting.computeIfAbsent(s.placementSignature(t), k -> s.explain(t)).explain());
      }
    }
    return out;
  }

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
      used += r.inSlots();
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

  /**
   * relayq's {@code worker_status()}, key for key: exactly relayq's top-level keys, a boolean {@code online}
   * (some worker is up), {@code total_workers}, {@code total_active}, {@code total_queued} and {@code workers};
   * per worker relayq's {@code type}, {@code active_jobs}, {@code queued_jobs}, {@code total_jobs},
   * {@code online}, with heady's own fields beside them (node id, status, tier, slots, reliability and the rest).
   * A worker's key is its name, or its node id when several nodes share that name.
   */
  public static JsonObject workers(Scheduler s) {
    Map<String, Integer> pinned = new HashMap<>();
    // why: relayq's queued_jobs are the jobs reserved for one worker; heady's are the queued tasks pinned to it
    s.queue().forEach(t -> {
      if (t.spec().node() != null) {
        pinned.merge(t.spec().node(), 1, Integer::sum);
      }
    });
    Map<String, Integer> names = new HashMap<>();
    s.nodes().all().forEach(r -> names.merge(r.name(), 1, Integer::sum));
    JsonObject workers = new JsonObject();
    int online = 0;
    int active = 0;
    for (NodeRecord r : s.nodes().all()) {
      boolean up = r.status().schedulable() || r.status() == NodeStatus.DRAINING;
      if (up) {
        online++;
      }
      int running = r.running().size();
      active += running;
      int queued = pinned.getOrDefault(r.nodeId(), 0)
          + (r.name().equals(r.nodeId()) ? 0 : pinned.getOrDefault(r.name(), 0));
      // why: relayq keys workers by name; a name several nodes share would keep only the last of them
      String key = names.get(r.name()) > 1 ? r.nodeId() : r.name();
      workers.put(key, new JsonObject()
          .put("type", workerType(r))
          .put("active_jobs", running)
          .put("queued_jobs", queued)
          .put("total_jobs", r.completed() + r.failed() + running)
          .put("online", up)
          .put("node_id", r.nodeId())
          .put("name", r.name())
          .put("status", r.status().wire())
          .put("tier", r.tier().name())
          .put("location", r.location())
          .put("active", running)
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
        .put("online", online > 0)
        .put("total_workers", s.nodes().size())
        .put("total_active", active)
        .put("total_queued", s.queue().size() + s.delayedCount())
        .put("workers", workers);
  }

  /**
   * relayq's worker {@code type} ("mac-mini", "rpi4"): the operator's {@code type} label when the node has one
   * ({@code --label type=mac-mini}), else "cloud" for the manager's own executor, else the tier in lower case
   * (relayq's mac mini is heady's powerhouse, its Pi a light node).
   */
  static String workerType(NodeRecord r) {
    String label = r.labels().get("type");
    if (label != null && !label.isBlank()) {
      return label;
    }
    return r.cloud() ? NodeRecord.CLOUD : r.tier().name().toLowerCase(java.util.Locale.ROOT);
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
        // why: a type is no task: nothing was placed; say where one would go
        .put("summary", p.placed() ? p.summary().replaceFirst("^placed on", "a task of it would go to") : p.summary())
        .put("explain", p.explain());
  }
}
