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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK against a scripted manager: requests, answers, errors, waiting. */
class HeadyClientTest {
  private FakeManager fake;
  private HeadyClient client;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeManager();
    client = HeadyClient.connect(fake.url(), FakeManager.TOKEN);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** GET task answers queued, then running, then the final record. */
  private void lifecycle(String id, JsonObject last) {
    AtomicInteger looks = new AtomicInteger();
    fake.on("GET /api/cluster/tasks/" + id, r -> {
      int n = looks.incrementAndGet();
      JsonObject t = n == 1 ? FakeManager.task(id, "queued", null, null, null)
          : n == 2 ? FakeManager.task(id, "running", null, null, null) : last;
      return FakeManager.Answer.json(200, t);
    });
  }

  @Test
  void runSubmitsTheCommandAndAwaitReturnsTheResult() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-1", "queued"));
    lifecycle("t-1", FakeManager.task("t-1", "succeeded", 0, "hi\n", ""));
    TaskHandle h = client.run("echo hi");
    assertEquals("t-1", h.id());
    assertEquals(TaskStatus.QUEUED, h.submission().orElseThrow().status());
    TaskResult r = h.await(Duration.ofSeconds(10));
    assertEquals(TaskStatus.SUCCEEDED, r.status());
    assertEquals(0, r.exitCode());
    assertEquals("hi\n", r.stdout());
    assertEquals("n1", r.nodeId());
    assertEquals(12, r.durationMs());
    FakeManager.Request submit = fake.requests("POST /api/cluster/tasks/route").get(0);
    assertEquals("Bearer " + FakeManager.TOKEN, submit.authorization());
    assertEquals(new JsonObject().put("command", "echo hi"), new JsonObject(submit.body()));
  }

  @Test
  void runOnPinsTheNode() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-2", "dispatched"));
    client.runOn("mac", "ffmpeg -version");
    JsonObject body = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body());
    assertEquals("mac", body.getString("node"));
    assertEquals("ffmpeg -version", body.getString("command"));
  }

  @Test
  void awaitGivesUpAfterItsLimit() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-3", "queued"));
    fake.onJson("GET /api/cluster/tasks/t-3", 200, FakeManager.task("t-3", "running", null, null, null));
    HeadyException e = assertThrows(HeadyException.class, () -> client.run("sleep 1000").await(Duration.ofMillis(200)));
    assertEquals(HeadyException.TIMEOUT, e.code());
    assertTrue(e.getMessage().contains("t-3"), e.getMessage());
  }

  @Test
  void aWrongTokenIsA401WithTheApiCode() {
    HeadyClient wrong = HeadyClient.connect(fake.url(), "not-the-token");
    HeadyException e = assertThrows(HeadyException.class, wrong::nodes);
    assertEquals(401, e.status());
    assertEquals("UNAUTHORIZED", e.code());
    assertTrue(e.unauthorized());
    assertEquals("the token is not valid for this cluster", e.getMessage());
  }

  @Test
  void apiErrorsKeepCodeMessageAndDetails() {
    fake.on("POST /api/cluster/tasks/route", r -> FakeManager.Answer.json(400, new JsonObject().put("error",
        new JsonObject().put("code", "INVALID_FIELD").put("message", "priority must be one of P0, P1, P2, P3")
            .put("details", new JsonObject().put("field", "priority")))));
    HeadyException e = assertThrows(HeadyException.class, () -> client.run("x"));
    assertEquals(400, e.status());
    assertEquals("INVALID_FIELD", e.code());
    assertEquals("priority", e.details().getString("field"));
  }

  @Test
  void aNonJsonAnswerIsABadResponse() {
    fake.on("GET /api/cluster/nodes", r -> new FakeManager.Answer(502, "text/html", "<html>Bad Gateway</html>"));
    HeadyException e = assertThrows(HeadyException.class, client::nodes);
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
  void submitDagSendsTheTasksAndHandsBackOneHandleEach() {
    fake.onJson("POST /api/cluster/tasks/route", 201, new JsonObject().put("dag_id", "dag-1").put("tasks",
        new JsonArray().add(FakeManager.submitted("fetch", "dispatched")).add(FakeManager.submitted("encode",
            "waiting"))));
    DagHandle d = client.submitDag(List.of(TaskRequest.command("curl -O x").id("fetch").build(),
        TaskRequest.command("ffmpeg x").id("encode").dependsOn("fetch").type("transcode").build()));
    assertEquals("dag-1", d.dagId());
    assertEquals(List.of("fetch", "encode"), d.tasks().stream().map(TaskHandle::id).toList());
    assertEquals(TaskStatus.WAITING, d.task("encode").submission().orElseThrow().status());
    JsonArray sent = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body()).getJsonArray("tasks");
    assertEquals(2, sent.size());
    assertEquals(new JsonArray().add("fetch"), sent.getJsonObject(1).getJsonArray("depends_on"));
  }

  @Test
  void workerStatusAndNodesAreTyped() {
    fake.onJson("GET /api/cluster/workers", 200, new JsonObject().put("online", 1).put("total_workers", 2)
        .put("total_active", 1).put("total_queued", 3).put("workers", new JsonObject()
            .put("mac", new JsonObject().put("node_id", "n-mac").put("online", true).put("status", "active")
                .put("tier", "POWERHOUSE").put("active", 1).put("max_concurrent", 2)
                .put("active_task_ids", new JsonArray().add("t-9")).put("labels", new JsonObject().put("k", "v"))
                .put("reliability_score", 97))
            .put("rpi", new JsonObject().put("node_id", "n-rpi").put("online", false).put("status", "offline"))));
    WorkerStatus w = client.workerStatus();
    assertEquals(1, w.online());
    assertEquals(2, w.totalWorkers());
    assertEquals(3, w.totalQueued());
    assertEquals(List.of("mac", "rpi"), List.copyOf(w.workers().keySet()));
    assertEquals(List.of("t-9"), w.workers().get("mac").activeTaskIds());
    assertEquals(97.0, w.workers().get("mac").reliability());
    assertFalse(w.workers().get("rpi").online());

    fake.onJson("GET /api/cluster/nodes", 200, new JsonObject().put("count", 1).put("nodes", new JsonArray().add(
        new JsonObject().put("node_id", "n-mac").put("name", "mac").put("tier", "POWERHOUSE").put("status", "active")
            .put("hardware", new JsonObject().put("cpu_cores", 12).put("ram_gb", 32.0))
            .put("capabilities", new JsonArray().add("ffmpeg")).put("max_concurrent", 2).put("running", 1))));
    NodeInfo n = client.nodes().get(0);
    assertEquals("n-mac", n.nodeId());
    assertEquals(12, n.cpuCores());
    assertEquals(List.of("ffmpeg"), n.capabilities());
    assertNull(n.cpuUsagePct());
  }

  @Test
  void idsArePathEncoded() {
    fake.onJson("GET /api/cluster/tasks/a%20b", 200, FakeManager.task("a b", "queued", null, null, null));
    assertEquals("a b", client.task("a b").taskId());
  }
}
