package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.heady.common.identity.Seal;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 with real processes: new nodes wait for approval; a revoked node is refused at its next call; an
 * enrolled node cannot speak for another node's task; and what the manager sends a node carries no secret.
 */
class TrustIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=30", "--probe-sec=2",
      "--offload-cpu-pct=101", "--local-executor=false"};

  private static HeadyProcess cli(Cluster c, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url=" + c.url();
    all[args.length + 1] = "--token=" + c.adminToken;
    HeadyProcess p = HeadyProcess.start("cli-" + args[0] + "-" + args[1], Map.of(), all);
    assertEquals(0, p.waitFor(60), p.output());
    return p;
  }

  @Test
  void aNewNodeWaitsForApprovalThenRunsAndARevokedNodeIsRefused() throws Exception {
    String[] flags = java.util.Arrays.copyOf(FAST, FAST.length + 1);
    flags[FAST.length] = "--approve-nodes";
    try (Cluster c = new Cluster().startManager(flags)) {
      HeadyProcess agent = c.startAgent("waiter", "--transport=http");
      JsonObject pending = Poll.until("waiter pending approval", Duration.ofSeconds(60), () -> {
        JsonObject n = c.node("waiter");
        return n != null && "pending_approval".equals(n.getString("status")) ? n : null;
      });
      assertTrue(pending.getString("fingerprint").matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), pending.encode());
      String task = c.submit(new JsonObject().put("command", "echo approved").put("node", "waiter"));
      Poll.during("nothing runs on a node waiting for approval", Duration.ofSeconds(4), () -> "queued".equals(
          c.admin.get("/api/cluster/tasks/" + task).json().getString("status")));
      assertTrue(agent.output().contains("heady nodes approve waiter"), "the agent says what to do:\n"
          + agent.output());

      HeadyProcess approve = cli(c, "nodes", "approve", "waiter");
      assertTrue(approve.output().contains("approved"), approve.output());
      JsonObject done = c.awaitFinished(task, Duration.ofSeconds(90));
      assertEquals("succeeded", done.getString("status"), done.encodePrettily());
      assertEquals("approved\n", done.getJsonObject("result").getString("stdout"));

      Seal waiter = c.asNode("waiter");
      cli(c, "nodes", "revoke", "waiter");
      assertNull(c.node("waiter"), "a revoked node is gone from the cluster");
      String hb = new JsonObject().put("node_id", "waiter").encode();
      assertEquals(401, new Api(c.url(), null).sealed(waiter, Seal.MANAGER, "POST", "/api/cluster/nodes/heartbeat",
          hb).status(), "its next heartbeat is refused");
      Poll.during("it does not come back", Duration.ofSeconds(5), () -> c.node("waiter") == null);
      assertTrue(agent.alive(), "the agent is not crashed by it, only refused");
    }
  }

  @Test
  void anEnrolledNodeCannotSpeakForAnotherNodesTask() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("honest-b", "--transport=http");
      c.startAgent("other-a", "--transport=http");
      c.awaitNode("honest-b", "active", Duration.ofSeconds(60));
      c.awaitNode("other-a", "active", Duration.ofSeconds(60));
      String id = c.submit(new JsonObject().put("command", "sleep 3; echo real").put("node", "honest-b"));
      JsonObject running = Poll.until("running on honest-b", Duration.ofSeconds(30), () -> {
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        return "running".equals(t.getString("status")) ? t : null;
      });
      String lease = running.getString("lease_id");
      Api api = new Api(c.url(), null);
      Seal a = c.asNode("other-a");
      JsonObject asB = new JsonObject().put("task_id", id).put("node_id", "honest-b").put("lease_id", lease)
          .put("status", "failed").put("exit_code", 3).put("duration_ms", 1);
      assertEquals(403, api.sealed(a, Seal.MANAGER, "POST", "/api/cluster/tasks/complete", asB.encode()).status(),
          "node a may not report for node b");
      JsonObject asA = asB.copy().put("node_id", "other-a");
      assertEquals(409, api.sealed(a, Seal.MANAGER, "POST", "/api/cluster/tasks/complete", asA.encode()).status(),
          "b's lease is not a's");
      JsonObject hb = new JsonObject().put("node_id", "honest-b");
      assertEquals(403, api.sealed(a, Seal.MANAGER, "POST", "/api/cluster/nodes/heartbeat", hb.encode()).status());
      JsonObject done = c.awaitFinished(id, Duration.ofSeconds(60));
      assertEquals("succeeded", done.getString("status"), done.encodePrettily());
      assertEquals("real\n", done.getJsonObject("result").getString("stdout"), "the real result is recorded");
      assertTrue(done.getJsonArray("attempts").getJsonObject(0).getValue("late_result") == null,
          "the forgeries are counted nowhere, not even as late results");
      assertEquals(0L, c.node("other-a").getLong("tasks_failed"));
      assertEquals(1L, c.node("honest-b").getLong("tasks_completed"));
    }
  }

  @Test
  void whatTheManagerSendsANodeCarriesNoSecret() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext("/", ex -> {
      seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + new java.util.TreeMap<>(ex.getRequestHeaders()));
      byte[] body = ex.getRequestURI().getPath().endsWith("/health")
          ? new JsonObject().put("running_task_ids", new io.vertx.core.json.JsonArray()).encode()
              .getBytes(StandardCharsets.UTF_8)
          : "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/task") ? 202 : 200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    fake.start();
    try (Cluster c = new Cluster().startManager(FAST)) {
      // A node of the test's own: it enrolls for real, then names the fake server as its API.
      Seal probe = c.enroll("listener");
      Api api = new Api(c.url(), null);
      JsonObject reg = new JsonObject().put("node_id", "listener").put("transport", "http")
          .put("tunnel_url", "http://127.0.0.1:" + fake.getAddress().getPort())
          .put("hardware", new JsonObject().put("cpu_cores", 4).put("ram_gb", 8));
      assertEquals(201, api.sealed(probe, Seal.MANAGER, "POST", "/api/cluster/nodes/register", reg.encode())
          .status());
      assertEquals(200, api.sealed(probe, Seal.MANAGER, "POST", "/api/cluster/nodes/heartbeat",
          new JsonObject().put("node_id", "listener").encode()).status());
      String id = c.submit(new JsonObject().put("command", "echo secret-env").put("node", "listener"));
      Poll.until("a dispatch and a probe reached the node", Duration.ofSeconds(30),
          () -> seen.stream().anyMatch(s -> s.startsWith("POST /api/node/task"))
              && seen.stream().anyMatch(s -> s.startsWith("GET /api/node/health")));
      c.admin.post("/api/cluster/tasks/" + id + "/cancel", "{}");
      for (String s : seen) {
        assertFalse(s.contains(c.joinToken), "the join token went to a node: " + s);
        assertFalse(s.contains(c.adminToken), "the admin token went to a node: " + s);
        assertTrue(s.contains("Heady f=manager"), "every request carries the manager's seal only: " + s);
        assertFalse(s.contains("Bearer"), s);
      }
    } finally {
      fake.stop(0);
    }
  }
}
