package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.task.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node whose disk is nearly full (issue 16): while its heartbeat says {@code disk_full} it gets no new task
 * and a task that could only go there waits naming it; a dispatch it answers 507 goes back to the queue with
 * no attempt used and no fault; a heartbeat with room again places what waited.
 */
class SchedulerDiskFullTest {
  private static final Refusal FULL = Refusal.diskFull("only 12 MB free on the disk under /data");
  private final Harness h = new Harness();

  private void heartbeat(String nodeId, Refusal r) {
    List<String> held = List.copyOf(h.node(nodeId).running());
    h.scheduler.heartbeat(new Heartbeat(nodeId, held.size(), held, SystemStats.EMPTY, Map.of(), r), h.now);
  }

  @Test
  void aNodeThatSaysItsDiskIsFullGetsNothingAndTheTaskWaitsNamingIt() {
    h.join(node("a").cores(8).ram(16));
    heartbeat("a", FULL);
    assertEquals(FULL, h.node("a").refusing());
    assertEquals(NodeStatus.ACTIVE, h.node("a").status(), "alive and not at fault");
    assertTrue(h.sink.eventTypes().contains("node.refusing"));

    h.submit(task("make").id("t").spec());
    assertEquals(TaskState.QUEUED, h.task("t").state());
    assertEquals(List.of(), h.sink.dispatches);
    String why = h.scheduler.explain(h.task("t")).summary();
    assertTrue(why.contains("disk_full") && why.contains("only 12 MB free"), why);
    assertNull(h.task("t").unplaceable(), "a full disk passes: not unplaceable");

    heartbeat("a", null);
    assertNull(h.node("a").refusing());
    assertTrue(h.sink.eventTypes().contains("node.accepting"));
    assertEquals(TaskState.DISPATCHED, h.task("t").state(), "room again: what waited is placed at once");
    assertEquals("a", h.sink.dispatchOf("t").nodeId());
  }

  @Test
  void aDispatchAnswered507GoesBackToTheQueueWithoutAnAttemptOrAFault() {
    h.join(node("a").cores(8).ram(16));
    h.join(node("b").cores(4).ram(8));
    h.submit(task("make").id("t").maxAttempts(1).spec());
    RecordingSink.Sent first = h.sink.dispatchOf("t");
    assertEquals("a", first.nodeId());
    h.scheduler.dispatchFailed("t", first.leaseId(), "node a refused: disk_full", Undelivered.of(507), h.now);

    assertEquals(Refusal.DISK_FULL, h.node("a").refusing().reason());
    assertEquals(NodeStatus.ACTIVE, h.node("a").status(), "not suspect: it answered");
    assertEquals(0, h.node("a").faults());
    assertEquals(List.of(), h.sink.probes, "no probe needed: its heartbeat says when it has room");
    assertEquals(0, h.task("t").taskFailures(), "max_attempts 1 is untouched");
    assertEquals("undelivered", h.task("t").attemptByLease(first.leaseId()).outcome());
    assertEquals("b", h.sink.dispatchOf("t").nodeId(), "it goes elsewhere");
    h.succeed("t");
    assertEquals(TaskState.SUCCEEDED, h.task("t").state());
  }

  @Test
  void aPinnedTaskWaitsForItsFullNodeAndRunsThereOnceItHasRoom() {
    h.join(node("a").cores(8).ram(16));
    h.submit(task("make").id("t").pin("a").spec());
    RecordingSink.Sent first = h.sink.dispatchOf("t");
    h.scheduler.dispatchFailed("t", first.leaseId(), "node a refused: disk_full", Undelivered.DISK_FULL, h.now);
    assertEquals(TaskState.QUEUED, h.task("t").state());
    assertEquals(1, h.sink.dispatches.size(), "not tried again while it refuses");
    heartbeat("a", FULL);
    assertEquals(1, h.sink.dispatches.size());
    heartbeat("a", null);
    assertEquals(2, h.sink.dispatches.size());
    assertEquals(TaskState.DISPATCHED, h.task("t").state());
  }

  @Test
  void theRefusalSurvivesTheNodesRecordInTheStore() {
    h.join(node("a").cores(8).ram(16));
    heartbeat("a", FULL);
    var again = io.heady.manager.node.NodeRecord.fromJson(h.node("a").toJson());
    assertEquals(FULL, again.refusing());
    assertEquals("disk_full", h.node("a").toJson().getJsonObject("refusing").getString("reason"));
  }

  @Test
  void status507IsDiskFull() {
    assertEquals(Undelivered.DISK_FULL, Undelivered.of(Refusal.DISK_FULL_STATUS));
    assertEquals(Undelivered.REFUSED, Undelivered.of(400));
  }
}
