package io.heady.manager.node;

import static io.heady.manager.node.NodeEvent.DRAIN_OFF;
import static io.heady.manager.node.NodeEvent.DRAIN_ON;
import static io.heady.manager.node.NodeEvent.HEARTBEAT;
import static io.heady.manager.node.NodeEvent.MEMBER_LOST;
import static io.heady.manager.node.NodeEvent.OFFLINE_EXPIRED;
import static io.heady.manager.node.NodeEvent.PROBATION_PASSED;
import static io.heady.manager.node.NodeEvent.PROBES_FAILED;
import static io.heady.manager.node.NodeEvent.PROBE_OK;
import static io.heady.manager.node.NodeEvent.REGISTERED;
import static io.heady.manager.node.NodeEvent.REINSTATED;
import static io.heady.manager.node.NodeEvent.RELIABILITY_LOW;
import static io.heady.manager.node.NodeEvent.REPORTED;
import static io.heady.manager.node.NodeEvent.TTL_EXPIRED;
import static io.heady.manager.node.NodeEvent.UNDELIVERED;
import static io.heady.manager.node.NodeStatus.ACTIVE;
import static io.heady.manager.node.NodeStatus.DEGRADED;
import static io.heady.manager.node.NodeStatus.DRAINING;
import static io.heady.manager.node.NodeStatus.OFFLINE;
import static io.heady.manager.node.NodeStatus.PENDING;
import static io.heady.manager.node.NodeStatus.STALE;
import static io.heady.manager.node.NodeStatus.SUSPECT;
import static io.heady.manager.node.NodeStatus.UNHEALTHY;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The one table of node status moves. {@code ACTIVE} in the table means "in service": it becomes
 * {@code DRAINING} when the node's drain flag is set. A heartbeat revives suspect, stale, offline and
 * unhealthy nodes but never a degraded (quarantined) one: that takes {@link NodeEvent#REINSTATED} or
 * {@link NodeEvent#PROBATION_PASSED}. A suspect node is revived by any proof of life: a heartbeat, a
 * registration, a probe that answers or a report.
 */
public final class NodeStatusMachine {
  private static final Map<NodeStatus, Map<NodeEvent, NodeStatus>> TABLE = new EnumMap<>(NodeStatus.class);

  static {
    on(PENDING, HEARTBEAT, ACTIVE);
    on(PENDING, REGISTERED, PENDING);
    on(PENDING, TTL_EXPIRED, STALE);
    on(PENDING, MEMBER_LOST, OFFLINE);
    on(PENDING, PROBES_FAILED, UNHEALTHY);
    on(PENDING, RELIABILITY_LOW, DEGRADED);
    on(PENDING, DRAIN_ON, PENDING);
    on(PENDING, DRAIN_OFF, PENDING);
    on(PENDING, UNDELIVERED, PENDING);
    on(PENDING, PROBE_OK, PENDING);
    on(PENDING, REPORTED, PENDING);

    for (NodeStatus inService : new NodeStatus[] {ACTIVE, DRAINING}) {
      on(inService, HEARTBEAT, ACTIVE);
      on(inService, REGISTERED, ACTIVE);
      on(inService, TTL_EXPIRED, STALE);
      on(inService, MEMBER_LOST, OFFLINE);
      on(inService, PROBES_FAILED, UNHEALTHY);
      on(inService, RELIABILITY_LOW, DEGRADED);
      on(inService, DRAIN_ON, ACTIVE);
      on(inService, DRAIN_OFF, ACTIVE);
      on(inService, UNDELIVERED, SUSPECT);
      on(inService, PROBE_OK, ACTIVE);
      on(inService, REPORTED, ACTIVE);
    }

    // Suspect: any proof of life brings it back at once; losing it goes on as from active.
    on(SUSPECT, HEARTBEAT, ACTIVE);
    on(SUSPECT, REGISTERED, ACTIVE);
    on(SUSPECT, PROBE_OK, ACTIVE);
    on(SUSPECT, REPORTED, ACTIVE);
    on(SUSPECT, UNDELIVERED, SUSPECT);
    on(SUSPECT, TTL_EXPIRED, STALE);
    on(SUSPECT, MEMBER_LOST, OFFLINE);
    on(SUSPECT, PROBES_FAILED, UNHEALTHY);
    on(SUSPECT, RELIABILITY_LOW, DEGRADED);
    on(SUSPECT, DRAIN_ON, SUSPECT);
    on(SUSPECT, DRAIN_OFF, SUSPECT);

    on(STALE, HEARTBEAT, ACTIVE);
    on(STALE, REGISTERED, ACTIVE);
    on(STALE, TTL_EXPIRED, STALE);
    on(STALE, OFFLINE_EXPIRED, OFFLINE);
    on(STALE, MEMBER_LOST, OFFLINE);
    on(STALE, PROBES_FAILED, STALE);
    on(STALE, RELIABILITY_LOW, DEGRADED);
    on(STALE, DRAIN_ON, STALE);
    on(STALE, DRAIN_OFF, STALE);
    on(STALE, UNDELIVERED, STALE);
    // why: a probe or a report shows the node's process lives, but its heartbeats still do not arrive
    on(STALE, PROBE_OK, STALE);
    on(STALE, REPORTED, STALE);

    on(OFFLINE, HEARTBEAT, ACTIVE);
    on(OFFLINE, REGISTERED, ACTIVE);
    on(OFFLINE, TTL_EXPIRED, OFFLINE);
    on(OFFLINE, OFFLINE_EXPIRED, OFFLINE);
    on(OFFLINE, MEMBER_LOST, OFFLINE);
    on(OFFLINE, PROBES_FAILED, OFFLINE);
    on(OFFLINE, RELIABILITY_LOW, DEGRADED);
    on(OFFLINE, DRAIN_ON, OFFLINE);
    on(OFFLINE, DRAIN_OFF, OFFLINE);
    on(OFFLINE, UNDELIVERED, OFFLINE);
    on(OFFLINE, PROBE_OK, OFFLINE);
    on(OFFLINE, REPORTED, OFFLINE);

    on(UNHEALTHY, HEARTBEAT, ACTIVE);
    on(UNHEALTHY, REGISTERED, ACTIVE);
    on(UNHEALTHY, TTL_EXPIRED, STALE);
    on(UNHEALTHY, MEMBER_LOST, OFFLINE);
    on(UNHEALTHY, PROBES_FAILED, UNHEALTHY);
    on(UNHEALTHY, RELIABILITY_LOW, DEGRADED);
    on(UNHEALTHY, DRAIN_ON, UNHEALTHY);
    on(UNHEALTHY, DRAIN_OFF, UNHEALTHY);
    on(UNHEALTHY, UNDELIVERED, UNHEALTHY);
    on(UNHEALTHY, PROBE_OK, ACTIVE);
    on(UNHEALTHY, REPORTED, UNHEALTHY);

    // Quarantine: only REINSTATED (an operator) or PROBATION_PASSED lead out. Losing the node keeps it there.
    for (NodeEvent e : new NodeEvent[] {HEARTBEAT, REGISTERED, TTL_EXPIRED, OFFLINE_EXPIRED, MEMBER_LOST,
        PROBES_FAILED, RELIABILITY_LOW, DRAIN_ON, DRAIN_OFF, UNDELIVERED, PROBE_OK, REPORTED}) {
      on(DEGRADED, e, DEGRADED);
    }
    on(DEGRADED, REINSTATED, ACTIVE);
    on(DEGRADED, PROBATION_PASSED, ACTIVE);
  }

  private NodeStatusMachine() {}

  private static void on(NodeStatus from, NodeEvent event, NodeStatus to) {
    NodeStatus prev = TABLE.computeIfAbsent(from, k -> new EnumMap<>(NodeEvent.class)).put(event, to);
    if (prev != null) {
      throw new IllegalStateException("duplicate node transition " + from + " on " + event);
    }
  }

  public static boolean allowed(NodeStatus from, NodeEvent event) {
    return TABLE.getOrDefault(from, Map.of()).containsKey(event);
  }

  /**
   * The status after {@code event}; {@code drain} is the node's drain flag, applied to in-service nodes.
   *
   * @throws IllegalTransitionException when the table has no such move
   */
  public static NodeStatus next(NodeStatus from, NodeEvent event, boolean drain) {
    NodeStatus to = TABLE.getOrDefault(from, Map.of()).get(event);
    if (to == null) {
      throw new IllegalTransitionException("node", from, event);
    }
    return to == ACTIVE && drain ? DRAINING : to;
  }

  /** Every (from, event) pair of the table, for the test that walks them all. */
  public static Map<NodeStatus, Set<NodeEvent>> transitions() {
    Map<NodeStatus, Set<NodeEvent>> out = new EnumMap<>(NodeStatus.class);
    TABLE.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(v.keySet())));
    return out;
  }
}
