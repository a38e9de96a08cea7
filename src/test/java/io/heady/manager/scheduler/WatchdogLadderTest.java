package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.SystemStats;
import io.heady.common.protocol.TaskProgress;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.watchdog.Watchdog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The watchdog by a clock moved by hand: what counts as progress (output, CPU time, I/O, explicit reports),
 * and its three actions on a task that shows none past its limit: warn (the default), reassign (the ladder:
 * reassign, escalate and reassign, fail), fail.
 */
class WatchdogLadderTest {
  private final Harness h = new Harness();
  private final Watchdog dog = Watchdog.defaults();

  /**
   * Every node heartbeats (listing what it runs, with the progress {@code at} gives for the second) every
   * 60 s from {@code from} to {@code until}; the watchdog checks after each.
   */
  private void liveUntil(long from, long until, LongFunction<Map<String, TaskProgress>> at) {
    for (long t = from + 60; t <= until; t += 60) {
      h.at(t);
      for (NodeRecord n : h.scheduler.nodes().all()) {
        h.scheduler.heartbeat(new Heartbeat(n.nodeId(), n.running().size(), List.copyOf(n.running()),
            SystemStats.EMPTY, at.apply(t)), h.now);
      }
      dog.check(h.scheduler, h.now, h.sink);
    }
  }

  private static LongFunction<Map<String, TaskProgress>> silent() {
    return t -> Map.of();
  }

  private void twoNodes() {
    h.join(node("a").cores(8).ram(16));
    h.join(node("b").cores(8).ram(16));
  }

  @Test
  void aSilentTaskIsOnlyWarnedAboutByDefaultAndRunsOn() {
    twoNodes();
    h.submit(task("sleep 100000").id("quiet").spec());
    String node = h.task("quiet").nodeId();
    liveUntil(0, 600, silent());
    assertNull(h.task("quiet").stagnantSince(), "600 s is the P2 limit, not past it");
    liveUntil(600, 3600, silent());
    assertEquals(TaskState.DISPATCHED, h.task("quiet").state(), "a quiet task on a healthy node runs on");
    assertEquals(1, h.task("quiet").attempts().size());
    assertEquals(node, h.task("quiet").nodeId());
    assertTrue(h.sink.cancels.isEmpty(), "nothing is stopped");
    assertNotNull(h.task("quiet").stagnantSince(), "marked");
    assertEquals(1, h.sink.eventTypes().stream().filter("watchdog.stagnant"::equals).count(),
        "one warning per quiet spell, not one a check");
    // It moves again: the mark goes, and a later quiet spell is warned about again.
    liveUntil(3600, 3660, t -> Map.of("quiet", TaskProgress.output(1)));
    assertNull(h.task("quiet").stagnantSince());
    assertTrue(h.sink.eventTypes().contains("watchdog.moving"));
    liveUntil(3660, 4320, silent());
    assertEquals(2, h.sink.eventTypes().stream().filter("watchdog.stagnant"::equals).count());
    h.succeed("quiet");
    assertEquals(TaskState.SUCCEEDED, h.task("quiet").state());
  }

  @Test
  void withReassignASilentTaskIsReassignedThenEscalatedThenFailedWithReasonStagnation() {
    twoNodes();
    h.submit(task("sleep 100000").id("stuck").onStagnation("reassign").spec());
    String first = h.task("stuck").nodeId();
    assertEquals(Priority.P2, h.task("stuck").priority());

    liveUntil(0, 600, silent());
    assertEquals(1, h.task("stuck").attempts().size(), "600 s is the P2 limit, not past it");
    liveUntil(600, 660, silent());
    assertEquals(1, h.task("stuck").stagnations());
    assertEquals("stagnant", h.task("stuck").attempts().get(0).outcome());
    assertEquals(TaskState.DISPATCHED, h.task("stuck").state(), "reassigned at once");
    String second = h.task("stuck").nodeId();
    assertNotEquals(first, second, "to another node");
    assertTrue(h.sink.eventTypes().contains("watchdog.reassigned"));
    assertTrue(h.sink.cancels.stream().anyMatch(c -> c.taskId().equals("stuck")), "the stuck process is stopped");

    liveUntil(660, 1320, silent());
    assertEquals(2, h.task("stuck").stagnations());
    assertEquals(Priority.P1, h.task("stuck").priority(), "escalated one priority");
    assertTrue(h.sink.eventTypes().contains("watchdog.escalated"));

    liveUntil(1320, 1680, silent());
    assertEquals(TaskState.FAILED, h.task("stuck").state());
    assertTrue(h.task("stuck").reason().startsWith("stagnation"), h.task("stuck").reason());
    assertTrue(h.sink.eventTypes().contains("watchdog.failed"));
    assertEquals(0, h.task("stuck").taskFailures(), "the retry budget is not charged");
  }

  @Test
  void withFailASilentTaskFailsAtOnceAndItsProcessIsStopped() {
    twoNodes();
    h.submit(task("sleep 100000").id("f").onStagnation("fail").stagnationSec(30).spec());
    liveUntil(0, 60, silent());
    assertEquals(TaskState.FAILED, h.task("f").state());
    assertTrue(h.task("f").reason().startsWith("stagnation"), h.task("f").reason());
    assertTrue(h.sink.cancels.stream().anyMatch(c -> c.taskId().equals("f")));
  }

  @Test
  void aTasksOwnLimitAndActionWin() {
    twoNodes();
    h.submit(task("sleep 100000").id("own").onStagnation("reassign").stagnationSec(120).spec());
    liveUntil(0, 180, silent());
    assertEquals(1, h.task("own").stagnations(), "its own 120 s limit, not P2's 600 s");
  }

  /** Each kind of progress, on its own, keeps a reassign-on-stagnation task where it is for an hour. */
  @Test
  void outputCpuIoAndExplicitReportsAreEachProgress() {
    twoNodes();
    Map<String, LongFunction<TaskProgress>> kinds = new HashMap<>();
    kinds.put("out", t -> new TaskProgress(t, -1, -1, 0, null));
    kinds.put("cpu", t -> new TaskProgress(0, t * 10, -1, 0, null));
    kinds.put("io", t -> new TaskProgress(0, 5, t * 4096, 0, null));
    kinds.put("rep", t -> new TaskProgress(0, -1, -1, t, "step " + t));
    kinds.keySet().forEach(k -> h.submit(task("work").id(k).onStagnation("reassign").spec()));
    liveUntil(0, 3600, t -> {
      Map<String, TaskProgress> m = new HashMap<>();
      kinds.forEach((k, f) -> m.put(k, f.apply(t)));
      return m;
    });
    for (String k : kinds.keySet()) {
      assertEquals(0, h.task(k).stagnations(), k + " is progress");
      assertEquals(TaskState.DISPATCHED, h.task(k).state(), k);
      assertEquals(1, h.task(k).attempts().size(), k);
    }
    assertEquals("step 3600", h.task("rep").toJson().getString("progress_note"));
  }

  @Test
  void measuresThatStandStillAreNotProgress() {
    twoNodes();
    h.submit(task("sleep 100000").id("idle").onStagnation("reassign").spec());
    // CPU and I/O are measured, but do not grow: a sleeping process.
    liveUntil(0, 660, t -> Map.of("idle", new TaskProgress(0, 12, 300, 0, null)));
    assertEquals(1, h.task("idle").stagnations());
  }

  @Test
  void p0IsWatchedMoreClosely() {
    twoNodes();
    h.submit(task("sleep 1000").id("urgent").priority("P0").onStagnation("reassign").spec());
    liveUntil(0, 360, silent());
    assertEquals(1, h.task("urgent").stagnations(), "P0 limit is 300 s");
  }

  @Test
  void aStalledQueueRaisesAnEvent() {
    h.join(node("a").cores(8).ram(16));
    h.submit(task("echo").id("q").spec());
    // A task that cannot be placed (pinned elsewhere) while a slot is free: nothing is dispatched.
    h.submit(task("echo").id("p").pin("nowhere").spec());
    h.succeed("q");
    h.at(1);
    dog.check(h.scheduler, h.now, h.sink);
    h.at(40);
    dog.check(h.scheduler, h.now, h.sink);
    assertTrue(h.sink.eventTypes().contains("watchdog.queue_stalled"));
  }
}
