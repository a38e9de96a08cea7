package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.testing.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Issue 6 with real processes and a real redis-server: a manager restart and a Redis outage lose nothing. */
class DurabilityIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=6", "--offline-sec=60",
      "--offload-cpu-pct=101"};

  @Test
  void aKilledManagerRestartsFromRedisAndEveryTaskEndsOnce() throws Exception {
    try (RedisServer redis = RedisServer.start(true, "always", null)) {
      List<String> args = new ArrayList<>(List.of(FAST));
      args.add("--store=" + redis.url());
      try (Cluster c = new Cluster().startManager(args.toArray(String[]::new))) {
        c.startAgent("durable", "--max-concurrent=4");
        c.awaitNode("durable", "active", Duration.ofSeconds(30));
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 104; i++) {
          batch.add(new JsonObject().put("command", i < 4 ? "sleep 4" : "sleep 0.1").put("node", "durable")
              .put("priority", i < 4 ? "P0" : "P3"));
        }
        Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", batch));
        assertEquals(201, r.status(), r.raw());
        List<String> ids = new ArrayList<>();
        r.json().getJsonArray("tasks").forEach(o -> ids.add(((JsonObject) o).getString("task_id")));
        Poll.until("4 running", Duration.ofSeconds(20), () -> c.node("durable").getInteger("running") == 4);
        JsonObject q = c.admin.get("/api/cluster/state").json().getJsonObject("queue");
        assertEquals(100, q.getInteger("depth"), "100 wait while 4 run");

        c.restartManager();

        Poll.until("all 104 succeeded", Duration.ofSeconds(90), () -> ids.stream().allMatch(id ->
            "succeeded".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))));
        for (String id : ids) {
          JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
          long ok = t.getJsonArray("attempts").stream()
              .filter(a -> "succeeded".equals(((JsonObject) a).getString("outcome"))).count();
          assertEquals(1, ok, "one accepted result for " + id + ": " + t.getJsonArray("attempts"));
        }
        JsonObject m = c.admin.get("/api/cluster/state").json().getJsonObject("metrics");
        assertEquals(104L, m.getLong("completed"), m.encode());
        assertEquals(104L, m.getLong("submitted"), "counters survived the restart");
      }
    }
  }

  @Test
  void aTenSecondRedisOutageLosesNothingAcknowledged() throws Exception {
    try (RedisServer redis = RedisServer.start(true, "always", null)) {
      List<String> args = new ArrayList<>(List.of(FAST));
      args.add("--store=" + redis.url());
      try (Cluster c = new Cluster().startManager(args.toArray(String[]::new))) {
        c.startAgent("steady", "--max-concurrent=4");
        c.awaitNode("steady", "active", Duration.ofSeconds(30));
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        int n = 0;
        long outageAt = -1;
        boolean restarted = false;
        long start = System.nanoTime();
        boolean sawNotReady = false;
        while (true) {
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (ms > 2000 && outageAt < 0) {
            redis.stop(); // SIGKILL
            outageAt = ms;
          }
          if (outageAt >= 0 && !restarted && ms - outageAt > 10_000) {
            redis.restart();
            restarted = true;
          }
          if (restarted && ms - outageAt > 14_000) {
            break;
          }
          String id = "s" + (n++) + "-" + c.name;
          Api.Res r = c.admin.post("/api/cluster/tasks/route",
              new JsonObject().put("id", id).put("command", "echo " + n).put("node", "steady"));
          answers.put(id, r.status());
          if (r.status() == 503) {
            assertEquals("STORE_UNAVAILABLE", r.json().getJsonObject("error").getString("code"));
            assertTrue(r.raw().length() > 0);
          } else {
            assertTrue(r.status() == 201, "only 201 or 503, got " + r.status() + " " + r.raw());
          }
          if (outageAt >= 0 && !restarted && !sawNotReady) {
            sawNotReady = c.admin.get("/health/ready").status() == 503;
          }
        }
        assertTrue(sawNotReady, "/health/ready reported not ready during the outage");
        long acked = answers.values().stream().filter(s -> s == 201).count();
        long refused = answers.values().stream().filter(s -> s == 503).count();
        assertTrue(acked > 0 && refused > 0, "both kinds of answers: " + acked + " acked, " + refused + " refused");
        for (var e : answers.entrySet()) {
          if (e.getValue() == 201) {
            JsonObject t = c.awaitFinished(e.getKey(), Duration.ofSeconds(60));
            assertEquals("succeeded", t.getString("status"), t::encodePrettily);
          } else {
            Api.Res t = c.admin.get("/api/cluster/tasks/" + e.getKey());
            assertEquals(404, t.status(), "a refused submission left nothing behind: " + t.raw());
          }
        }
        assertEquals(200, c.admin.get("/health/ready").status());
      }
    }
  }
}
