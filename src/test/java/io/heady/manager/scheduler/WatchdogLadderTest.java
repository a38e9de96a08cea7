package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.watchdog.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The anti-stagnation ladder, by a clock moved by hand: reassign, escalate and reassign, fail. */
class WatchdogLadderTest {
  private final Harness h = new Harness();
  private final Watchdog dog = Watchdog.defaults();

  /** Both nodes heartbeat (listing what they run) every 60 s until {@code seconds}; the watchdog checks each. */
  private void liveUntil(long from, long seconds, Map<String, Long> output) {
    for (long t = from + 60; t <= seconds; t += 60) {
      h.at(t);
      for (NodeRecord n : h.scheduler.nodes().all()) {
        h.scheduler.heartbeat(new Heartbeat(n.nodeId(), n.running().size(), List.copyOf(n.running()),
            SystemStats.EMPTY, output), h.now);
      }
      dog.check(h.scheduler, h.now, h.sink);
    }
  }

  @Test
  void aSilentTaskIsReassignedThenEscalatedThenFailedWithReasonStagnation() {
    h.join(node("a").cores(8).ram(16));
    h.join(node("b").cores(8).ram(16));
    h.submit(task("sleep 100000").id("stuck").spec());
    String first = h.task("stuck").nodeId();
    assertEquals(Priority.P2, h.task("stuck").priority());

    liveUntil(0, 600, Map.of());
    assertEquals(1, h.task("stuck").attempts().size(), "600 s is the P2 limit, not past it");
    liveUntil(600, 660, Map.of());
    assertEquals(1, h.task("stuck").stagnations());
    assertEquals("stagnant", h.task("stuck").attempts().get(0).outcome());
    assertEquals(TaskState.DISPATCHED, h.task("stuck").state(), "reassigned at once");
    String second = h.task("stuck").nodeId();
    assertNotEquals(first, second, "to another node");
    assertTrue(h.sink.eventTypes().contains("watchdog.reassigned"));
    assertTrue(h.sink.cancels.stream().anyMatch(c -> c.taskId().equals("stuck")), "the stuck process is stopped");

    liveUntil(660, 1320, Map.of());
    assertEquals(2, h.task("stuck").stagnations());
    assertEquals(Priority.P1, h.task("stuck").priority(), "escalated one priority");
    assertTrue(h.sink.eventTypes().contains("watchdog.escalated"));

    liveUntil(1320, 1680, Map.of());
    assertEquals(TaskState.FAILED, h.task("stuck").state());
    assertTrue(h.task("stuck").reason().startsWith("stagnation"), h.task("stuck").reason());
    assertTrue(h.sink.eventTypes().contains("watchdog.failed"));
    assertEquals(0, h.task("stuck").taskFailures(), "the retry budget is not charged");
  }

  @Test
  void outputIsProgress() {
    h.join(node("a").cores(8).ram(16));
    h.submit(task("make").id("busy").spec());
    for (long t = 60, bytes = 10; t <= 3000; t += 60, bytes += 10) {
      liveUntil(t - 60, t, Map.of("busy", bytes));
    }
    assertEquals(0, h.task("busy").stagnations());
    assertEquals(TaskState.DISPATCHED, h.task("busy").state());
  }

  @Test
  void p0IsWatchedMoreClosely() {
    h.join(node("a").cores(8).ram(16));
    h.join(node("b").cores(8).ram(16));
    h.submit(task("sleep 1000").id("urgent").priority("P0").spec());
    liveUntil(0, 360, Map.of());
    assertEquals(1, h.task("urgent").stagnations(), "P0 limit is 300 s");
    assertEquals(Duration.ofSeconds(300), dog.limit(h.task("urgent")));
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
