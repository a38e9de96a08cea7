package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A queued task's {@code waiting_reason} counts every node under the check that turns it away, grouped, as the
 * dispatch pass found it; it follows the cluster as it changes; the task, the list and the submission all say
 * it; a task waiting for dependencies keeps its own reason. {@code explain} of a task weighs its requirements
 * against every node and never says a task that is not on a node was placed.
 */
class WaitingReasonTest {
  private final Harness h = new Harness();

  private String reason(String id) {
    return h.scheduler.waitingReason(h.task(id), h.now);
  }

  @Test
  void aTaskPinnedToADrainingNodeSaysSoAndNamesThePinForTheOthers() {
    h.join(node("mac").cores(8).ram(16));
    h.join(node("pc").cores(8).ram(16));
    h.join(node("rpi4").cores(4).ram(8));
    h.scheduler.drain("rpi4", true, h.now);
    Scheduler.Submitted s = h.submit(task("echo").id("pinned").pin("rpi4").spec());
    assertEquals(TaskState.QUEUED, s.task().state());
    String want = "no eligible node: 2 nodes (mac, pc): task is pinned to rpi4; 1 node (rpi4): draining";
    assertEquals(want, reason("pinned"));
    assertEquals(want, ClusterViews.task(h.scheduler, "pinned", h.now).getString("waiting_reason"), "the API");
    assertEquals(want, ClusterViews.withReason(h.scheduler, h.task("pinned"), h.now).getString("waiting_reason"),
        "the list");
    assertEquals(want, ClusterViews.submitted(h.scheduler, List.of(s), false, h.now).getString("waiting_reason"),
        "the submission's answer");
    assertNull(h.task("pinned").unplaceable(), "rpi4 could take it once its drain ends");

    h.scheduler.drain("rpi4", false, h.now);
    assertEquals(TaskState.DISPATCHED, h.task("pinned").state());
    assertNull(reason("pinned"), "a task on a node waits for nothing");
  }

  @Test
  void theReasonFollowsTheClusterEvenWhenNoSlotIsFreeForAPass() {
    h.join(node("big").cores(64).ram(128));
    h.join(node("small").cores(8).ram(16));
    h.scheduler.drain("big", true, h.now);
    h.submit(task("make -j64").id("huge").requires(new JsonObject().put("cores", 64)).spec());
    assertEquals("no eligible node: 1 node (big): draining; 1 node (small): needs 64 cores (has 8)",
        reason("huge"));
    h.scheduler.drain("small", true, h.now); // no node has a free slot now: the pass has nothing to try
    assertEquals("no eligible node: 2 nodes (big, small): draining", reason("huge"),
        "each node counted under the first check it fails");
    h.scheduler.drain("big", false, h.now);
    assertEquals(TaskState.DISPATCHED, h.task("huge").state());
  }

  @Test
  void aTaskNoNodeCouldEverTakeKeepsItsLastingVerdict() {
    h.join(node("mac").cores(8).ram(16));
    h.join(node("pc").cores(16).ram(32));
    h.submit(task("make -j64").id("huge").requires(new JsonObject().put("cores", 64)).spec());
    assertEquals("no node in the cluster can take this task: 2 nodes (mac, pc): needs 64 cores (has at most 16)",
        reason("huge"));
  }

  @Test
  void aDependencyWaitKeepsItsOwnReason() {
    h.join(node("mac").cores(8).ram(16));
    h.scheduler.drain("mac", true, h.now);
    h.submitDag(task("echo a").id("a").spec(), task("echo b").id("b").dependsOn("a").spec());
    assertEquals(TaskState.WAITING, h.task("b").state());
    assertEquals("waiting for dependencies: a", reason("b"));
    assertEquals("no eligible node: 1 node (mac): draining", reason("a"));
  }

  @Test
  void explainOfAQueuedTaskWeighsItOnEveryNodeAndNeverSaysPlaced() {
    h.join(node("mac").cores(8).ram(16));
    h.join(node("rpi4").cores(4).ram(8));
    h.scheduler.drain("rpi4", true, h.now);
    h.submit(task("make -j64").id("huge").requires(new JsonObject().put("cores", 64)).spec());
    TaskRecord t = h.task("huge");
    JsonObject x = TaskExplanation.of(h.scheduler, t, h.now);
    assertFalse(x.getBoolean("placed"));
    assertFalse(x.encode().contains("placed on"), x.encodePrettily());
    assertTrue(x.getString("summary").startsWith("not placed: no node in the cluster can take this task: "),
        x.getString("summary"));
    assertEquals(64, x.getJsonObject("requirements").getInteger("cores"));
    JsonArray nodes = x.getJsonArray("nodes");
    assertEquals(2, nodes.size(), "every node");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      assertFalse(n.getBoolean("eligible"));
      assertTrue(n.getJsonArray("failed").stream().map(f -> ((JsonObject) f).getString("check")).toList()
          .contains("cores"), n.encode());
    }
    JsonObject rpi = nodes.getJsonObject(1);
    assertEquals(List.of("drain", "cores"), rpi.getJsonArray("failed").stream()
        .map(f -> ((JsonObject) f).getString("check")).toList(), "every failing check of the node");
  }

  @Test
  void explainOfAPlacedTaskSaysWhereFromTheRecordedPlacement() {
    h.join(node("mac").cores(8).ram(16));
    h.submit(task("echo").id("e").spec());
    JsonObject running = TaskExplanation.of(h.scheduler, h.task("e"), h.now);
    assertTrue(running.getBoolean("placed"));
    assertTrue(running.getString("summary").startsWith("placed on mac (attempt 1"), running.getString("summary"));
    assertNull(running.getJsonArray("nodes"), "no fresh placement");
    assertEquals(h.task("e").explain(), running.getJsonArray("explain"));
    h.delivered();
    h.succeed("e");
    JsonObject done = TaskExplanation.of(h.scheduler, h.task("e"), h.now);
    assertTrue(done.getString("summary").startsWith("ran on mac (attempt 1"), done.getString("summary"));
    assertTrue(done.getString("summary").endsWith(", succeeded"), done.getString("summary"));
  }

  @Test
  void explainOfATaskCancelledBeforeItWasPlacedSaysItNeverWas() {
    h.submit(task("echo").id("lonely").spec());
    h.scheduler.cancel("lonely", h.now);
    JsonObject x = TaskExplanation.of(h.scheduler, h.task("lonely"), h.now);
    assertFalse(x.getBoolean("placed"));
    assertEquals("never placed: cancelled before it reached a node", x.getString("summary"));
  }
}
