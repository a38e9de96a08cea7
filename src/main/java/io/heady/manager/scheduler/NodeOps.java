package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeNameClash;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.task.Attempt;
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
  private final SchedulerState state;
  private final Duration heartbeat;
  private final Coordinator coordinator;

  /** @param heartbeat how long past its delivery an attempt may go unlisted by its node before it is lost */
  NodeOps(SchedulerState state, Duration heartbeat, Coordinator coordinator) {
    this.state = state;
    this.heartbeat = heartbeat;
    this.coordinator = coordinator;
  }

  /** Registers a node, or re-registers it keeping its counters. Returns whether it is new. */
  boolean register(Registration r, boolean local, Instant now) {
    NodeRecord known = state.nodes().get(r.nodeId());
    if (!local) {
      // why: the manager's own executor has a reserved id; a store written before this rule may hold an agent
      // named like it, and that must not stop the manager from starting
      NodeNameClash.check(r.nodeId(), r.name(), state.nodes().all());
    }
    NodeRecord n = NodeLiveness.admit(known, r, local, now);
    // why: the manager's own executor is reached without a round trip, so a prefetch would save it nothing
    n.prefetch(local ? 0 : state.pass().prefetchPerSlot() * n.maxConcurrent());
    if (known == null) {
      state.nodes().put(n);
    } else {
      state.nodes().reindex(n);
    }
    state.pass().topologyChanged();
    coordinator.apply(n, state.liveness().registered(n, r.runningTaskIds(), state.tasks()::get, heartbeat, now),
        "node re-registered", now);
    state.changes().node(n);
    state.sink().event(known == null ? "node.registered" : "node.reregistered", Events.node(n));
    return known == null;
  }

  NodeRecord heartbeat(Heartbeat hb, Instant now) {
    NodeRecord n = state.nodes().get(hb.nodeId());
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "node " + hb.nodeId() + " is not registered; register"
          + " again", new JsonObject().put("node_id", hb.nodeId()));
    }
    coordinator.apply(n, state.liveness().heartbeat(n, hb, state.tasks()::get, heartbeat, now), "", now);
    return n;
  }

  /** The node's cluster member left: the process died or was cut off. */
  void memberLost(String memberId, Instant now) {
    NodeRecord n = state.nodes().byMember(memberId);
    if (n != null) {
      coordinator.apply(n, state.liveness().memberLost(n, "cluster member left", now), "cluster member left", now);
    }
  }

  /** The agent is shutting down on purpose: it is offline now, and anything it still held is requeued. */
  NodeRecord deregister(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    coordinator.apply(n, state.liveness().memberLost(n, "node deregistered", now), "node deregistered", now);
    state.sink().event("node.deregistered", Events.node(n));
    return n;
  }

  /** An active probe failed; enough in a row make the node unhealthy. */
  void probeFailed(String nodeId, Instant now) {
    NodeRecord n = state.nodes().get(nodeId);
    if (n != null) {
      coordinator.apply(n, state.liveness().probeFailed(n, now), "", now);
    }
  }

  /** An active probe answered: proof the node is alive; {@code listed}, when told, is what the node holds. */
  void probeOk(String nodeId, List<String> listed, Instant now) {
    NodeRecord n = state.nodes().get(nodeId);
    if (n != null) {
      coordinator.apply(n, state.liveness().probeOk(n, listed, state.tasks()::get, now), "", now);
    }
  }

  /** The node sent a report (starts, results): proof it is alive. */
  void reported(String nodeId, Instant now) {
    NodeRecord n = state.nodes().get(nodeId);
    if (n != null && NodeLiveness.inDoubt(n)) {
      coordinator.apply(n, state.liveness().reported(n, now), "", now);
    }
  }

  NodeRecord drain(String nodeId, boolean on, Instant now) {
    NodeRecord n = requireNode(nodeId);
    coordinator.apply(n, state.liveness().drain(n, on, now), "", now);
    state.changes().node(n);
    return n;
  }

  /** An operator lifts a node's quarantine. */
  NodeRecord reinstate(String nodeId, Instant now) {
    NodeRecord n = requireNode(nodeId);
    if (n.status() != NodeStatus.DEGRADED) {
      throw new ApiException(ErrorCode.CONFLICT, "node " + nodeId + " is " + n.status().wire()
          + ", not quarantined (degraded)");
    }
    coordinator.apply(n, state.liveness().reinstate(n, now), "", now);
    state.changes().node(n);
    state.sink().event("node.reinstated", Events.node(n));
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
      TaskRecord t = state.tasks().get(taskId);
      n.running().remove(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a != null && a.nodeId().equals(n.nodeId())) {
        state.lifecycle().revoke(t, "node deleted", now);
        state.sink().cancel(n, taskId, a.leaseId());
        coordinator.takeBack(t, n, "node " + n.name() + " deleted", now);
      }
    }
    state.nodes().remove(n.nodeId());
    state.pass().topologyChanged();
    state.changes().removed(n.nodeId());
    state.sink().event("node.deleted", Events.node(n));
    return n;
  }

  /**
   * A node's credential is being revoked: like a delete, its attempts are taken back and it is told to stop
   * them, and its record goes; unlike a delete, it does not come back (it cannot register any more).
   */
  NodeRecord revokeNode(String nodeId, Instant now) {
    NodeRecord n = state.nodes().get(nodeId);
    if (n != null) {
      delete(n, now);
    }
    state.sink().event("node.revoked", new JsonObject().put("node_id", nodeId));
    return n;
  }

  private NodeRecord requireNode(String nodeId) {
    NodeRecord n = state.nodes().get(nodeId);
    if (n == null) {
      throw new ApiException(ErrorCode.UNKNOWN_NODE, "no node with id " + nodeId,
          new JsonObject().put("node_id", nodeId));
    }
    return n;
  }
}
