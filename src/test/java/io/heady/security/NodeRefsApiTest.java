package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.Seal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API place that names a node takes an id or a name by one rule (an id wins, else a unique name, a shared
 * name is 409 listing the ids), against the real router; and the task list's time and node filters answer 400
 * naming the parameter when they are wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeRefsApiTest {
  @TempDir
  static Path dir;
  private InProcessManager m;
  private final Http http = new Http();

  @BeforeAll
  void start() throws Exception {
    m = new InProcessManager(dir);
    register("n-mac", "mac-mini");
    register("rpi4", "garage");
    register("twin-a", "twin");
    register("twin-b", "twin");
  }

  @AfterAll
  void stop() throws Exception {
    m.close();
  }

  private void register(String id, String name) throws Exception {
    Http.Res r = tryRegister(id, name);
    assertTrue(r.status() == 200 || r.status() == 201, r.body());
  }

  private Http.Res tryRegister(String id, String name) throws Exception {
    Seal seal = m.enrollNode(id);
    String body = new JsonObject().put("node_id", id).put("name", name)
        .put("hardware", new JsonObject().put("cpu_cores", 4).put("ram_gb", 8)).encode();
    return http.send("POST", m.url() + "/api/cluster/nodes/register",
        InProcessManager.sealed(seal, "POST", "/api/cluster/nodes/register", body), body);
  }

  /** An id never takes over a name, nor a name an id: such a node is refused, naming the other node. */
  @Test
  void aNodeNamedLikeAnotherNodesIdOrTheReverseIsRefused() throws Exception {
    Http.Res named = tryRegister("n-imp", "rpi4");
    assertEquals(409, named.status(), named.body());
    assertEquals("ID_TAKEN", error(named).getString("code"));
    Http.Res ided = tryRegister("garage", "impostor");
    assertEquals(409, ided.status(), ided.body());
    assertTrue(error(ided).getString("message").contains("rpi4"), ided.body());
    assertEquals(404, get("/api/cluster/nodes/n-imp").status());
    assertEquals("rpi4", new JsonObject(get("/api/cluster/nodes/garage").body()).getString("node_id"));
  }

  private Http.Res get(String path) {
    return http.send("GET", m.url() + path, m.tokens.admin(), null);
  }

  private Http.Res post(String path, String body) {
    return http.send("POST", m.url() + path, m.tokens.admin(), body);
  }

  private static JsonObject error(Http.Res r) {
    return new JsonObject(r.body()).getJsonObject("error");
  }

  @Test
  void aNodeIsReadByItsIdOrItsUniqueNameAndAnIdWins() {
    assertEquals("n-mac", new JsonObject(get("/api/cluster/nodes/mac-mini").body()).getString("node_id"));
    assertEquals("n-mac", new JsonObject(get("/api/cluster/nodes/n-mac").body()).getString("node_id"));
    assertEquals("rpi4", new JsonObject(get("/api/cluster/nodes/rpi4").body()).getString("node_id"), "the id wins");
    assertEquals("rpi4", new JsonObject(get("/api/cluster/nodes/garage").body()).getString("node_id"));
    Http.Res none = get("/api/cluster/nodes/nobody");
    assertEquals(404, none.status(), none.body());
    assertEquals("UNKNOWN_NODE", error(none).getString("code"));
  }

  @Test
  void aSharedNameIs409ListingTheIdsWhereverANodeIsNamed() {
    String[][] calls = {{"GET", "/api/cluster/nodes/twin"}, {"POST", "/api/cluster/nodes/twin/drain"},
        {"POST", "/api/cluster/nodes/twin/reinstate"}, {"DELETE", "/api/cluster/nodes/twin"},
        {"POST", "/api/cluster/nodes/twin/revoke"}, {"GET", "/api/cluster/tasks?node=twin"}};
    for (String[] c : calls) {
      Http.Res r = http.send(c[0], m.url() + c[1], m.tokens.admin(), c[0].equals("POST") ? "{}" : null);
      assertEquals(409, r.status(), c[0] + " " + c[1] + " → " + r.body());
      JsonObject e = error(r);
      assertEquals("AMBIGUOUS_NODE", e.getString("code"), r.body());
      assertEquals(new JsonArray().add("twin-a").add("twin-b"), e.getJsonObject("details").getJsonArray("node_ids"));
      assertTrue(e.getString("message").contains("twin-a, twin-b"), e.getString("message"));
    }
    assertEquals(200, get("/api/cluster/nodes/twin-b").status(), "each is still named by its id");
  }

  @Test
  void aTaskPinnedToASharedNameWaitsSayingWhichIdsShareIt() {
    Http.Res r = post("/api/cluster/tasks/route", "{\"command\": \"true\", \"node\": \"twin\"}");
    assertEquals(201, r.status(), r.body());
    String id = new JsonObject(r.body()).getString("task_id");
    JsonObject t = io.heady.e2e.Poll.until("the task's reason", java.time.Duration.ofSeconds(20), () -> {
      JsonObject j = new JsonObject(get("/api/cluster/tasks/" + id).body());
      return j.getBoolean("unplaceable", false) ? j : null;
    });
    assertEquals("queued", t.getString("status"));
    assertEquals("no node in the cluster can take this task: it is pinned to 'twin', but the name 'twin' is shared"
        + " by 2 nodes (twin-a, twin-b); name one by its id", t.getString("waiting_reason"));
    assertEquals(200, post("/api/cluster/tasks/" + id + "/cancel", "{}").status());
  }

  @Test
  void aNodeIsDrainedByName() {
    Http.Res on = post("/api/cluster/nodes/garage/drain", "{\"enabled\": true}");
    assertEquals(200, on.status(), on.body());
    assertEquals("rpi4", new JsonObject(on.body()).getString("node_id"));
    assertTrue(new JsonObject(get("/api/cluster/nodes/rpi4").body()).getBoolean("drain"));
    Http.Res off = post("/api/cluster/nodes/garage/drain", "{\"enabled\": false}");
    assertEquals(200, off.status(), off.body());
    assertFalse(new JsonObject(get("/api/cluster/nodes/rpi4").body()).getBoolean("drain"));
    assertEquals(404, post("/api/cluster/nodes/nobody/drain", "{}").status());
  }

  @Test
  void theTaskListTakesANodeByNameAndATimeWindow() {
    Http.Res byName = get("/api/cluster/tasks?node=mac-mini&since=1h&order=newest");
    assertEquals(200, byName.status(), byName.body());
    JsonObject page = new JsonObject(byName.body());
    assertEquals("newest", page.getString("order"));
    Instant since = Instant.parse(page.getString("since"));
    assertTrue(since.isBefore(Instant.now().minusSeconds(3500)) && since.isAfter(Instant.now().minusSeconds(3700)),
        "1h back from now: " + since);
    assertEquals(200, get("/api/cluster/tasks?node=a-node-long-gone").status(), "tasks of a node no longer known");
    String[][] bad = {{"/api/cluster/tasks?since=yesterday", "since"}, {"/api/cluster/tasks?until=5x", "until"},
        {"/api/cluster/tasks?since=30m&until=1h", "until"}, {"/api/cluster/tasks?node=" + "n".repeat(129), "node"},
        {"/api/cluster/tasks?since=2026-12-07T10:00:00", "since"}};
    for (String[] c : bad) {
      Http.Res r = get(c[0]);
      assertEquals(400, r.status(), c[0] + " → " + r.body());
      assertEquals(c[1], error(r).getJsonObject("details").getString("field"), r.body());
      assertTrue(error(r).getString("message").startsWith(c[1] + " must"), r.body());
    }
  }
}
