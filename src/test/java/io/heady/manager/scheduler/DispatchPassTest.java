package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.PlacementSettings;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.NodeBuilder;
import io.heady.manager.testing.SpecBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One dispatch pass by a clock moved by hand: queued tasks onto free slots in the queue's order, each with a
 * new attempt and its dispatch; a node a task should avoid is its last resort; a task no node could ever take
 * is told so, once, until the nodes change.
 */
class DispatchPassTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final NodeBook nodes = new NodeBook();
  private final DispatchPass pass = new DispatchPass(Policy.builtIn(), PlacementSettings.DEFAULTS,
      new SequentialIds(), nodes);
  private long seq;

  private TaskRecord queued(TaskSpec spec) {
    TaskRecord t = new TaskRecord(spec.id(), spec, ++seq, null, T0);
    t.start(TaskState.QUEUED, T0);
    pass.queue().add(t);
    return t;
  }

  private NodeRecord node(NodeBuilder b) {
    NodeRecord n = b.active(T0);
    nodes.put(n);
    return n;
  }

  @Test
  void aPassFillsFreeSlotsInQueueOrderAndDispatchesEach() {
    Object[][] table = { // the node's slots, tasks queued, tasks placed (a P2 task may fill 70% of them)
        {0, 3, 0}, {1, 3, 1}, {2, 3, 2}, {4, 3, 3}};
    for (Object[] row : table) {
      int slots = (int) row[0];
      NodeBook book = new NodeBook();
      if (slots > 0) {
        book.put(NodeBuilder.node("n" + slots).cores(8).ram(16).slots(slots).active(T0));
      }
      DispatchPass fresh = new DispatchPass(Policy.builtIn(), PlacementSettings.DEFAULTS, new SequentialIds(),
          book);
      for (int i = 0; i < (int) row[1]; i++) {
        TaskRecord t = new TaskRecord("t" + i, SpecBuilder.task("make").id("t" + i).spec(), i + 1, null, T0);
        t.start(TaskState.QUEUED, T0);
        fresh.queue().add(t);
      }
      List<DispatchPass.Placed> placed = fresh.run(T0.plusSeconds(5));
      assertEquals(row[2], placed.size(), slots + " slots");
      for (int i = 0; i < placed.size(); i++) {
        DispatchPass.Placed p = placed.get(i);
        assertEquals("t" + i, p.task().id(), "oldest first");
        assertEquals(TaskState.DISPATCHED, p.task().state());
        assertTrue(p.node().running().contains(p.task().id()), "the node holds it");
        Dispatch d = p.dispatch();
        assertEquals(p.task().currentAttempt().leaseId(), d.leaseId());
        assertEquals(1, d.attempt());
        assertEquals("make", d.command());
        assertEquals(T0.plusSeconds(5), p.task().currentAttempt().dispatchedAt(), "by the clock it was given");
      }
      assertEquals((int) row[1] - placed.size(), fresh.queue().size(), "the rest still queued");
      if (!placed.isEmpty()) {
        assertEquals(T0.plusSeconds(5), fresh.lastDispatch());
      }
    }
  }

  @Test
  void aNodeToAvoidIsTheLastResort() {
    node(NodeBuilder.node("big").cores(16).ram(32));
    node(NodeBuilder.node("small").cores(4).ram(8));
    TaskRecord t = queued(SpecBuilder.task("make").id("x").spec());
    pass.avoid("x", "big");
    assertEquals("small", pass.run(T0).get(0).node().nodeId(), "the better node lost it last time");
    pass.forget("x");
    assertTrue(pass.request(t).avoid().isEmpty());
  }

  @Test
  void aTaskNoNodeCouldEverTakeIsToldOnceUntilTheNodesChange() {
    node(NodeBuilder.node("a"));
    TaskRecord t = queued(SpecBuilder.task("make").id("x").pin("elsewhere").spec());
    assertTrue(pass.judge(t, T0), "a new verdict");
    assertTrue(t.unplaceable().contains("pinned to elsewhere"), t.unplaceable());
    assertFalse(pass.judge(t, T0), "the same verdict is no news");
    assertEquals(List.of(), pass.run(T0));
    node(NodeBuilder.node("elsewhere"));
    assertFalse(pass.judge(t, T0), "verdicts hold until the nodes change");
    pass.topologyChanged();
    assertTrue(pass.newTopology());
    assertFalse(pass.newTopology(), "once per change");
    assertTrue(pass.judge(t, T0.plusSeconds(1)));
    assertNull(t.unplaceable(), "now some node could");
    assertEquals("elsewhere", pass.run(T0.plusSeconds(1)).get(0).node().nodeId());
  }

  @Test
  void aPassTimesEachPlacementDecisionOncePlacedOrNot() {
    Object[][] table = { // the node's slots, tasks queued (the first pinned to a node that is not there),
        // decisions timed: the pinned task fails, the rest are placed until the free slots run out
        {0, 3, 0}, {1, 3, 2}, {4, 3, 3}, {4, 1, 1}};
    for (Object[] row : table) {
      NodeBook book = new NodeBook();
      if ((int) row[0] > 0) {
        book.put(NodeBuilder.node("n").cores(8).ram(16).slots((int) row[0]).active(T0));
      }
      java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong(1_000_000);
      List<Long> seen = new java.util.ArrayList<>();
      DispatchPass timed = new DispatchPass(Policy.builtIn(), PlacementSettings.DEFAULTS, new SequentialIds(), book,
          new io.heady.manager.placement.DecisionTimer(() -> ticks.addAndGet(700), seen::add));
      for (int i = 0; i < (int) row[1]; i++) {
        SpecBuilder b = SpecBuilder.task("make").id("t" + i);
        TaskRecord t = new TaskRecord("t" + i, (i == 0 ? b.pin("elsewhere") : b).spec(), i + 1, null, T0);
        t.start(TaskState.QUEUED, T0);
        timed.queue().add(t);
      }
      timed.run(T0);
      assertEquals(java.util.Collections.nCopies((int) row[2], 700L), seen, "slots " + row[0] + ", tasks " + row[1]);
    }
  }
}
