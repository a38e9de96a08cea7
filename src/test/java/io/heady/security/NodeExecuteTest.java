package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.ServerTls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/node/execute}: off unless enabled and the node knows the admin token; then the admin
 * token only, with the limits of dispatched work (slots, timeout, output caps).
 */
class NodeExecuteTest {
  static final String JOIN = "hj_join-token-for-the-test-0001";
  static final String ADMIN = "ha_admin-token-for-the-test-01";
  private final Http http = new Http();

  private static String marker() {
    return "/tmp/heady-sec-exec-" + UUID.randomUUID();
  }

  @Test
  void offByDefaultAndNothingRuns(@TempDir Path dir) throws Exception {
    String m = marker();
    String body = new JsonObject().put("command", "touch " + m).encode();
    try (InProcessNode n = new InProcessNode(dir, JOIN, null, false, 2, 4096, ServerTls.NONE)) {
      assertEquals(401, http.send("POST", n.url() + "/api/node/execute", JOIN, body).status(),
          "a join token opens nothing on a node");
      Http.Res r = http.send("POST", n.url() + "/api/node/execute", n.seal("POST", "/api/node/execute", body), body);
      assertEquals(403, r.status(), r.body());
      assertEquals("EXECUTE_DISABLED", new JsonObject(r.body()).getJsonObject("error").getString("code"));
      assertTrue(r.body().contains("--execute-enabled"), "the message says how to enable it");
      Http.Res admin = http.send("POST", n.url() + "/api/node/execute", ADMIN, body);
      assertEquals(401, admin.status(), "this node does not know the admin token");
      assertTrue(admin.body().contains("execute is off"), admin.body());
      assertEquals(401, http.send("POST", n.url() + "/api/node/execute", null, body).status());
    }
    try (InProcessNode n = new InProcessNode(dir, JOIN, ADMIN, false, 2, 4096, ServerTls.NONE)) {
      assertEquals(403, http.send("POST", n.url() + "/api/node/execute", ADMIN, body).status(),
          "knowing the admin token is not enough: --execute-enabled is off");
    }
    try (InProcessNode n = new InProcessNode(dir, JOIN, null, true, 2, 4096, ServerTls.NONE)) {
      assertEquals(403, http.send("POST", n.url() + "/api/node/execute", n.seal("POST", "/api/node/execute", body),
          body).status(), "enabled without an admin token stays refused");
      assertEquals(0, n.slots.running());
    }
    assertFalse(Files.exists(Path.of(m)), "no refused execute ran");
  }

  @Test
  void runsSynchronouslyWithTheAdminTokenOnly(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, JOIN, ADMIN, true, 2, 4096, ServerTls.NONE)) {
      String url = n.url() + "/api/node/execute";
      String m = marker();
      String body = new JsonObject().put("command", "touch " + m + "; echo out; echo err >&2; exit 4").encode();
      assertEquals(401, http.send("POST", url, JOIN, body).status(), "the join token may not execute");
      assertEquals(403, http.send("POST", url, n.seal("POST", "/api/node/execute", body), body).status(),
          "the manager may not execute either: execute is for people");
      assertEquals(401, http.send("POST", url, "ha_wrong-token-wrong-token-1", body).status());
      assertFalse(Files.exists(Path.of(m)));
      Http.Res r = http.send("POST", url, ADMIN, body);
      assertEquals(200, r.status(), r.body());
      JsonObject j = new JsonObject(r.body());
      assertEquals("failed", j.getString("status"));
      assertEquals(4, j.getInteger("exit_code"));
      assertEquals("out\n", j.getJsonObject("result").getString("stdout"));
      assertEquals("err\n", j.getJsonObject("result").getString("stderr"));
      assertTrue(j.getString("exec_id").startsWith("exec-"));
      assertTrue(Files.exists(Path.of(m)));
      Files.delete(Path.of(m));
      assertTrue(n.reported.isEmpty(), "an execute is not reported to the manager as a task");

      Http.Res argv = http.send("POST", url, ADMIN, new JsonObject().put("argv",
          new JsonArray().add("echo").add("a;b $(c) `d`")).encode());
      assertEquals("a;b $(c) `d`\n", new JsonObject(argv.body()).getJsonObject("result").getString("stdout"),
          "argv runs without a shell");
    }
  }

  @Test
  void hasTheLimitsOfDispatchedWork(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, JOIN, ADMIN, true, 1, 1024, ServerTls.NONE)) {
      String url = n.url() + "/api/node/execute";
      Http.Res slow = http.send("POST", url, ADMIN, new JsonObject().put("command", "sleep 30")
          .put("timeout_ms", 300).encode());
      JsonObject j = new JsonObject(slow.body());
      assertEquals("timed_out", j.getString("status"), slow.body());

      Http.Res big = http.send("POST", url, ADMIN, new JsonObject()
          .put("command", "head -c 200000 /dev/zero | tr '\\0' x")
          .encode());
      JsonObject b = new JsonObject(big.body());
      assertEquals("succeeded", b.getString("status"), big.body());
      assertTrue(b.getJsonObject("result").getString("stdout").length() <= 1024, "stdout is capped at the tail");
      assertTrue(b.getJsonObject("result").getBoolean("truncated"));

      Http.Res bad = http.send("POST", url, ADMIN, new JsonObject().put("command", "true")
          .put("env", new JsonObject().put("BAD-NAME", "x")).encode());
      assertEquals(400, bad.status());
      assertEquals("env", new JsonObject(bad.body()).getJsonObject("error").getJsonObject("details")
          .getString("field"));
      assertEquals(400, http.send("POST", url, ADMIN, "{\"timeout_ms\": 5}").status(), "nothing to run");
      assertEquals(400, http.send("POST", url, ADMIN, "not json").status());
    }
  }

  @Test
  void takesASlotAndIsRefusedWhenTheNodeIsFull(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, JOIN, ADMIN, true, 1, 1024, ServerTls.NONE)) {
      String busy = new JsonObject().put("task_id", "busy").put("lease_id", "l1").put("command", "sleep 30").encode();
      Http.Res d = http.send("POST", n.url() + "/api/node/task", n.seal("POST", "/api/node/task", busy), busy);
      assertEquals(202, d.status(), d.body());
      Http.Res r = http.send("POST", n.url() + "/api/node/execute", ADMIN, "{\"command\": \"true\"}");
      assertEquals(429, r.status(), r.body());
    }
  }

  @Test
  void badDispatchesAndLogReadsAreRefusedNotCrashed(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, JOIN, null, false, 1, 1024, ServerTls.NONE)) {
      String[] bodies = {"{", "[]", "{}", "{\"task_id\": \"a;b\", \"lease_id\": \"l\"}",
          "{\"task_id\": \"t\", \"lease_id\": \"l\", \"speed\": \"WARP\"}",
          "{\"task_id\": \"t\", \"lease_id\": \"l\", \"command\": \"echo \\u0000\"}",
          "{\"task_id\": \"t\", \"lease_id\": \"l\", \"timeout_ms\": 18446744073709551621}"};
      for (String b : bodies) {
        Http.Res r = http.send("POST", n.url() + "/api/node/task", n.seal("POST", "/api/node/task", b), b);
        assertEquals(400, r.status(), b + " → " + r.body());
      }
      assertEquals(0, n.slots.running());
      for (String q : new String[] {"?max=99999999999", "?max=-1", "?offset=x", "?max=2147483648"}) {
        Http.Res r = http.send("GET", n.url() + "/api/node/tasks/t/log" + q, n.seal("GET", "/api/node/tasks/t/log" + q,
            null), null);
        assertEquals(400, r.status(), q + " → " + r.body());
      }
      String traversal = "/api/node/tasks/..%2F..%2Fetc%2Fpasswd/log";
      assertEquals(404, http.send("GET", n.url() + traversal, n.seal("GET", traversal, null), null).status());
      int port = n.api.actualPort();
      for (String target : new String[] {"/api/node/tasks/a%zz/log", "/api/node/tasks/x/log?max=%zz", "/%zz",
          "/api/node/tasks/%00/cancel"}) {
        RawHttp.Res r = RawHttp.send("127.0.0.1", port, null, "GET", target, n.seal("GET", target, null), null,
            10_000);
        assertTrue(r.status() >= 400 && r.status() < 500, target + " → " + r.status());
        assertTrue(r.body().contains("\"error\""), target + " → " + r.body());
      }
    }
  }
}
