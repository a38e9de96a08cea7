package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK's parts that need no manager: how it reads answers (errors, a proxy's HTML page, typed records) and an
 * unreachable manager. What it does with a manager is tested against the real one (e2e {@code SdkIT}).
 */
class HeadyClientTest {
  @Test
  void apiErrorsKeepCodeMessageAndDetails() {
    HeadyException e = HeadyException.fromErrorBody(400, new JsonObject().put("error", new JsonObject()
        .put("code", "INVALID_FIELD").put("message", "priority must be one of P0, P1, P2, P3")
        .put("details", new JsonObject().put("field", "priority"))).encode());
    assertEquals(400, e.status());
    assertEquals("INVALID_FIELD", e.code());
    assertEquals("priority must be one of P0, P1, P2, P3", e.getMessage());
    assertEquals("priority", e.details().getString("field"));
  }

  @Test
  void aNonJsonAnswerIsABadResponse() {
    // what a proxy in front of the manager answers when the manager is down
    HeadyException e = HeadyException.fromErrorBody(502, "<html>Bad Gateway</html>");
    assertEquals(502, e.status());
    assertEquals(HeadyException.BAD_RESPONSE, e.code());
    assertTrue(e.getMessage().contains("502"), e.getMessage());
  }

  @Test
  void anUnreachableManagerIsAConnectionFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HeadyClient nobody = HeadyClient.connect("http://127.0.0.1:" + port, "x");
    HeadyException e = assertThrows(HeadyException.class, nobody::nodes);
    assertEquals(HeadyException.CONNECTION_FAILED, e.code());
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void workerStatusAndNodesAreTyped() {
    JsonObject workers = new JsonObject().put("online", true).put("total_workers", 2)
        .put("total_active", 1).put("total_queued", 3).put("workers", new JsonObject()
            .put("mac", new JsonObject().put("type", "mac-mini").put("active_jobs", 1).put("queued_jobs", 2)
                .put("total_jobs", 7).put("node_id", "n-mac").put("online", true).put("status", "active")
                .put("tier", "POWERHOUSE").put("active", 1).put("max_concurrent", 2)
                .put("active_task_ids", new JsonArray().add("t-9")).put("labels", new JsonObject().put("k", "v"))
                .put("reliability_score", 97))
            .put("rpi", new JsonObject().put("node_id", "n-rpi").put("online", false).put("status", "offline")));
    WorkerStatus w = WorkerStatus.fromJson(workers);
    assertTrue(w.online());
    assertEquals(1, w.onlineWorkers());
    assertEquals("mac-mini", w.workers().get("mac").type());
    assertEquals(1, w.workers().get("mac").activeJobs());
    assertEquals(2, w.workers().get("mac").queuedJobs());
    assertEquals(7, w.workers().get("mac").totalJobs());
    assertEquals(2, w.totalWorkers());
    assertEquals(3, w.totalQueued());
    assertEquals(List.of("mac", "rpi"), List.copyOf(w.workers().keySet()));
    assertEquals(List.of("t-9"), w.workers().get("mac").activeTaskIds());
    assertEquals(97.0, w.workers().get("mac").reliability());
    assertFalse(w.workers().get("rpi").online());

    JsonObject nodes = new JsonObject().put("count", 1).put("nodes", new JsonArray().add(
        new JsonObject().put("node_id", "n-mac").put("name", "mac").put("tier", "POWERHOUSE").put("status", "active")
            .put("hardware", new JsonObject().put("cpu_cores", 12).put("ram_gb", 32.0))
            .put("capabilities", new JsonArray().add("ffmpeg")).put("max_concurrent", 2).put("running", 1)));
    NodeInfo n = NodeInfo.listFromJson(nodes).get(0);
    assertEquals("n-mac", n.nodeId());
    assertEquals(12, n.cpuCores());
    assertEquals(List.of("ffmpeg"), n.capabilities());
    assertNull(n.cpuUsagePct());
  }
}
