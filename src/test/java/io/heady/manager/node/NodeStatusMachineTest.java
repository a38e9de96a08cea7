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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.testing.NodeBuilder;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks the node status table. The expected table is written here from DESIGN.md §3, not copied from the
 * code: pending → active on the first heartbeat; TTL → stale; offline only from stale; probes → unhealthy;
 * low reliability → degraded from anywhere; heartbeat and registration revive stale, offline, unhealthy;
 * degraded leaves only by reinstatement or a passed probation; drain toggles are no-ops on the status outside
 * service. From issue 14: an undelivered dispatch makes an in-service node suspect; any proof of life (heartbeat,
 * registration, answered probe, report) makes a suspect node active again at once; an answered probe also
 * revives an unhealthy node.
 */
class NodeStatusMachineTest {
  private static final Map<NodeStatus, Map<NodeEvent, NodeStatus>> EXPECTED = new EnumMap<>(NodeStatus.class);

  private static void row(NodeStatus from, Object... pairs) {
    Map<NodeEvent, NodeStatus> m = new EnumMap<>(NodeEvent.class);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((NodeEvent) pairs[i], (NodeStatus) pairs[i + 1]);
    }
    EXPECTED.put(from, m);
  }

  static {
    row(PENDING, HEARTBEAT, ACTIVE, REGISTERED, PENDING, TTL_EXPIRED, STALE, MEMBER_LOST, OFFLINE,
        PROBES_FAILED, UNHEALTHY, RELIABILITY_LOW, DEGRADED, DRAIN_ON, PENDING, DRAIN_OFF, PENDING,
        UNDELIVERED, PENDING, PROBE_OK, PENDING, REPORTED, PENDING);
    // ACTIVE in the table means "in service"; the drain flag makes it DRAINING (tested below).
    row(ACTIVE, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, TTL_EXPIRED, STALE, MEMBER_LOST, OFFLINE,
        PROBES_FAILED, UNHEALTHY, RELIABILITY_LOW, DEGRADED, DRAIN_ON, ACTIVE, DRAIN_OFF, ACTIVE,
        UNDELIVERED, SUSPECT, PROBE_OK, ACTIVE, REPORTED, ACTIVE);
    row(DRAINING, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, TTL_EXPIRED, STALE, MEMBER_LOST, OFFLINE,
        PROBES_FAILED, UNHEALTHY, RELIABILITY_LOW, DEGRADED, DRAIN_ON, ACTIVE, DRAIN_OFF, ACTIVE,
        UNDELIVERED, SUSPECT, PROBE_OK, ACTIVE, REPORTED, ACTIVE);
    row(SUSPECT, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, PROBE_OK, ACTIVE, REPORTED, ACTIVE,
        UNDELIVERED, SUSPECT, TTL_EXPIRED, STALE, MEMBER_LOST, OFFLINE, PROBES_FAILED, UNHEALTHY,
        RELIABILITY_LOW, DEGRADED, DRAIN_ON, SUSPECT, DRAIN_OFF, SUSPECT);
    row(STALE, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, TTL_EXPIRED, STALE, OFFLINE_EXPIRED, OFFLINE,
        MEMBER_LOST, OFFLINE, PROBES_FAILED, STALE, RELIABILITY_LOW, DEGRADED, DRAIN_ON, STALE, DRAIN_OFF, STALE,
        UNDELIVERED, STALE, PROBE_OK, STALE, REPORTED, STALE);
    row(OFFLINE, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, TTL_EXPIRED, OFFLINE, OFFLINE_EXPIRED, OFFLINE,
        MEMBER_LOST, OFFLINE, PROBES_FAILED, OFFLINE, RELIABILITY_LOW, DEGRADED, DRAIN_ON, OFFLINE,
        DRAIN_OFF, OFFLINE, UNDELIVERED, OFFLINE, PROBE_OK, OFFLINE, REPORTED, OFFLINE);
    row(UNHEALTHY, HEARTBEAT, ACTIVE, REGISTERED, ACTIVE, TTL_EXPIRED, STALE, MEMBER_LOST, OFFLINE,
        PROBES_FAILED, UNHEALTHY, RELIABILITY_LOW, DEGRADED, DRAIN_ON, UNHEALTHY, DRAIN_OFF, UNHEALTHY,
        UNDELIVERED, UNHEALTHY, PROBE_OK, ACTIVE, REPORTED, UNHEALTHY);
    row(DEGRADED, HEARTBEAT, DEGRADED, REGISTERED, DEGRADED, TTL_EXPIRED, DEGRADED, OFFLINE_EXPIRED, DEGRADED,
        MEMBER_LOST, DEGRADED, PROBES_FAILED, DEGRADED, RELIABILITY_LOW, DEGRADED, DRAIN_ON, DEGRADED,
        DRAIN_OFF, DEGRADED, UNDELIVERED, DEGRADED, PROBE_OK, DEGRADED, REPORTED, DEGRADED,
        REINSTATED, ACTIVE, PROBATION_PASSED, ACTIVE);
  }

  @Test
  void theTableHasExactlyTheExpectedPairs() {
    Map<NodeStatus, Set<NodeEvent>> actual = NodeStatusMachine.transitions();
    for (NodeStatus s : NodeStatus.values()) {
      assertEquals(EXPECTED.get(s).keySet(), actual.getOrDefault(s, Set.of()), "events allowed from " + s);
    }
  }

  @Test
  void everyTransitionOfTheTableLeadsWhereExpected() {
    int walked = 0;
    for (Map.Entry<NodeStatus, Set<NodeEvent>> row : NodeStatusMachine.transitions().entrySet()) {
      for (NodeEvent e : row.getValue()) {
        NodeStatus want = EXPECTED.get(row.getKey()).get(e);
        assertEquals(want, NodeStatusMachine.next(row.getKey(), e, false), row.getKey() + " on " + e);
        assertTrue(NodeStatusMachine.allowed(row.getKey(), e));
        walked++;
      }
    }
    assertEquals(EXPECTED.values().stream().mapToInt(Map::size).sum(), walked);
  }

  @Test
  void everyPairOutsideTheTableThrows() {
    int illegal = 0;
    for (NodeStatus s : NodeStatus.values()) {
      for (NodeEvent e : NodeEvent.values()) {
        if (EXPECTED.get(s).containsKey(e)) {
          continue;
        }
        illegal++;
        assertFalse(NodeStatusMachine.allowed(s, e), s + " on " + e);
        IllegalTransitionException ex = assertThrows(IllegalTransitionException.class,
            () -> NodeStatusMachine.next(s, e, false), s + " on " + e);
        assertTrue(ex.getMessage().contains(s.toString()) && ex.getMessage().contains(e.toString()));
        assertThrows(IllegalTransitionException.class, () -> NodeStatusMachine.next(s, e, true));
      }
    }
    // PENDING, ACTIVE, DRAINING, SUSPECT, UNHEALTHY: OFFLINE_EXPIRED, REINSTATED and PROBATION_PASSED;
    // STALE, OFFLINE: REINSTATED and PROBATION_PASSED.
    assertEquals(19, illegal);
  }

  @Test
  void theDrainFlagTurnsInServiceIntoDraining() {
    for (NodeStatus from : EnumSet.of(PENDING, ACTIVE, DRAINING, SUSPECT, STALE, OFFLINE, UNHEALTHY)) {
      assertEquals(DRAINING, NodeStatusMachine.next(from, HEARTBEAT, true), from + " on heartbeat, drained");
    }
    assertEquals(DRAINING, NodeStatusMachine.next(ACTIVE, DRAIN_ON, true));
    assertEquals(DRAINING, NodeStatusMachine.next(DEGRADED, REINSTATED, true));
    // Outside service the flag changes nothing.
    assertEquals(STALE, NodeStatusMachine.next(STALE, DRAIN_ON, true));
    assertEquals(DEGRADED, NodeStatusMachine.next(DEGRADED, HEARTBEAT, true));
    assertEquals(PENDING, NodeStatusMachine.next(PENDING, DRAIN_ON, true));
  }

  @Test
  void recordDrainOnAndOff() {
    Instant t = Instant.EPOCH;
    NodeRecord n = NodeBuilder.node("n").active(t);
    assertEquals(ACTIVE, n.status());
    assertEquals(ACTIVE, n.apply(DRAIN_ON, t.plusSeconds(1)));
    assertEquals(DRAINING, n.status());
    assertTrue(n.drain());
    assertNull(n.apply(HEARTBEAT, t.plusSeconds(2)), "a heartbeat keeps a drained node draining");
    assertEquals(DRAINING, n.status());
    n.apply(TTL_EXPIRED, t.plusSeconds(3));
    assertEquals(STALE, n.status());
    n.apply(HEARTBEAT, t.plusSeconds(4));
    assertEquals(DRAINING, n.status(), "revived, still drained");
    assertEquals(DRAINING, n.apply(DRAIN_OFF, t.plusSeconds(5)));
    assertEquals(ACTIVE, n.status());
    assertFalse(n.drain());
  }

  @Test
  void aDrainSetWhilePendingAppliesOnTheFirstHeartbeat() {
    Instant t = Instant.EPOCH;
    NodeRecord n = new NodeRecord(NodeBuilder.node("n").build(), NodeRecord.PHYSICAL, t);
    assertEquals(PENDING, n.status());
    n.apply(DRAIN_ON, t);
    assertEquals(PENDING, n.status());
    n.apply(HEARTBEAT, t);
    assertEquals(DRAINING, n.status());
  }

  @Test
  void degradedStaysDegradedWhateverHappensUntilReinstated() {
    Instant t = Instant.EPOCH;
    NodeRecord n = NodeBuilder.node("n").active(t);
    n.apply(RELIABILITY_LOW, t);
    assertEquals(DEGRADED, n.status());
    for (NodeEvent e : NodeEvent.values()) {
      if (e != REINSTATED && e != PROBATION_PASSED) {
        n.apply(e, t);
        assertEquals(DEGRADED, n.status(), "after " + e);
      }
    }
    n.apply(DRAIN_OFF, t);
    n.apply(REINSTATED, t.plusSeconds(1));
    assertEquals(ACTIVE, n.status());
    assertEquals(t.plusSeconds(1), n.statusSince());
  }

  @Test
  void onlyReinstatementOrProbationLeavesDegraded() {
    for (NodeEvent e : NodeEvent.values()) {
      NodeStatus to = NodeStatusMachine.next(DEGRADED, e, false);
      assertEquals(e == REINSTATED || e == PROBATION_PASSED ? ACTIVE : DEGRADED, to, "degraded on " + e);
    }
    for (NodeStatus s : NodeStatus.values()) {
      assertEquals(s == DEGRADED, NodeStatusMachine.allowed(s, REINSTATED), "reinstated from " + s);
      assertEquals(s == DEGRADED, NodeStatusMachine.allowed(s, PROBATION_PASSED), "probation passed from " + s);
    }
  }

  @Test
  void reinstatementClearsTheFaultsThatCausedTheQuarantine() {
    Instant t = Instant.EPOCH;
    NodeRecord n = NodeBuilder.node("n").active(t);
    n.recordRan(true, 1);
    n.recordFault();
    n.recordFault();
    n.recordFault();
    assertTrue(n.reliability() < Reliability.QUARANTINE_BELOW);
    n.apply(RELIABILITY_LOW, t);
    n.apply(REINSTATED, t);
    assertEquals(100, n.reliability());
  }

  @Test
  void anIllegalMoveLeavesTheRecordUntouched() {
    Instant t = Instant.EPOCH;
    NodeRecord n = NodeBuilder.node("n").active(t);
    for (int i = 0; i < 8; i++) {
      n.recordRan(true, 1);
    }
    n.recordFault();
    n.recordFault();
    assertEquals(60, n.reliability());
    assertThrows(IllegalTransitionException.class, () -> n.apply(REINSTATED, t.plusSeconds(9)));
    assertEquals(ACTIVE, n.status());
    assertEquals(t, n.statusSince());
    assertEquals(60, n.reliability(), "a refused reinstatement must not wipe the node's faults");
  }
}
