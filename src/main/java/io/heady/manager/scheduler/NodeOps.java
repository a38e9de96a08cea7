package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.TaskProgress;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.NodeStep;
import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskLifecycle;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens when a node speaks or is spoken of: it registers, heartbeats, answers or fails a probe, reports,
 * leaves the cluster, deregisters, is drained, reinstated, deleted or revoked. Each asks {@link NodeLiveness}
 * what the event means and hands the outcome to the {@link Coordinator}; {@link Scheduler} runs each as one
 * operation.
 */
final class NodeOps {
  private final Duration heartbeat;
  private final SchedulerSink sink;
  private final NodeBook nodes;
  private final TaskBook tasks;
  private final NodeLiveness liveness;
  private final TaskLifecycle lifecycle;
  private final DispatchPass pass;
  private final Changes changes;
  private final Coordinator coordinator;

  /** @param heartbeat how long past its delivery an attempt may go unlisted by its node before it is lost */
  NodeOps(Duration heartbeat, SchedulerSink sink, NodeBook nodes, TaskBook tasks, NodeLiveness liveness,
      TaskLifecycle lifecycle, DispatchPass pass, Changes changes, Coordinator coordinator) {
    this.heartbeat = heartbeat;
    this.sink = sink;
    this.nodes = nodes;
    this.tasks = tasks;
    this.liveness = liveness;
    this.lifecycle = lifecycle;
    this.pass = pass;
    this.changes = changes;
    this.coordinator = coordinator;
  }

  /** Registers a node, or re-registers it keeping its counters. Returns whether it is new. */
  boolean register(Registration r, boolean local, Instant now) {
    NodeRecord known = nodes.get(r.nodeId());
    NodeRecord n = NodeLiveness.admit(known, r, local, now);
    if (known == null) {
      nodes.put(n);
    } else {
      nodes.reindex(n);
    }
    pass.topologyChanged();
    coordinator.apply(n, liveness.registered(n, r.runningTaskIds(), tasks::get, heartbeat, now),
        "node re-registered", now);
    changes.node(n);
    sink.event(known == null ? "node.registered" : "node.reregistered", Events.node(n));
    return known == null;
  }

  NodeRecord heartbeat(Heartbeat hb, Instant now) {
    NodeRecord n = nodes.get(hb.nodeId());
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "node " + hb.nodeId() + " is not registered; register"
          + " again", new JsonObject().put("node_id", hb.nodeId()));
    }
    NodeStep step = liveness.heartbeat(n, hb, tasks::get, heartbeat, now);
    if (step.refusalChanged()) {
      refusal(n, step.refusalWas());
    }
    hb.progress().forEach((taskId, p) -> progress(tasks.get(taskId), n, p, now));
    coordinator.apply(n, step, "", now);
    return n;
  }

  /** What the node said of its readiness for new work changed: a full disk, or room again. */
  private void refusal(NodeRecord n, Refusal was) {
    Refusal r = n.refusing();
    sink.event(r != null ? "node.refusing" : "node.accepting", r != null
        ? Events.node(n).put("reason", r.reason()).put("message", r.message()) : Events.node(n).put("was",
            was.reason()));
  }

  /** A running task's progress as its node measured it; growth of any measure ends a stagnation warning. */
  private void progress(TaskRecord t, NodeRecord n, TaskProgress p, Instant now) {
    long quietS = lifecycle.progress(t, n.nodeId(), p, now);
    if (quietS >= 0) {
      changes.task(t);
      sink.event("watchdog.moving", Events.task(t).put("warned_for_sec", quietS));
    }
  }

  /** The node's cluster member left: the process died or was cut off. */
  void memberLost(String memberId, Instant now) {
    NodeRecord n = nodes.byMember(memberId);
    if (n != null) {
      coordinator.apply(n, liveness.memberLost(n, "cluster member left", now), "cluster member left", now);
    }
  }

  /** The agent is shutting down on purpose: it is offline now, and anything it still held is requeued. */
  NodeRecord deregister(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    coordinator.apply(n, liveness.memberLost(n, "node deregistered", now), "node deregistered", now);
    sink.event("node.deregistered", Events.node(n));
    return n;
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  void probeFailed(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      coordinator.apply(n, liveness.probeFailed(n, now), "", now);
    }
  }

  /** An active probe answered: proof the node is alive; {@code listed}, when told, is what the node holds. */
  void probeOk(String nodeId, List<String> listed, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      coordinator.apply(n, liveness.probeOk(n, listed, tasks::get, now), "", now);
    }
  }

  /** The node sent a report (starts, results): proof it is alive. */
  void reported(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null && NodeLiveness.inDoubt(n)) {
      coordinator.apply(n, liveness.reported(n, now), "", now);
    }
  }

  NodeRecord drain(String nodeId, boolean on, Instant now) {
    NodeRecord n = requireNode(nodeId);
    coordinator.apply(n, liveness.drain(n, on, now), "", now);
    changes.node(n);
    return n;
  }

  /** An operator lifts a node's quarantine. */
  NodeRecord reinstate(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    if (n.status() != NodeStatus.DEGRADED) {
      throw new ApiException(ErrorCode.CONFLICT, "node " + nodeId + " is " + n.status().wire()
          + ", not quarantined (degraded)");
    }
    coordinator.apply(n, liveness.reinstate(n, now), "", now);
    changes.node(n);
    sink.event("node.reinstated", Events.node(n));
    return n;
  }

  /**
   * Removes a node. Its live attempts are revoked and the node is told to stop them (their whole process
   * trees); the tasks run again elsewhere, or on that node once it registers again. Not the node's fault.
   */
  NodeRecord deleteNode(String nodeId, Instant now) {
    return delete(requireNode(nodeId), now);
  }

  private NodeRecord delete(NodeRecord n, Instant now) {
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.get(taskId);
      n.running().remove(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a != null && a.nodeId().equals(n.nodeId())) {
        lifecycle.revoke(t, "node deleted", now);
        sink.cancel(n, taskId, a.leaseId());
        coordinator.takeBack(t, n, "node " + n.name() + " deleted", now);
      }
    }
    nodes.remove(n.nodeId());
    pass.topologyChanged();
    changes.removed(n.nodeId());
    sink.event("node.deleted", Events.node(n));
    return n;
  }

  /**
   * A node's credential is being revoked: like a delete, its attempts are taken back and it is told to stop
   * them, and its record goes; unlike a delete, it does not come back (it cannot register any more).
   */
  NodeRecord revokeNode(String nodeId, Instant now) {
    NodeRecord n = nodes.get(nodeId);
    if (n != null) {
      delete(n, now);
    }
    sink.event("node.revoked", new JsonObject().put("node_id", nodeId));
    return n;
  }

  private NodeRecord requireNode(String nodeId) {
    NodeRecord n = nodes.get(nodeId);
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "no node with id " + nodeId,
          new JsonObject().put("node_id", nodeId));
    }
    return n;
  }
}
