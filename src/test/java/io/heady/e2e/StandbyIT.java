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
import org.junit.jupiter.api.Test;

/** Two managers on one Redis and one cluster: one leads; kill it and the standby leads, finishing the work. */
class StandbyIT {
  @Test
  void theStandbyTakesOverWithinTenSecondsAndFinishesTheQueue() throws Exception {
    try (RedisServer redis = RedisServer.start(true, "always", null)) {
      int hzB = HeadyProcess.freePort();
      try (Cluster c = new Cluster()) {
        c.startManager("--store=" + redis.url(), "--cluster-members=127.0.0.1:" + hzB, "--heartbeat-sec=1",
            "--ttl-sec=8", "--offline-sec=60", "--offload-cpu-pct=101");
        int portB = HeadyProcess.freePort();
        try (HeadyProcess b = HeadyProcess.start("manager-b", Map.of(), "--role=manager", "--port=" + portB,
            "--host=127.0.0.1", "--data-dir=" + HeadyProcess.tempDir("manager-b-"), "--cluster-host=127.0.0.1",
            "--cluster-port=" + hzB, "--cluster-name=" + c.name, "--cluster-members=127.0.0.1:" + c.clusterPort,
            "--store=" + redis.url(), "--join-token=" + c.joinToken, "--admin-token=" + c.adminToken,
            "--heartbeat-sec=1", "--ttl-sec=8", "--offline-sec=60", "--offload-cpu-pct=101")) {
          Api standby = new Api("http://127.0.0.1:" + portB, c.adminToken);
          Api.Res st = Poll.until("standby answers", Duration.ofSeconds(40), () -> {
            if (!b.alive()) {
              throw new AssertionError("manager b exited:\n" + b.output());
            }
            Api.Res r = standby.get("/api/cluster/state");
            return r.status() == 503 ? r : null;
          });
          assertEquals("NOT_LEADER", st.json().getJsonObject("error").getString("code"));
          // the standby names the leader by the URL it can be reached at (kept with its lease), and by its id
          JsonObject named = Poll.until("the standby names the leader's URL", Duration.ofSeconds(20), () -> {
            Api.Res r = standby.get("/api/cluster/state");
            JsonObject e = r.status() == 503 ? r.json().getJsonObject("error") : null;
            return e != null && e.getJsonObject("details").getString("leader_url") != null ? e : null;
          });
          assertEquals(c.url(), named.getJsonObject("details").getString("leader_url"), named.encode());
          assertTrue(named.getString("message").contains(c.url()), named.encode());
          assertTrue(named.getJsonObject("details").getString("leader") != null, named.encode());

          c.startAgent("follower", "--max-concurrent=2", "--manager=" + c.url() + ",http://127.0.0.1:" + portB);
          c.awaitNode("follower", "active", Duration.ofSeconds(30));
          assertEquals(200, standby.get("/api/cluster/nodes").status(), "the standby serves reads from the store");

          JsonArray batch = new JsonArray();
          for (int i = 0; i < 40; i++) {
            batch.add(new JsonObject().put("command", "sleep 0.3").put("node", "follower"));
          }
          Api.Res r = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", batch));
          assertEquals(201, r.status(), r.raw());
          List<String> ids = new ArrayList<>();
          r.json().getJsonArray("tasks").forEach(o -> ids.add(((JsonObject) o).getString("task_id")));
          Poll.until("some done", Duration.ofSeconds(60), () -> ids.stream().filter(id ->
              "succeeded".equals(c.admin.get("/api/cluster/tasks/" + id).json().getString("status"))).count() >= 6);

          long killed = System.nanoTime();
          c.manager.kill9();
          Poll.until("standby leads", Duration.ofSeconds(10), () -> standby.get("/api/cluster/state").status() == 200);
          long tookMs = (System.nanoTime() - killed) / 1_000_000;
          assertTrue(tookMs <= 10_000, "took over after " + tookMs + " ms");

          Poll.until("all 40 succeeded on the new leader", Duration.ofSeconds(90), () -> ids.stream().allMatch(id ->
              "succeeded".equals(standby.get("/api/cluster/tasks/" + id).json().getString("status"))));
          for (String id : ids) {
            JsonObject t = standby.get("/api/cluster/tasks/" + id).json();
            long ok = t.getJsonArray("attempts").stream()
                .filter(a -> "succeeded".equals(((JsonObject) a).getString("outcome"))).count();
            assertEquals(1, ok, "one accepted result for " + id);
          }
        }
      }
    }
  }
}
