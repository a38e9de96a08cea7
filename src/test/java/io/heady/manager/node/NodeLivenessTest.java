package io.heady.manager.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.testing.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Node liveness as outcomes, by a clock moved by hand: suspect after an undelivered dispatch and back at
 * once on any proof of life, one incident one fault, quarantine only after repeated incidents, probation.
 */
class NodeLivenessTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(120);
  private static final Duration OFFLINE = Duration.ofSeconds(600);
  private final NodeLiveness live = new NodeLiveness(NodeLiveness.Settings.DEFAULTS);

  private static Instant at(long s) {
    return T0.plusSeconds(s);
  }

  private static NodeRecord active() {
    return NodeBuilder.node("n").active(T0);
  }

  /** One proof of life and the status it leads to from a suspect node. */
  private record Proof(String name, BiFunction<NodeRecord, Instant, NodeLiveness.Outcome> step) {}

  @Test
  void anUndeliveredDispatchMakesANodeSuspectAndAnyProofOfLifeBringsItBackAtOnce() {
    List<Proof> proofs = List.of(
        new Proof("heartbeat", live::heartbeat),
        new Proof("registration", live::registered),
        new Proof("probe", live::probeOk),
        new Proof("report", live::reported));
    for (Proof p : proofs) {
      NodeRecord n = active();
      NodeLiveness.Outcome o = live.undelivered(n, "connection refused", true, at(1));
      assertEquals(NodeStatus.SUSPECT, n.status(), p.name());
      assertEquals(NodeStatus.ACTIVE, o.previous());
      assertEquals("connection refused", o.opened(), "an incident begins");
      assertTrue(o.faulted());
      assertFalse(n.reachable());
      assertFalse(n.status().schedulable(), "a suspect node gets no new work");

      NodeLiveness.Outcome back = p.step().apply(n, at(2));
      assertEquals(NodeStatus.ACTIVE, n.status(), p.name() + " revives a suspect node");
      assertEquals(NodeStatus.SUSPECT, back.previous());
      assertTrue(back.closed(), p.name() + " ends the incident");
      assertNull(n.incidentSince());
      assertTrue(n.reachable());
    }
  }

  @Test
  void oneOutageIsOneFaultHoweverMuchItSpoiled() {
    NodeRecord n = active();
    live.undelivered(n, "no answer", true, at(1));
    live.undelivered(n, "no answer", true, at(1));
    live.undelivered(n, "not reachable", true, at(2));
    live.probeFailed(n, at(3));
    live.workLost(n, "leases lost", at(130));
    live.silent(n, TTL, OFFLINE, at(130));
    assertEquals(NodeStatus.STALE, n.status());
    assertEquals(1, n.faults(), "five signs of one outage");
    assertEquals(1, n.incidents());
    live.heartbeat(n, at(140));
    assertEquals(NodeStatus.ACTIVE, n.status(), "a paused node that resumes comes back active");
    // A second outage is a second fault.
    live.undelivered(n, "no answer", true, at(200));
    assertEquals(2, n.faults());
    assertEquals(2, n.incidents());
  }

  @Test
  void anOutageThatSpoiledNoWorkCostsNoFault() {
    NodeRecord n = active();
    NodeLiveness.Outcome o = live.memberLost(n, "cluster member left", at(5));
    assertEquals(NodeStatus.OFFLINE, n.status());
    assertTrue(o.loseWork(), "its work (if any) must be taken back");
    assertEquals("cluster member left", o.opened());
    live.registered(n, at(6));
    assertEquals(NodeStatus.ACTIVE, n.status(), "killed and restarted: active again, with its history");
    assertEquals(0, n.faults(), "it held nothing, it lost nothing");
    assertEquals(1, n.incidents());
  }

  @Test
  void aNodeThatSaysItIsClosingIsSuspectButNotAtFault() {
    NodeRecord n = active();
    live.undelivered(n, "shutting down", false, at(1));
    assertEquals(NodeStatus.SUSPECT, n.status());
    assertEquals(0, n.faults());
  }

  @Test
  void aProbeOrAReportDoesNotReviveAStaleNodeOnlyItsHeartbeatDoes() {
    NodeRecord n = active();
    live.silent(n, TTL, OFFLINE, at(121));
    assertEquals(NodeStatus.STALE, n.status());
    assertFalse(live.probeOk(n, at(122)).closed());
    live.reported(n, at(123));
    assertEquals(NodeStatus.STALE, n.status());
    assertNotNull(n.incidentSince());
    n.heartbeat(at(124), n.stats());
    live.heartbeat(n, at(124));
    assertEquals(NodeStatus.ACTIVE, n.status());
    assertNull(n.incidentSince());
  }

  @Test
  void silenceTable() {
    // seconds without a heartbeat → status, for a node that was active
    long[][] table = {{120, 0}, {121, 1}, {600, 1}, {601, 2}};
    NodeStatus[] want = {NodeStatus.ACTIVE, NodeStatus.STALE, NodeStatus.OFFLINE};
    for (long[] row : table) {
      NodeRecord n = active();
      NodeLiveness.Outcome o = live.silent(n, TTL, OFFLINE, at(row[0]));
      assertEquals(want[(int) row[1]], n.status(), row[0] + " s");
      assertEquals(row[1] > 0, o.loseWork(), row[0] + " s loses its work");
    }
  }

  @Test
  void quarantineNeedsRepeatedIncidentsThatCostWork() {
    NodeRecord n = active();
    for (int i = 0; i < 2; i++) {
      n.recordRan(true, 10);
    }
    // Two incidents with lost work: a poor score (30), but not yet three incidents.
    for (int i = 0; i < 2; i++) {
      live.workLost(n, "lost", at(10 + i * 10));
      live.heartbeat(n, at(11 + i * 10));
    }
    assertEquals(NodeStatus.ACTIVE, n.status());
    live.workLost(n, "lost", at(40));
    assertTrue(n.reliability() < Reliability.QUARANTINE_BELOW, "score " + n.reliability());
    assertEquals(NodeStatus.DEGRADED, n.status(), "a third incident with lost work quarantines it");
    live.heartbeat(n, at(41));
    assertEquals(NodeStatus.DEGRADED, n.status(), "a heartbeat does not lift a quarantine");
  }

  @Test
  void aQuarantinedNodeEarnsItsWayBackOnProbation() {
    NodeRecord n = quarantined();
    live.heartbeat(n, at(100));
    assertTrue(NodeLiveness.onProbation(n), "it answers and runs nothing: it may take a probation task");
    n.running().add("p1");
    assertFalse(NodeLiveness.onProbation(n), "one probation task at a time");
    n.running().clear();
    live.ran(n, true, 10, at(101));
    live.ran(n, false, 10, at(102)); // the task's own failure: the node still did its job
    assertEquals(NodeStatus.DEGRADED, n.status());
    assertEquals(2, n.probationPassed());
    NodeLiveness.Outcome o = live.ran(n, true, 10, at(103));
    assertEquals(NodeStatus.ACTIVE, n.status(), "three probation tasks run to their end");
    assertEquals(NodeStatus.DEGRADED, o.previous());
    assertEquals(100, n.reliability(), "it starts from a clean slate of faults");
  }

  @Test
  void aFaultDuringProbationStartsItOver() {
    NodeRecord n = quarantined();
    live.heartbeat(n, at(100));
    live.ran(n, true, 10, at(101));
    live.ran(n, true, 10, at(102));
    live.workLost(n, "lost again", at(103));
    assertEquals(0, n.probationPassed());
    live.heartbeat(n, at(104));
    live.ran(n, true, 10, at(105));
    live.ran(n, true, 10, at(106));
    assertEquals(NodeStatus.DEGRADED, n.status(), "two clean runs after the fault are not yet three");
    live.ran(n, true, 10, at(107));
    assertEquals(NodeStatus.ACTIVE, n.status());
  }

  @Test
  void anUnreachableQuarantinedNodeTakesNoProbationWork() {
    NodeRecord n = quarantined();
    live.undelivered(n, "no answer", true, at(100));
    assertFalse(NodeLiveness.onProbation(n));
    live.reinstate(n, at(101));
    assertEquals(NodeStatus.ACTIVE, n.status(), "an operator may lift it at any time");
  }

  private NodeRecord quarantined() {
    NodeRecord n = active();
    for (int i = 0; i < 3; i++) {
      live.workLost(n, "lost", at(10 + i * 10));
      live.heartbeat(n, at(11 + i * 10));
    }
    n.recordRan(true, 1);
    n.recordRan(true, 1);
    live.workLost(n, "lost", at(50));
    if (n.status() != NodeStatus.DEGRADED) {
      throw new AssertionError("setup: the node should be quarantined, is " + n.status() + " at "
          + n.reliability());
    }
    return n;
  }
}
