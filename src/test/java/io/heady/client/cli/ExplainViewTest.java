package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.TaskInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code heady explain TASK} and the waiting lines of {@code heady tasks}, rendered from the API's documents. */
class ExplainViewTest {
  private static JsonObject failing(String id, String... checkAndReason) {
    JsonArray failed = new JsonArray();
    for (int i = 0; i < checkAndReason.length; i += 2) {
      failed.add(new JsonObject().put("check", checkAndReason[i]).put("reason", checkAndReason[i + 1]));
    }
    return new JsonObject().put("node_id", id).put("name", id).put("tier", "STANDARD").put("eligible", false)
        .put("failed", failed);
  }

  @Test
  void aQueuedTaskShowsEveryNodesFailingChecksAndNeverAPlacement() {
    JsonObject x = new JsonObject().put("task_id", "t-1").put("type", "general").put("priority", "P2")
        .put("status", "queued").put("placed", false)
        .put("summary", "not placed: no eligible node: 1 node (mac): needs 64 cores (has 8); 1 node (rpi4): draining")
        .put("requirements", new JsonObject().put("location", "physical").put("cores", 64).put("ram_gb", 0)
            .put("gpu", false).put("capabilities", new JsonArray()).put("labels", new JsonObject().put("site", "home"))
            .put("node", "rpi4"))
        .put("nodes", new JsonArray()
            .add(failing("mac", "pin", "task is pinned to rpi4", "cores", "needs 64 cores, node has 8"))
            .add(failing("rpi4", "drain", "node is draining", "cores", "needs 64 cores, node has 4")));
    String out = ExplainView.task(x);
    assertTrue(out.startsWith("task t-1 (general, P2): queued\nnot placed: no eligible node: "), out);
    assertTrue(out.contains("needs        physical, 64 cores, labels site=home, pinned to rpi4\n"), out);
    assertTrue(out.contains("no      pin: task is pinned to rpi4; cores: needs 64 cores, node has 8"), out);
    assertTrue(out.contains("no      drain: node is draining; cores: needs 64 cores, node has 4"), out);
    assertFalse(out.contains("placed on"), out);
  }

  @Test
  void aPlacedTaskShowsItsRecordedPlacement() {
    JsonObject x = new JsonObject().put("task_id", "t-2").put("type", "shell").put("priority", "P2")
        .put("status", "succeeded").put("placed", true)
        .put("summary", "ran on mac (attempt 1, dispatched 2026-01-01T00:00:00Z), succeeded")
        .put("requirements", new JsonObject().put("location", "physical").put("cores", 1))
        .put("explain", new JsonArray().add(new JsonObject().put("node_id", "mac").put("tier", "STANDARD")
            .put("eligible", true).put("chosen", true).put("score", 80.5)));
    String out = ExplainView.task(x);
    assertTrue(out.contains("ran on mac (attempt 1"), out);
    assertTrue(out.contains("placement when it was dispatched:\n"), out);
    assertTrue(out.contains("chosen  score 80.5"), out);
    assertFalse(out.contains("weighed now"), out);
  }

  @Test
  void theTaskListSaysWhyItsWaitingTasksWaitEachReasonOnce() {
    List<TaskInfo> tasks = List.of(
        info("t-1", "queued", "no eligible node: 3 nodes: draining"),
        info("t-2", "queued", "no eligible node: 3 nodes: draining"),
        info("t-3", "waiting", "waiting for dependencies: t-1"),
        info("t-4", "succeeded", null));
    assertEquals("why waiting: no eligible node: 3 nodes: draining  (2 tasks: t-1, t-2)\n"
        + "why waiting: waiting for dependencies: t-1  (t-3)\n", Render.waiting(tasks));
  }

  private static TaskInfo info(String id, String status, String why) {
    return TaskInfo.fromJson(new JsonObject().put("task_id", id).put("status", status).put("type", "shell")
        .put("priority", "P2").put("waiting_reason", why));
  }
}
