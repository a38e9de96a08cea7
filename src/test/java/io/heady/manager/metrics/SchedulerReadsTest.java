package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.Policy;
import io.heady.manager.scheduler.IdSource;
import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSettings;
import io.heady.manager.scheduler.SchedulerSink;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.testing.NodeBuilder;
import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the metrics read from a real scheduler: the cluster snapshot and a task's timings. */
class SchedulerReadsTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final Map<String, Dispatch> dispatched = new HashMap<>();
  private Scheduler scheduler;

  @BeforeEach
  void setUp() {
    SchedulerSink sink = new SchedulerSink() {
      @Override
      public void dispatch(NodeRecord node, Dispatch d) {
        dispatched.put(d.taskId(), d);
      }

      @Override
      public void cancel(NodeRecord node, String taskId, String leaseId) {}

      @Override
      public void probe(NodeRecord node) {}

      @Override
      public void event(String type, JsonObject data) {}

      @Override
      public void taskChanged(TaskRecord task) {}

      @Override
      public void nodeChanged(NodeRecord node) {}

      @Override
      public void nodeRemoved(String nodeId) {}
    };
    scheduler = new Scheduler(SchedulerSettings.defaults(), Policy.builtIn(), sink, new IdSource());
  }

  private void join(NodeBuilder b, Instant now) {
    var r = b.build();
    scheduler.register(r, false, now);
    scheduler.heartbeat(new Heartbeat(r.nodeId(), 0, List.of(), SystemStats.EMPTY), now);
  }

  @Test
  void theSnapshotCountsNodesQueueAndSlots() {
    join(NodeBuilder.node("big").cores(16).ram(64), T0);
    join(NodeBuilder.node("small").cores(2).ram(2), T0);
    int slots = scheduler.nodes().get("big").maxConcurrent() + scheduler.nodes().get("small").maxConcurrent();
    for (int i = 0; i < slots + 3; i++) {
      scheduler.submit(List.of(SpecBuilder.task("sleep 60").priority(i % 2 == 0 ? "P1" : "P3").spec()), false, T0);
    }
    ClusterSnapshot s = ClusterSnapshot.of(scheduler);
    assertEquals(1, s.nodes().get(ClusterSnapshot.key("active", "POWERHOUSE")));
    assertEquals(1, s.nodes().get(ClusterSnapshot.key("active", "LIGHT")));
    assertEquals(slots, s.slotsTotal());
    int queued = s.queue().values().stream().mapToInt(Integer::intValue).sum();
    // the speed controller keeps headroom for urgent work, so not every slot is filled
    assertTrue(s.slotsUsed() > 0 && s.slotsUsed() <= slots, "used " + s.slotsUsed());
    assertTrue(queued >= 3, "queued " + queued);
    assertEquals(slots + 3, s.slotsUsed() + queued, "every task is either on a node or queued");
    assertEquals(0, s.queue().get(Priority.P0));
    assertEquals(100, s.reliability().get("big"));
    assertEquals(slots + 3, s.counters().getLong("submitted"));
  }

  @Test
  void timingsFollowTheLatestAttempt() {
    join(NodeBuilder.node("n1").cores(8).ram(16), T0);
    scheduler.submit(List.of(SpecBuilder.task("echo hi").id("t1").spec()), false, T0);
    Dispatch d = dispatched.get("t1");
    TaskTimings queued = TaskTimings.of(scheduler.tasks().get("t1"));
    assertEquals(Duration.ZERO, queued.queueWait());
    assertNull(queued.dispatchLatency());

    scheduler.started("t1", d.leaseId(), T0.plusMillis(40));
    assertEquals(Duration.ofMillis(40), TaskTimings.of(scheduler.tasks().get("t1")).dispatchLatency());

    scheduler.complete(new Completion("t1", "n1", d.leaseId(), "succeeded", 0, 1234, "hi\n", "", false, null),
        T0.plusSeconds(2));
    TaskTimings done = TaskTimings.of(scheduler.tasks().get("t1"));
    assertEquals(Duration.ofMillis(1234), done.runTime(), "the node's measure");
    assertEquals(T0.plusSeconds(2), done.endedAt());
  }

  @Test
  void aTaskNoLongerHeldHasNoTimings() {
    assertSame(TaskTimings.NONE, TaskTimings.of(null));
    assertNull(TaskTimings.NONE.runTime());
    assertTrue(TaskTimings.NONE.queueWait() == null && TaskTimings.NONE.dispatchLatency() == null);
  }
}
