package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Reliability;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Node liveness driven by an {@code Instant} moved by hand: TTL 120 s → stale, 600 s → offline, 3 failed
 * probes → unhealthy, low reliability → degraded (quarantine), member loss → offline at once.
 */
class SchedulerLivenessTest {
  private final Harness h = new Harness();

  @Test
  void aRegisteredNodeIsPendingUntilItsFirstHeartbeat() {
    h.scheduler.register(node("n").build(), false, h.now);
    assertEquals(NodeStatus.PENDING, h.node("n").status());
    h.submit(task("echo hi").spec());
    assertTrue(h.sink.dispatches.isEmpty(), "a pending node takes no work");
    h.heartbeat("n");
    assertEquals(NodeStatus.ACTIVE, h.node("n").status());
    assertEquals(1, h.sink.dispatches.size(), "the first heartbeat lets queued work in");
  }

  @Test
  void staleAfterTheTtlWithoutAHeartbeat() {
    h.scheduler.register(node("n").build(), false, h.at(0));
    h.scheduler.tick(h.at(120));
    assertEquals(NodeStatus.PENDING, h.node("n").status(), "120 s is not past the TTL");
    h.scheduler.tick(h.at(121));
    assertEquals(NodeStatus.STALE, h.node("n").status());

    h.join(node("m"));
    h.scheduler.tick(h.at(121 + 120));
    assertEquals(NodeStatus.ACTIVE, h.node("m").status());
    h.scheduler.tick(h.at(121 + 121));
    assertEquals(NodeStatus.STALE, h.node("m").status());
    assertTrue(h.sink.eventTypes().contains("node.stale"));
    assertTrue(h.sink.nodeWrites.contains("m:stale"), "the new status is written: " + h.sink.nodeWrites);
  }

  @Test
  void offlineAfterTheOfflineTimeout() {
    h.join(node("n"));
    h.scheduler.tick(h.at(121));
    h.scheduler.tick(h.at(600));
    assertEquals(NodeStatus.STALE, h.node("n").status());
    h.scheduler.tick(h.at(601));
    assertEquals(NodeStatus.OFFLINE, h.node("n").status());
    assertTrue(h.sink.nodeWrites.contains("n:offline"));
    h.scheduler.tick(h.at(100_000));
    assertEquals(NodeStatus.OFFLINE, h.node("n").status());
  }

  @Test
  void aSingleLateTickGoesStraightToOffline() {
    h.join(node("n"));
    h.scheduler.tick(h.at(601));
    assertEquals(NodeStatus.OFFLINE, h.node("n").status());
  }

  @Test
  void aHeartbeatRevivesStaleOfflineAndUnhealthyNodes() {
    h.join(node("n"));
    h.scheduler.tick(h.at(121));
    assertEquals(NodeStatus.STALE, h.node("n").status());
    h.heartbeat("n");
    assertEquals(NodeStatus.ACTIVE, h.node("n").status());

    h.scheduler.tick(h.at(121 + 601));
    assertEquals(NodeStatus.OFFLINE, h.node("n").status());
    h.heartbeat("n");
    assertEquals(NodeStatus.ACTIVE, h.node("n").status());

    for (int i = 0; i < 3; i++) {
      h.scheduler.probeFailed("n", h.now);
    }
    assertEquals(NodeStatus.UNHEALTHY, h.node("n").status());
    h.heartbeat("n");
    assertEquals(NodeStatus.ACTIVE, h.node("n").status());
    assertEquals(0, h.node("n").probeFailures(), "a heartbeat proves the node answers");
  }

  @Test
  void aRevivedNodeGetsTheWorkThatWaited() {
    h.join(node("n"));
    h.scheduler.tick(h.at(121));
    h.submit(task("echo hi").id("a").spec());
    assertEquals(TaskState.QUEUED, h.task("a").state());
    h.heartbeat("n");
    assertEquals(TaskState.DISPATCHED, h.task("a").state());
    assertEquals("n", h.sink.dispatchOf("a").nodeId());
  }

  @Test
  void threeFailedProbesInARowMakeANodeUnhealthy() {
    h.join(node("n"));
    h.scheduler.probeFailed("n", h.now);
    h.scheduler.probeFailed("n", h.now);
    h.scheduler.probeOk("n", null, h.now);
    h.scheduler.probeFailed("n", h.now);
    h.scheduler.probeFailed("n", h.now);
    assertEquals(NodeStatus.ACTIVE, h.node("n").status(), "two in a row, twice, is not three in a row");
    h.scheduler.probeFailed("n", h.at(30));
    assertEquals(NodeStatus.UNHEALTHY, h.node("n").status());
    assertTrue(h.sink.eventTypes().contains("node.unhealthy"));
    assertTrue(h.sink.nodeWrites.contains("n:unhealthy"), "the new status is written: " + h.sink.nodeWrites);
    h.submit(task("echo hi").spec());
    assertTrue(h.sink.dispatches.isEmpty(), "an unhealthy node takes no work");
    h.scheduler.probeFailed("n", h.at(60));
    assertEquals(NodeStatus.UNHEALTHY, h.node("n").status());
    h.scheduler.probeFailed("nobody", h.now); // unknown nodes are ignored
  }

  @Test
  void aNodeWhoseReliabilityFallsBelow30IsQuarantinedAndAHeartbeatDoesNotLiftIt() {
    NodeRecord n = h.join(node("n").cores(8).ram(16));
    // Some good history first: 2 tasks ran.
    for (String id : List.of("ok1", "ok2")) {
      h.submit(task("true").id(id).spec());
      h.succeed(id);
    }
    // Then the node loses what it holds three times in a row (three crashes: one fault each, however
    // many tasks each crash takes with it).
    int second = 121;
    for (String id : List.of("x1", "x2", "x3")) {
      h.scheduler.heartbeat(new Heartbeat("n", 0, List.of(), SystemStats.EMPTY), h.at(second - 121));
      h.submit(task("sleep 1000").id(id).spec());
      assertTrue(n.running().contains(id));
      h.scheduler.tick(h.at(second));
      second += 200;
    }
    // 2 / 5 = 40 %, minus 3 × 10 for the streak: 10.
    assertEquals(10, n.reliability());
    assertTrue(n.reliability() < Reliability.QUARANTINE_BELOW);
    assertEquals(NodeStatus.DEGRADED, n.status());
    assertTrue(h.sink.eventTypes().contains("node.degraded"));

    h.heartbeat("n");
    assertEquals(NodeStatus.DEGRADED, n.status(), "a heartbeat does not lift a quarantine");
    h.scheduler.register(node("n").cores(8).ram(16).build(), false, h.now);
    assertEquals(NodeStatus.DEGRADED, n.status(), "nor does registering again");
    for (String id : List.of("x1", "x2", "x3")) {
      assertEquals(TaskState.QUEUED, h.task(id).state(), id + " waits: its only node is quarantined");
    }

    h.scheduler.reinstate("n", h.now);
    assertEquals(NodeStatus.ACTIVE, n.status());
    assertEquals(3, n.running().size(), "reinstated, it gets the waiting work");
    ApiException e = assertThrows(ApiException.class, () -> h.scheduler.reinstate("n", h.now));
    assertEquals(ErrorCode.CONFLICT, e.code());
  }

  @Test
  void memberLossTakesANodeOfflineAtOnceAndRequeuesItsTasksWithoutChargingThem() {
    NodeRecord a = h.join(node("a").cores(16).ram(32).member("member-a"));
    NodeRecord b = h.join(node("b").cores(8).ram(16).member("member-b"));
    for (int i = 0; i < 4; i++) { // a good record on a: one loss will not quarantine it
      h.submit(task("true").id("warm" + i).pin("a").spec());
      h.succeed("warm" + i);
    }
    h.submit(task("make").id("job").maxAttempts(2).spec());
    RecordingSink.Sent first = h.sink.dispatchOf("job");
    assertEquals("a", first.nodeId(), "the bigger node wins");

    h.scheduler.memberLost("member-a", h.at(5));
    assertEquals(NodeStatus.OFFLINE, a.status(), "at once, no TTL wait");
    assertTrue(a.running().isEmpty());
    TaskRecord job = h.task("job");
    assertEquals("lost", job.attemptByLease(first.leaseId()).outcome());
    assertEquals(0, job.taskFailures(), "losing the node is not the task's failure");
    assertEquals(1, job.infraRequeues());
    assertTrue(h.sink.eventTypes().contains("task.requeued"));

    // It goes to b at once, and b's failure is the first charged to its budget of 2: so it is retried.
    RecordingSink.Sent second = h.sink.dispatchOf("job");
    assertEquals("b", second.nodeId(), "requeued work is placed on the surviving node at once");
    h.scheduler.complete(Harness.completion(second, "failed", 1), h.now);
    assertEquals(TaskState.QUEUED, job.state(), "one failure of two allowed: retried");
    assertEquals(1, job.taskFailures());
    assertEquals(1, b.failed());
    assertEquals(100, b.reliability(), "a task's own failure does not sink the node");
  }

  @Test
  void anUnknownMemberIsIgnored() {
    h.join(node("a").member("m1"));
    h.scheduler.memberLost("m2", h.now);
    assertEquals(NodeStatus.ACTIVE, h.node("a").status());
  }

  @Test
  void aTtlExpiryRevokesTheLeasesOfItsRunningTasks() {
    h.join(node("a").cores(16).ram(32));
    h.submit(task("sleep 9999").id("long").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("long");
    h.scheduler.tick(h.at(121));
    assertEquals(NodeStatus.STALE, h.node("a").status(),
        "one early loss scores 0 but is not yet the history that quarantines a node");
    assertEquals(0, h.node("a").reliability());
    assertEquals(TaskState.QUEUED, h.task("long").state());
    assertEquals("lost", h.task("long").attemptByLease(first.leaseId()).outcome());
  }

  @Test
  void aHeartbeatThatNoLongerListsAnOldTaskLosesIt() {
    h.join(node("a").cores(16).ram(32));
    for (int i = 0; i < 5; i++) {
      h.submit(task("true").id("w" + i).spec());
      h.succeed("w" + i);
    }
    h.submit(task("sleep 100").id("old").spec());
    h.delivered();
    h.at(50);
    h.submit(task("sleep 100").id("young").spec());
    h.delivered();
    // The agent restarted and knows neither; only the one it took longer than a heartbeat ago is lost.
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY), h.at(60));
    assertEquals(1, h.task("old").infraRequeues());
    assertEquals(0, h.task("young").infraRequeues());
    assertEquals(TaskState.DISPATCHED, h.task("young").state());
    // The lost one is placed again at once (on the only node, as a last resort), under a new lease.
    assertEquals(TaskState.DISPATCHED, h.task("old").state());
    assertEquals(2, h.task("old").attempts().size());
    assertTrue(h.sink.nodeWrites.size() > 0 && h.sink.nodeWrites.get(h.sink.nodeWrites.size() - 1).startsWith("a:"));
  }

  @Test
  void aDispatchStillBeingDeliveredIsNotMissingFromTheNodesList() {
    h.join(node("a").cores(16).ram(32));
    h.submit(task("sleep 100").id("slow-path").spec());
    // The bus times out and the HTTP fallback is under way: the node cannot list it yet, and is not blamed.
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY), h.at(20));
    assertEquals(TaskState.DISPATCHED, h.task("slow-path").state());
    assertEquals(0, h.task("slow-path").infraRequeues());
    assertEquals(0, h.node("a").faults());
    // Delivered at last; from then on the node must list it within a heartbeat.
    h.delivered();
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY), h.at(21));
    assertEquals(0, h.task("slow-path").infraRequeues());
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY),
        h.at(20 + SchedulerSettings.defaults().heartbeat().toSeconds() + 1));
    assertEquals(1, h.task("slow-path").infraRequeues(), "taken, then not listed: lost");
  }

  @Test
  void aDeliveryThatNeverAnswersIsMissingAfterTheDeliveryWait() {
    h.join(node("a").cores(16).ram(32));
    h.submit(task("sleep 100").id("silent").spec());
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY),
        h.at(Scheduler.DELIVERY_WAIT.toSeconds()));
    assertEquals(0, h.task("silent").infraRequeues());
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY),
        h.at(Scheduler.DELIVERY_WAIT.plus(SchedulerSettings.defaults().heartbeat()).toSeconds() + 1));
    assertEquals(1, h.task("silent").infraRequeues());
  }

  @Test
  void tasksLostThroughAHeartbeatCountAgainstTheNodeLikeAnyOtherLoss() {
    h.join(node("a").cores(16).ram(32));
    for (int i = 0; i < 4; i++) {
      h.submit(task("true").id("ok" + i).spec());
      h.succeed("ok" + i);
    }
    h.submit(task("sleep 100").id("x").spec());
    h.submit(task("sleep 100").id("y").spec());
    h.delivered();
    h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY), h.at(60));
    // 4 ran, 1 fault (both tasks lost at once count as one): 80 − 10 = 70, not yet quarantined.
    assertEquals(70, h.node("a").reliability());
    assertEquals(NodeStatus.ACTIVE, h.node("a").status());
    int second = 60;
    int losses = 1;
    while (h.node("a").status() != NodeStatus.DEGRADED && losses < 10) {
      h.submit(task("sleep 100").id("z" + losses).spec());
      h.delivered();
      second += 60;
      long faultsBefore = h.node("a").faults();
      h.scheduler.heartbeat(new Heartbeat("a", 0, List.of(), SystemStats.EMPTY), h.at(second));
      assertEquals(faultsBefore + 1, h.node("a").faults(), "each heartbeat that loses tasks is one fault");
      losses++;
    }
    assertTrue(h.node("a").reliability() < Reliability.QUARANTINE_BELOW);
    assertEquals(NodeStatus.DEGRADED, h.node("a").status(), "the same quarantine as a TTL or member loss");
    assertTrue(h.sink.nodeWrites.contains("a:degraded"), h.sink.nodeWrites.toString());
  }

  @Test
  void aHeartbeatFromAnUnknownNodeIsRefusedSoTheAgentRegistersAgain() {
    ApiException e = assertThrows(ApiException.class,
        () -> h.scheduler.heartbeat(new Heartbeat("ghost", 0, List.of(), SystemStats.EMPTY), h.now));
    assertEquals(ErrorCode.UNKNOWN_NODE, e.code());
  }

  @Test
  void registeringAgainKeepsTheCountersAndTellsItIsNotNew() {
    assertTrue(h.scheduler.register(node("a").build(), false, h.now));
    h.heartbeat("a");
    h.submit(task("true").id("x").spec());
    h.succeed("x");
    assertFalse(h.scheduler.register(node("a").cores(8).ram(16).build(), false, h.at(10)));
    NodeRecord a = h.node("a");
    assertEquals(1, a.completed());
    assertEquals(4, a.maxConcurrent(), "new hardware, new slots");
    assertEquals(NodeStatus.ACTIVE, a.status());
    assertTrue(h.sink.eventTypes().contains("node.reregistered"));
  }

  @Test
  void aTaskLostWithItsNodeTooOftenFailsInsteadOfLoopingForever() {
    SchedulerSettings d = SchedulerSettings.defaults();
    for (int i = 0; i < d.maxInfraRequeues() + 1; i++) {
      h.join(node("n" + i).member("m" + i));
      for (int k = 0; k < 9; k++) { // a good record, so one loss does not quarantine it
        h.submit(task("true").id("ok" + i + "-" + k).pin("n" + i).spec());
        h.succeed("ok" + i + "-" + k);
      }
    }
    h.submit(task("crash the agent").id("poison").spec());
    for (int i = 0; i <= d.maxInfraRequeues(); i++) {
      String on = h.sink.dispatchOf("poison").nodeId();
      h.scheduler.memberLost("m" + on.substring(1), h.now);
    }
    TaskRecord t = h.task("poison");
    assertEquals(TaskState.FAILED, t.state());
    assertTrue(t.reason().startsWith("requeued " + (d.maxInfraRequeues() + 1) + " times because nodes did not"
        + " run it"), t.reason());
    assertTrue(t.reason().contains("the task itself never failed"), "the reason says whose fault it was");
    assertEquals(0, t.taskFailures());
  }

  @Test
  void deletingANodeRequeuesItsTasks() {
    h.join(node("a"));
    h.submit(task("sleep 5").id("x").spec());
    h.scheduler.deleteNode("a", h.now);
    assertNull(h.node("a"));
    assertEquals(TaskState.QUEUED, h.task("x").state());
    assertEquals(List.of("a"), h.sink.removed);
  }
}
