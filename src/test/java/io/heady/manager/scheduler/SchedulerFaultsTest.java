package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults never fail a task (issue 14), by a clock moved by hand: an undelivered dispatch uses none of the
 * task's attempts and makes the node suspect; a suspect node gets nothing until it proves it is alive; a
 * "full" refusal corrects the manager's view of the node instead of being retried; one outage is one fault;
 * a deleted live node's attempts are revoked and stopped; a task no node could ever take says so.
 */
class SchedulerFaultsTest {
  private final Harness h = new Harness();

  private void heartbeatListing(String nodeId, String... held) {
    h.scheduler.heartbeat(new Heartbeat(nodeId, held.length, List.of(held), SystemStats.EMPTY), h.now);
  }

  @Test
  void anUndeliveredDispatchUsesNoAttemptAndTheTaskGoesToAnotherNode() {
    h.join(node("a").cores(8).ram(16));
    h.join(node("b").cores(4).ram(8));
    h.submit(task("make").id("t").maxAttempts(1).spec());
    RecordingSink.Sent first = h.sink.dispatchOf("t");
    assertEquals("a", first.nodeId());
    h.scheduler.dispatchFailed("t", first.leaseId(), "connection refused", Undelivered.UNREACHABLE, h.now);
    RecordingSink.Sent second = h.sink.dispatchOf("t");
    assertEquals("b", second.nodeId(), "the next placement prefers another node");
    assertEquals(0, h.task("t").taskFailures(), "max_attempts 1 is untouched");
    assertEquals("undelivered", h.task("t").attemptByLease(first.leaseId()).outcome());
    assertEquals(NodeStatus.SUSPECT, h.node("a").status());
    assertEquals(List.of("a"), h.sink.probes, "a suspect node is probed at once");
    h.succeed("t");
    assertEquals(TaskState.SUCCEEDED, h.task("t").state());
  }

  @Test
  void aSuspectNodeGetsNothingUntilItProvesItIsAlive() {
    h.join(node("a").cores(8).ram(16));
    h.submit(task("make").id("t").pin("a").spec());
    h.scheduler.dispatchFailed("t", h.sink.dispatchOf("t").leaseId(), "no answer in time",
        Undelivered.UNREACHABLE, h.now);
    h.submit(task("echo").id("u").spec());
    h.scheduler.tick(h.advance(java.time.Duration.ofSeconds(5)));
    assertEquals(1, h.sink.dispatches.size(), "no new dispatch to a suspect node, and no tight loop");
    assertEquals(TaskState.QUEUED, h.task("t").state());
    h.scheduler.probeOk("a", List.of(), h.now);
    assertEquals(NodeStatus.ACTIVE, h.node("a").status(), "a probe that answers is proof of life");
    assertEquals(TaskState.DISPATCHED, h.task("t").state(), "the pinned task waited for its node");
    assertEquals(TaskState.DISPATCHED, h.task("u").state());
    assertTrue(h.sink.eventTypes().contains("node.suspect"));
    assertTrue(h.sink.eventTypes().contains("node.recovered"));
  }

  @Test
  void aFlappingNodeNeverFailsATaskThatHasSomewhereElseToGo() {
    h.join(node("flaky").cores(16).ram(32));
    h.join(node("steady").cores(2).ram(4)); // one slot
    for (int i = 0; i < 20; i++) {
      h.submit(task("echo " + i).id("t" + i).maxAttempts(1).spec());
    }
    // Every dispatch to the flaky node is lost; it answers a heartbeat between each burst.
    for (int round = 0; round < 40; round++) {
      for (RecordingSink.Sent s : List.copyOf(h.sink.dispatches)) {
        TaskRecord t = h.task(s.taskId());
        if (t.currentAttempt() == null || !t.currentAttempt().leaseId().equals(s.leaseId())) {
          continue;
        }
        if (s.nodeId().equals("flaky")) {
          h.scheduler.dispatchFailed(s.taskId(), s.leaseId(), "no answer", Undelivered.UNREACHABLE, h.now);
        } else {
          h.succeed(s.taskId());
        }
      }
      h.advance(java.time.Duration.ofSeconds(10));
      if (h.node("flaky").status() == NodeStatus.SUSPECT) {
        h.heartbeat("flaky");
      }
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(TaskState.SUCCEEDED, h.task("t" + i).state(), "t" + i);
      assertEquals(0, h.task("t" + i).taskFailures());
    }
    assertEquals(NodeStatus.DEGRADED, h.node("flaky").status(),
        "a node that fails every dispatch, outage after outage, is quarantined");
    assertEquals(NodeStatus.ACTIVE, h.node("steady").status());
  }

  @Test
  void aFullRefusalCorrectsTheViewOfTheNodeInsteadOfRetrying() {
    h.join(node("a").cores(2).ram(4)); // one slot
    h.submit(task("work").id("t").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("t");
    // The dispatch was delivered but its answer lost: the node runs it, the manager takes it back.
    h.scheduler.dispatchFailed("t", first.leaseId(), "no answer in time", Undelivered.UNREACHABLE, h.now);
    // Its next heartbeat proves it alive and lists the attempt it still holds.
    h.advance(java.time.Duration.ofSeconds(1));
    heartbeatListing("a", "t");
    assertEquals(NodeStatus.ACTIVE, h.node("a").status());
    assertEquals(1, h.node("a").used(), "the attempt it still holds takes its one slot");
    assertTrue(h.sink.cancels.contains(new RecordingSink.Cancel("a", "t", first.leaseId())),
        "the node is told to stop the attempt the manager took back");
    assertEquals(1, h.sink.dispatches.size(), "not sent again while the node still holds it");
    heartbeatListing("a", "t");
    assertEquals(1, h.sink.cancels.size(), "asked once per lease, not at every heartbeat");
    // Killed: the next heartbeat no longer lists it, and the task runs again.
    heartbeatListing("a");
    assertEquals(2, h.sink.dispatches.size());
    RecordingSink.Sent second = h.sink.last();
    // Now the node says it is full (the view is wrong somehow): no retry until it lists its tasks.
    long faults = h.node("a").faults();
    h.scheduler.dispatchFailed("t", second.leaseId(), "node a refused: full", Undelivered.FULL, h.now);
    assertEquals(NodeStatus.ACTIVE, h.node("a").status(), "a node that answered is alive");
    assertEquals(faults, h.node("a").faults(), "full is not a fault");
    assertEquals(2, h.sink.dispatches.size(), "not tried again in a loop");
    assertTrue(h.sink.probes.contains("a"), "asked what it holds");
    h.scheduler.probeOk("a", List.of(), h.now);
    assertEquals(3, h.sink.dispatches.size(), "its own list shows the slot free");
    h.succeed("t");
    assertEquals(TaskState.SUCCEEDED, h.task("t").state());
    assertEquals(0, h.task("t").taskFailures());
  }

  @Test
  void aKilledAndRestartedNodeComesBackActiveWithItsHistoryAndOneFault() {
    h.join(node("a").member("m1").cores(8).ram(16));
    for (int i = 0; i < 5; i++) {
      h.submit(task("true").id("ok" + i).spec());
      h.succeed("ok" + i);
    }
    h.submit(task("sleep 9").id("x").spec());
    h.submit(task("sleep 9").id("y").spec());
    h.scheduler.memberLost("m1", h.now);
    assertEquals(NodeStatus.OFFLINE, h.node("a").status());
    assertEquals(TaskState.QUEUED, h.task("x").state());
    assertEquals(1, h.node("a").faults(), "two leases lost in one crash: one fault");
    h.advance(java.time.Duration.ofSeconds(1));
    h.scheduler.register(node("a").member("m2").cores(8).ram(16).build(), false, h.now);
    assertEquals(NodeStatus.ACTIVE, h.node("a").status());
    assertEquals(5, h.node("a").completed(), "its history is kept");
    assertEquals(1, h.node("a").faults());
    assertEquals(TaskState.DISPATCHED, h.task("x").state(), "the work runs again");
  }

  @Test
  void deletingALiveNodeRevokesItsAttemptsAndStopsThem() {
    h.join(node("a").cores(8).ram(16));
    h.submit(task("sleep 3").id("p").pin("a").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("p");
    h.scheduler.deleteNode("a", h.now);
    assertEquals(TaskState.QUEUED, h.task("p").state());
    assertEquals("revoked", h.task("p").attemptByLease(first.leaseId()).outcome());
    assertTrue(h.sink.cancels.contains(new RecordingSink.Cancel("a", "p", first.leaseId())),
        "the node is told to kill the revoked attempt");
    assertEquals(0, h.task("p").taskFailures());
    // The agent registers again at once; its old process is still being killed.
    h.scheduler.register(node("a").cores(8).ram(16).running("p").build(), false, h.now);
    heartbeatListing("a", "p");
    assertEquals(1, h.sink.dispatches.size(), "not re-dispatched to a node that still holds it: no 'full' loop");
    heartbeatListing("a");
    RecordingSink.Sent second = h.sink.last();
    assertEquals("a", second.nodeId(), "it runs on that node once it registered again");
    h.succeed("p");
    assertEquals(TaskState.SUCCEEDED, h.task("p").state());
    assertEquals(0, h.node("a").faults(), "an operator's delete is not the node's fault");
  }

  @Test
  void aTaskNoNodeCouldEverTakeSaysSoAndRunsWhenSuchANodeRegisters() {
    h.join(node("rpi4").cores(4).ram(8));
    h.submit(task("echo").id("ghostly").pin("ghost").spec());
    h.submit(task("make -j64").id("huge").requires(new JsonObject().put("cores", 64)).spec());
    for (String id : List.of("ghostly", "huge")) {
      TaskRecord t = h.task(id);
      assertEquals(TaskState.QUEUED, t.state(), "accepted and queued");
      assertNotNull(t.unplaceable(), id);
      assertTrue(t.unplaceable().startsWith("no node in the cluster can take this task: 1 node (rpi4): "),
          t.unplaceable());
    }
    assertEquals("no node in the cluster can take this task: 1 node (rpi4): task is pinned to ghost",
        h.task("ghostly").unplaceable());
    assertEquals("no node in the cluster can take this task: 1 node (rpi4): needs 64 cores (has 4)",
        h.task("huge").unplaceable());
    assertEquals(2, h.sink.eventTypes().stream().filter("task.unplaceable"::equals).count());
    h.scheduler.tick(h.advance(java.time.Duration.ofSeconds(1)));
    assertEquals(2, h.sink.eventTypes().stream().filter("task.unplaceable"::equals).count(), "said once");

    h.join(node("ghost").cores(2).ram(4));
    assertEquals(TaskState.DISPATCHED, h.task("ghostly").state(), "placed as soon as such a node registers");
    assertNull(h.task("ghostly").unplaceable());
    h.scheduler.tick(h.advance(java.time.Duration.ofSeconds(1)));
    assertNotNull(h.task("huge").unplaceable(), "still nobody has 64 cores");
    assertEquals("no node in the cluster can take this task: 2 nodes (rpi4, ghost): needs 64 cores (has at most 4)",
        h.task("huge").unplaceable(), "nodes that fail alike are counted together, and named while few");
  }

  @Test
  void aTaskInAnEmptyClusterIsUnplaceableUntilANodeJoins() {
    h.submit(task("echo").id("early").spec());
    assertTrue(h.task("early").unplaceable().contains("no node has registered yet"));
    h.join(node("a"));
    assertEquals(TaskState.DISPATCHED, h.task("early").state());
  }

  @Test
  void requeuesBecauseOfNodesHaveTheirOwnBound() {
    Harness small = new Harness(new SchedulerSettings(java.time.Duration.ofSeconds(45),
        java.time.Duration.ofSeconds(120), java.time.Duration.ofSeconds(600), 3, java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(60), 100, io.heady.manager.placement.PlacementSettings.DEFAULTS,
        NodeLiveness.Settings.DEFAULTS));
    small.join(node("a").cores(8).ram(16));
    small.submit(task("x").id("t").pin("a").maxAttempts(1).spec());
    for (int i = 0; i < 4; i++) {
      RecordingSink.Sent s = small.sink.last();
      small.scheduler.dispatchFailed("t", s.leaseId(), "refused: bad", Undelivered.REFUSED, small.now);
      small.scheduler.probeOk("a", List.of(), small.now);
    }
    TaskRecord t = small.task("t");
    assertEquals(TaskState.FAILED, t.state());
    assertTrue(t.reason().startsWith("requeued 4 times because nodes did not run it"), t.reason());
    assertEquals(0, t.taskFailures());
  }

  @Test
  void aQuarantinedNodeTakesOnlyLowPriorityProbationWorkOneAtATime() {
    h.join(node("q").member("mq").cores(8).ram(16));
    // three crashes while it held work, with too little good history between: quarantined
    for (int i = 0; i < 3; i++) {
      h.submit(task("sleep 9").id("lost" + i).spec());
      h.scheduler.memberLost("mq", h.now);
      h.scheduler.cancel("lost" + i, h.now);
      h.scheduler.register(node("q").member("mq").cores(8).ram(16).build(), false, h.advance(
          java.time.Duration.ofSeconds(1)));
      h.heartbeat("q");
    }
    h.submit(task("true").id("ok1").spec());
    h.succeed("ok1");
    h.submit(task("true").id("ok2").spec());
    h.succeed("ok2");
    h.submit(task("sleep 9").id("last").spec());
    h.scheduler.memberLost("mq", h.now);
    h.scheduler.cancel("last", h.now);
    h.scheduler.register(node("q").member("mq").cores(8).ram(16).build(), false, h.advance(
        java.time.Duration.ofSeconds(1)));
    h.heartbeat("q");
    assertEquals(NodeStatus.DEGRADED, h.node("q").status());

    h.submit(task("echo p2").id("normal").spec());
    assertEquals(TaskState.QUEUED, h.task("normal").state(), "no P2 work for a quarantined node");
    for (int i = 0; i < 3; i++) {
      h.submit(task("echo probation").id("p" + i).priority("P3").spec());
    }
    assertEquals(1, h.scheduler.nodes().get("q").running().size(), "one probation task at a time");
    for (int i = 0; i < 3; i++) {
      h.succeed("p" + i);
    }
    assertEquals(NodeStatus.ACTIVE, h.node("q").status(), "three probation tasks: back in service");
    assertEquals(TaskState.DISPATCHED, h.task("normal").state());
  }
}
