package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 with real processes: an event-bus agent and an HTTP agent register; a killed event-bus agent is
 * seen at once, a silent HTTP agent goes stale after the TTL, and a restarted manager gets both back
 * without anyone touching the agents.
 */
class NodeLifecycleIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=30", "--probe-sec=60"};

  @Test
  void killedEventBusAgentIsSeenWithinTwoSecondsAndSilentHttpAgentGoesStale() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      HeadyProcess eb = c.startAgent("eb", "--transport=eventbus");
      HeadyProcess ht = c.startAgent("ht", "--transport=http");
      c.awaitNode("eb", "active", Duration.ofSeconds(20));
      JsonObject http = c.awaitNode("ht", "active", Duration.ofSeconds(20));
      assertEquals("http", http.getString("transport"));
      assertTrue(http.getString("tunnel_url").startsWith("http://"), http.encode());

      long killed = System.nanoTime();
      eb.kill9();
      c.awaitNode("eb", "offline", Duration.ofSeconds(2));
      long seenMs = (System.nanoTime() - killed) / 1_000_000;
      assertTrue(seenMs <= 2000, "kill -9 seen after " + seenMs + " ms");

      ht.kill9();
      JsonObject stale = Poll.until("ht stale", Duration.ofSeconds(4 + 4), () -> {
        JsonObject n = c.node("ht");
        return n != null && n.getString("status").equals("stale") ? n : null;
      });
      assertEquals("stale", stale.getString("status"));
      assertTrue(c.node("local").getString("status").equals("active"), "the local executor is unaffected");
    }
  }

  @Test
  void restartedManagerGetsBothAgentsBackOnTheirOwn() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("eb2", "--transport=eventbus");
      c.startAgent("ht2", "--transport=http");
      c.awaitNode("eb2", "active", Duration.ofSeconds(20));
      c.awaitNode("ht2", "active", Duration.ofSeconds(20));
      String before = c.node("eb2").getString("registered_at");

      c.restartManager();
      assertEquals(null, c.node("eb2") == null ? null : "known", "a new memory-store manager starts empty");
      JsonObject eb = c.awaitNode("eb2", "active", Duration.ofSeconds(30));
      c.awaitNode("ht2", "active", Duration.ofSeconds(30));
      assertNotEquals(before, eb.getString("registered_at"));

      String id = c.submit(new JsonObject().put("command", "echo again").put("node", "eb2"));
      JsonObject t = c.awaitFinished(id, Duration.ofSeconds(20));
      assertEquals("succeeded", t.getString("status"), t::encodePrettily);
      assertEquals("eb2", t.getString("node_id"));
      String id2 = c.submit(new JsonObject().put("command", "echo again").put("node", "ht2"));
      JsonObject t2 = c.awaitFinished(id2, Duration.ofSeconds(20));
      assertEquals("succeeded", t2.getString("status"), t2::encodePrettily);
      assertEquals("again\n", t2.getJsonObject("result").getString("stdout"));
    }
  }

  @Test
  void nodeApiHealthReportsTheRealMachine() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      int port = HeadyProcess.freePort();
      c.startAgent("hw", "--transport=http", "--port=" + port);
      c.awaitNode("hw", "active", Duration.ofSeconds(20));
      Api node = new Api("http://127.0.0.1:" + port, null);
      io.heady.common.identity.Seal manager = c.asManager("hw");
      Api.Res r = node.sealed(manager, "hw", "GET", "/api/node/health", null);
      assertEquals(200, r.status(), r.raw());
      assertEquals(Integer.parseInt(HeadyProcess.nproc()), r.json().getInteger("cpu_cores"));
      double memGb = 0;
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memGb = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
        }
      }
      assertTrue(Math.abs(r.json().getDouble("ram_gb") - memGb) < 1.0, r.raw());
      assertEquals(401, new Api("http://127.0.0.1:" + port, c.adminToken).get("/api/node/health").status(),
          "the node API takes the manager's seal only");
      assertEquals(401, new Api("http://127.0.0.1:" + port, c.joinToken).get("/api/node/health").status(),
          "the join token opens nothing on a node");
      assertEquals(200, node.sealed(manager, "hw", "GET", "/api/node/system", null).status());
      assertEquals(200, node.sealed(manager, "hw", "GET", "/api/node/tasks", null).status());
    }
  }
}
