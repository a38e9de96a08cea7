package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node's prefetch, by a clock moved by hand: a full node takes quick tasks (noop, or estimated at a second or
 * less) beyond its slots up to its prefetch (slots x {@code --prefetch-per-slot}), never other tasks; the node
 * record and the registration's answer show it; the prefetched tasks stay {@code dispatched} under their own
 * lease until the node starts them; cancelling one stops it on the node; a lost node's prefetched tasks go back
 * to the queue with its running ones; 0 turns it off.
 */
class SchedulerPrefetchTest {
  private final Harness h = new Harness();

  private static SpecBuilder quick(String id) {
    return SpecBuilder.ofType("noop").noCommand().id(id);
  }

  @Test
  void aFullNodeTakesQuickTasksUpToItsPrefetchAndNoOthers() {
    NodeRecord a = h.join(node("a").cores(8).ram(16).slots(1));
    assertEquals(2, a.prefetch(), "1 slot x the default 2 per slot");
    for (int i = 0; i < 5; i++) {
      h.submit(quick("q" + i).spec());
    }
    h.submit(task("make").id("long").spec());
    assertEquals(List.of("q0", "q1", "q2"), h.sink.dispatchedTaskIds(), "one slot and two prefetched");
    for (String id : List.of("q0", "q1", "q2")) {
      assertEquals(TaskState.DISPATCHED, h.task(id).state(), "held by the node under a lease, not running yet");
      assertTrue(a.running().contains(id));
    }
    assertEquals(TaskState.QUEUED, h.task("q3").state(), "past the prefetch it waits in the manager's queue");
    assertEquals(TaskState.QUEUED, h.task("long").state(), "a task not known to be quick never waits on a node");
    assertEquals(1, a.inSlots());
    assertEquals(2, a.prefetched());
    JsonObject doc = a.toJson();
    assertEquals(1, doc.getInteger("running"));
    assertEquals(2, doc.getInteger("prefetched"));
    assertEquals(2, doc.getInteger("prefetch"));
    assertEquals(2, NodeRecord.fromJson(doc).prefetch(), "kept in the stored record");
    assertEquals(2, io.heady.manager.node.NodeReplies.registered(a, true, 5, 120).getInteger("prefetch"),
        "the node learns its prefetch from the registration's answer");
    String why = h.scheduler.waitingReason(h.task("q3"), h.now);
    assertTrue(why.contains("prefetch full"), why);
    String detail = h.scheduler.explain(h.task("q3")).explain().encode();
    assertTrue(detail.contains("1/1 running, 2/2 prefetched"), detail);

    h.scheduler.started("a", "q0", h.sink.dispatchOf("q0").leaseId(), h.now);
    assertEquals(TaskState.RUNNING, h.task("q0").state());
    h.succeed("q0");
    assertEquals(List.of("q0", "q1", "q2", "q3"), h.sink.dispatchedTaskIds(), "a freed place takes the next one");
    h.succeed("q1");
    assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), h.sink.dispatchedTaskIds(), "q4 came before long");
    h.succeed("q2");
    h.succeed("q3");
    assertEquals(5, h.sink.dispatchedTaskIds().size(), "long waits for the slot, q4 holds it");
    h.succeed("q4");
    assertEquals("long", h.sink.dispatchedTaskIds().get(5), "the other task goes once the node holds nothing else");
  }

  @Test
  void quickTasksDoNotSkipAheadOfAnOlderTaskWaitingForASlot() {
    h.join(node("a").cores(8).ram(16).slots(1));
    h.submit(task("make").id("first").spec());
    h.submit(task("make").id("second").spec());
    h.submit(quick("q0").spec());
    assertEquals(TaskState.QUEUED, h.task("q0").state(), "second waits for the slot: q0 may not fill the prefetch");
    h.succeed("first");
    assertEquals(TaskState.DISPATCHED, h.task("second").state(), "second takes the slot first");
  }

  @Test
  void aTaskEstimatedAtASecondOrLessIsQuickLongerIsNot() {
    h.join(node("a").cores(8).ram(16).slots(1));
    h.submit(task("make").id("first").spec());
    h.submit(task("true").id("short").estimate(800).spec());
    h.submit(task("sleep 5").id("longer").estimate(5000).spec());
    assertEquals(TaskState.DISPATCHED, h.task("short").state());
    assertEquals(TaskState.QUEUED, h.task("longer").state());
  }

  @Test
  void cancellingAPrefetchedTaskStopsItOnTheNode() {
    h.join(node("a").cores(8).ram(16).slots(1));
    h.submit(quick("q0").spec());
    h.submit(quick("q1").spec());
    String lease = h.sink.dispatchOf("q1").leaseId();
    h.scheduler.cancel("q1", h.now);
    assertEquals(TaskState.CANCELLED, h.task("q1").state());
    assertEquals(1, h.sink.cancels.size());
    assertEquals("q1", h.sink.cancels.get(0).taskId());
    assertEquals(lease, h.sink.cancels.get(0).leaseId());
    assertEquals(List.of("q0"), List.copyOf(h.node("a").running()));
  }

  @Test
  void aLostNodesPrefetchedTasksGoBackToTheQueueAndRunElsewhere() {
    h.join(node("a").member("m1").cores(8).ram(16).slots(1));
    for (int i = 0; i < 3; i++) {
      h.submit(quick("q" + i).spec());
    }
    h.delivered();
    h.scheduler.started("a", "q0", h.sink.dispatchOf("q0").leaseId(), h.now);
    h.scheduler.memberLost("m1", h.now);
    for (int i = 0; i < 3; i++) {
      assertEquals(TaskState.QUEUED, h.task("q" + i).state(), "q" + i + " requeued like the running one");
      assertNull(h.task("q" + i).currentAttempt() == null ? null : h.task("q" + i).currentAttempt().live()
          ? "live" : null, "its attempt on the lost node has ended");
    }
    assertEquals(0, h.node("a").running().size());
    h.join(node("b").cores(8).ram(16).slots(1));
    for (int i = 0; i < 3; i++) {
      assertEquals(TaskState.DISPATCHED, h.task("q" + i).state());
      assertEquals("b", h.task("q" + i).currentAttempt().nodeId());
    }
  }

  @Test
  void prefetchZeroKeepsANodeToItsSlots() {
    Harness off = new Harness(new SchedulerSettings(SchedulerSettings.defaults().heartbeat(),
        SchedulerSettings.defaults().ttl(), SchedulerSettings.defaults().offline(),
        SchedulerSettings.MAX_INFRA_REQUEUES, SchedulerSettings.defaults().retryBase(),
        SchedulerSettings.defaults().retryMax(), SchedulerSettings.FINISHED_IN_MEMORY,
        SchedulerSettings.defaults().placement().withPrefetchPerSlot(0), SchedulerSettings.defaults().liveness()),
        Policy.builtIn());
    NodeRecord a = off.join(node("a").cores(8).ram(16).slots(1));
    assertEquals(0, a.prefetch());
    off.submit(quick("q0").spec());
    off.submit(quick("q1").spec());
    assertEquals(List.of("q0"), off.sink.dispatchedTaskIds());
  }

  @Test
  void theManagersOwnExecutorHasNoPrefetch() {
    NodeRecord cloud = h.joinCloud(node("local").cores(8).ram(16).slots(2));
    assertEquals(0, cloud.prefetch());
  }
}
