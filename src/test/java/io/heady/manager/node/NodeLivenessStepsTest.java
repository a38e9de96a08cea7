package io.heady.manager.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.NodeBuilder;
import io.heady.manager.testing.SpecBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node's word about itself as steps, by a clock moved by hand: what its list of held tasks means (an attempt
 * it no longer lists is lost after its delivery and a heartbeat's grace; one the manager took back that it still
 * lists is to be stopped, once per lease), its word on new work, registration and probe answers.
 */
class NodeLivenessStepsTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(45);
  private final NodeLiveness live = new NodeLiveness(NodeLiveness.Settings.DEFAULTS);
  private final Map<String, TaskRecord> tasks = new HashMap<>();

  private static Instant at(long s) {
    return T0.plusSeconds(s);
  }

  /** Task {@code id} dispatched to {@code n} at T0 under lease {@code lease}, delivered when {@code delivered}. */
  private TaskRecord dispatched(NodeRecord n, String id, String lease, boolean delivered) {
    TaskRecord t = new TaskRecord(id, SpecBuilder.task("sleep 100").spec(), tasks.size() + 1, null, T0);
    t.start(TaskState.QUEUED, T0);
    t.newAttempt(lease, n.nodeId(), T0);
    t.moveTo(TaskState.DISPATCHED, T0, "placed");
    if (delivered) {
      t.markAttemptDelivered(lease, T0);
    }
    n.running().add(id);
    tasks.put(id, t);
    return t;
  }

  private NodeStep heartbeat(NodeRecord n, long atSec, String... listed) {
    return live.heartbeat(n, new Heartbeat(n.nodeId(), listed.length, List.of(listed), SystemStats.EMPTY),
        tasks::get, GRACE, at(atSec));
  }

  /** A heartbeat that does not list the node's one task: at which second, and whether that task is lost. */
  private record Silence(String name, boolean delivered, boolean cloud, long atSec, boolean lost) {}

  @Test
  void anAttemptTheNodeNoLongerListsIsLostOnlyAfterItsDeliveryAndAGrace() {
    long wait = NodeHoldings.DELIVERY_WAIT.plus(GRACE).toSeconds();
    List<Silence> table = List.of(
        new Silence("delivered, within the grace", true, false, 45, false),
        new Silence("delivered, past the grace", true, false, 46, true),
        new Silence("still being delivered", false, false, wait, false),
        new Silence("never answered, past delivery and grace", false, false, wait + 1, true),
        new Silence("the manager's own executor is never asked", true, true, 1000, false));
    for (Silence row : table) {
      tasks.clear();
      NodeRecord n = row.cloud() ? NodeBuilder.node("a").activeCloud(T0) : NodeBuilder.node("a").active(T0);
      dispatched(n, "x", "l1", row.delivered());
      NodeStep step = heartbeat(n, row.atSec());
      assertEquals(row.lost() ? List.of("x") : List.of(), step.lost(), row.name());
      assertEquals(!row.lost(), n.running().contains("x"), row.name() + ": the lost task leaves the node's slots");
      assertEquals(row.lost(), step.outcome().faulted(), row.name() + ": a loss is the node's fault");
      assertEquals(NodeStatus.ACTIVE, n.status(), row.name() + ": the heartbeat itself is proof of life");
    }
  }

  @Test
  void anAttemptTakenBackThatTheNodeStillListsHoldsASlotAndIsStoppedOncePerLease() {
    NodeRecord n = NodeBuilder.node("a").slots(2).active(T0);
    TaskRecord t = dispatched(n, "x", "l1", true);
    n.running().remove("x");
    t.endAttempt("lost", "the node went quiet", null, at(10));
    NodeStep first = heartbeat(n, 20, "x");
    assertEquals(List.of(new NodeHoldings.Stop("x", "l1")), first.slots().stop());
    assertTrue(first.slots().changed());
    assertTrue(first.news());
    assertEquals(1, n.used(), "it holds a slot until the node has stopped it");
    NodeStep again = heartbeat(n, 65, "x");
    assertEquals(List.of(), again.slots().stop(), "asked once per lease");
    assertFalse(again.news());
    NodeStep gone = heartbeat(n, 110);
    assertTrue(gone.slots().changed(), "stopped: the slot is free again");
    assertEquals(0, n.used());
  }

  @Test
  void aResultOnItsWayIsNotASlot() {
    NodeRecord n = NodeBuilder.node("a").active(T0);
    TaskRecord t = dispatched(n, "x", "l1", true);
    n.running().remove("x");
    t.endAttempt("succeeded", null, 0, at(10));
    assertEquals(List.of(), heartbeat(n, 11, "x").slots().stop());
    assertEquals(0, n.used());
  }

  @Test
  void theNodesWordOnNewWorkIsNewsOnlyWhenItChanges() {
    NodeRecord n = NodeBuilder.node("a").active(T0);
    Refusal full = Refusal.diskFull("disk nearly full");
    Object[][] table = { // refusal sent, changed, what it said before
        {full, true, null}, {full, false, null}, {null, true, full}, {null, false, null}};
    long s = 0;
    for (Object[] row : table) {
      NodeStep step = live.heartbeat(n, new Heartbeat("a", 0, List.of(), SystemStats.EMPTY, Map.of(),
          (Refusal) row[0]), tasks::get, GRACE, at(s += 30));
      assertEquals(row[1], step.refusalChanged(), "refusing " + row[0]);
      assertEquals(row[2], step.refusalWas());
      assertEquals(row[0], n.refusing());
      assertEquals(at(s), n.lastHeartbeat(), "stamped by the clock it was given");
    }
  }

  @Test
  void aRegistrationKeepsAKnownNodesCountersAndEndsItsOutage() {
    NodeRecord known = NodeBuilder.node("a").active(T0);
    known.recordRan(true, 100);
    live.memberLost(known, "cluster member left", at(5));
    assertEquals(NodeStatus.OFFLINE, known.status());
    NodeRecord again = NodeLiveness.admit(known, NodeBuilder.node("a").cores(8).build(), false, at(9));
    assertSame(known, again, "the same record, updated");
    NodeStep step = live.registered(again, List.of(), tasks::get, GRACE, at(10));
    assertEquals(1, again.completed(), "counters kept");
    assertEquals(NodeStatus.ACTIVE, again.status(), "a known node is back at once");
    assertTrue(step.outcome().changed());
    assertTrue(step.outcome().closed(), "its outage ends");
    assertEquals(at(10), again.lastHeartbeat());
    NodeRecord fresh = NodeLiveness.admit(null, NodeBuilder.node("c").build(), true, at(11));
    assertTrue(fresh.cloud(), "the manager's own executor");
    assertEquals(at(11), fresh.lastHeartbeat());
  }

  @Test
  void aProbeAnswerIsProofOfLifeAndItsListCorrectsTheSlots() {
    NodeRecord n = NodeBuilder.node("a").active(T0);
    live.undelivered(n, "no answer", true, at(1));
    n.claimedFull(true);
    NodeStep withoutList = live.probeOk(n, null, tasks::get, at(2));
    assertEquals(NodeStatus.ACTIVE, n.status());
    assertTrue(withoutList.outcome().closed());
    assertTrue(n.fullClaimed(), "a probe that lists nothing says nothing of the slots");
    NodeStep withList = live.probeOk(n, List.of(), tasks::get, at(3));
    assertTrue(withList.slots().changed());
    assertFalse(n.fullClaimed());
    assertNull(n.incidentSince());
  }

  @Test
  void whoIsProbedAndWhoseReportIsNews() {
    NodeRecord n = NodeBuilder.node("a").active(T0);
    assertTrue(NodeLiveness.probed(n));
    assertFalse(NodeLiveness.probed(NodeBuilder.node("c").activeCloud(T0)), "never the manager's own executor");
    assertFalse(NodeLiveness.inDoubt(n));
    live.undelivered(n, "no answer", true, at(1));
    assertTrue(NodeLiveness.inDoubt(n));
    live.memberLost(n, "gone", at(2));
    assertFalse(NodeLiveness.probed(n), "an offline node waits for its heartbeat");
  }
}
