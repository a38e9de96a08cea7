package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Issue 4 with real processes: hard slot limits, queueing, pinning, timeouts, cancel, fair share. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskExecutionIT {
  private Cluster c;
  private int agentPort;

  @BeforeAll
  void start() throws Exception {
    c = new Cluster().startManager("--heartbeat-sec=1", "--ttl-sec=5", "--offline-sec=30", "--kill-grace-sec=1",
        "--offload-cpu-pct=101");
    agentPort = HeadyProcess.freePort();
    c.startAgent("two", "--transport=http", "--max-concurrent=2", "--port=" + agentPort, "--kill-grace-sec=1");
    c.awaitNode("two", "active", Duration.ofSeconds(20));
  }

  @AfterAll
  void stop() throws Exception {
    c.close();
  }

  @Test
  void twentyConcurrentSubmissionsNeverExceedTwoRunningAndAllSucceed() throws Exception {
    List<String> ids = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<String> sync = java.util.Collections.synchronizedList(ids);
    for (int i = 0; i < 20; i++) {
      Thread t = new Thread(() -> sync.add(c.submit(new JsonObject().put("command", "sleep 1").put("node", "two"))));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(20, ids.size());
    Api node = new Api("http://127.0.0.1:" + agentPort, null);
    io.heady.common.identity.Seal manager = c.asManager("two");
    int maxSeen = 0;
    int queuedSeen = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      int running = node.sealed(manager, "two", "GET", "/api/node/tasks", null).json().getInteger("running");
      maxSeen = Math.max(maxSeen, running);
      JsonObject q = c.admin.get("/api/cluster/tasks?status=queued").json();
      queuedSeen = Math.max(queuedSeen, q.getInteger("count"));
      long done = ids.stream().filter(id -> "succeeded".equals(
          c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))).count();
      if (done == 20) {
        break;
      }
    }
    assertTrue(maxSeen <= 2, "at most 2 running on the node, saw " + maxSeen);
    assertEquals(2, maxSeen, "both slots were used");
    assertTrue(queuedSeen >= 10, "the rest waited as queued (saw " + queuedSeen + ")");
    for (String id : ids) {
      JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
      assertEquals("succeeded", t.getString("status"), t::encodePrettily);
      assertEquals("two", t.getString("node_id"));
    }
  }

  @Test
  void aTaskPinnedToAStoppedAgentWaitsAndRunsWhenItComesBack() throws Exception {
    int port = HeadyProcess.freePort();
    HeadyProcess p = c.startAgent("pinned", "--transport=http", "--port=" + port);
    c.awaitNode("pinned", "active", Duration.ofSeconds(20));
    p.close(); // SIGTERM: it deregisters
    c.awaitNode("pinned", "offline", Duration.ofSeconds(20));
    String id = c.submit(new JsonObject().put("command", "echo back").put("node", "pinned"));
    Poll.during("pinned task stays queued", Duration.ofSeconds(3), () ->
        "queued".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status")));
    c.startAgent("pinned", "--transport=http", "--port=" + port);
    JsonObject t = c.awaitFinished(id, Duration.ofSeconds(30));
    assertEquals("succeeded", t.getString("status"));
    assertEquals("pinned", t.getString("node_id"));
    assertEquals("back\n", t.getJsonObject("result").getString("stdout"));
  }

  @Test
  void aTimeoutKillsTheWholeTreeWithinThreeSeconds() {
    String id = c.submit(new JsonObject().put("command", "sleep 31 & sleep 32").put("timeout_ms", 1000)
        .put("node", "two"));
    long t0 = System.nanoTime();
    JsonObject t = c.awaitFinished(id, Duration.ofSeconds(10));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("timed_out", t.getString("status"), t::encodePrettily);
    assertTrue(ms < 3000, "timed out after " + ms + " ms");
    Poll.until("no sleep 31/32 left", Duration.ofSeconds(2), () ->
        HeadyProcess.processesWith("sleep 31").isEmpty() && HeadyProcess.processesWith("sleep 32").isEmpty());
  }

  @Test
  void cancellingARunningTaskStopsItWithinTwoSeconds() {
    String id = c.submit(new JsonObject().put("command", "sleep 33").put("node", "two"));
    Poll.until("sleep 33 running", Duration.ofSeconds(20), () -> !HeadyProcess.processesWith("sleep 33").isEmpty());
    long t0 = System.nanoTime();
    Api.Res r = c.admin.post("/api/cluster/tasks/" + id + "/cancel", "");
    assertEquals(200, r.status(), r.raw());
    JsonObject t = c.awaitFinished(id, Duration.ofSeconds(2));
    assertEquals("cancelled", t.getString("status"));
    Poll.until("sleep 33 gone", Duration.ofSeconds(2), () -> HeadyProcess.processesWith("sleep 33").isEmpty());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
  }

  @Test
  void theFullLogComesFromTheNode() {
    String id = c.submit(new JsonObject().put("command", "seq 1 20000").put("node", "two"));
    JsonObject t = c.awaitFinished(id, Duration.ofSeconds(20));
    assertEquals("succeeded", t.getString("status"));
    JsonObject log = c.admin.get("/api/cluster/tasks/" + id + "/log").json();
    assertEquals("node", log.getString("source"), log::encode);
    assertTrue(log.getString("data").startsWith("1\n2\n3\n"));
    assertTrue(log.getString("data").endsWith("19999\n20000\n"), "the whole output, not just the tail");
  }

  @Test
  void aStreamOfP0CannotStarveABurstOfP3() {
    JsonArray burst = new JsonArray();
    List<String> p3 = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      burst = new JsonArray();
      for (int i = 0; i < 200; i++) {
        burst.add(new JsonObject().put("type", "noop").put("priority", "P3").put("node", "two"));
      }
      Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", burst));
      assertEquals(201, r.status(), r.raw());
      r.json().getJsonArray("tasks").forEach(o -> p3.add(((JsonObject) o).getString("task_id")));
    }
    AtomicInteger p0 = new AtomicInteger();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int p3Left = p3.size();
    int maxQueuedP0 = 0;
    while (p3Left > 0 && System.nanoTime() < deadline) {
      JsonArray stream = new JsonArray();
      for (int i = 0; i < 100; i++) {
        stream.add(new JsonObject().put("type", "noop").put("priority", "P0").put("node", "two"));
      }
      assertEquals(201, c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", stream)).status());
      p0.addAndGet(100);
      JsonObject state = c.admin.get("/api/cluster/state").json();
      maxQueuedP0 = Math.max(maxQueuedP0, state.getJsonObject("queue").getJsonObject("by_priority").getInteger("P0"));
      p3Left = (int) p3.stream().filter(id -> !"succeeded".equals(
          c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))).count();
    }
    assertEquals(0, p3Left, "every P3 task finished while P0 kept arriving (" + p0.get() + " P0 submitted)");
    assertTrue(maxQueuedP0 > 0, "P0 work was waiting at the same time, so the queue was contended");
  }
}
