package io.heady.security;

import io.heady.common.identity.Seal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.tls.ServerTls;
import io.heady.manager.api.ApiSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the real API: every refusal is a 4xx in the one error shape, naming the field. Nothing
 * here is a 500. The manager runs in this JVM with a small body limit, DAG limit and rate limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiInputValidationTest {
  @TempDir
  static Path dir;
  private InProcessManager m;
  private final Http http = new Http();

  @BeforeAll
  void start() throws Exception {
    m = new InProcessManager(dir, new ApiSettings("127.0.0.1", 0, 16 * 1024, true, "", ServerTls.NONE, 1000, 1000, 50));
  }

  @AfterAll
  void stop() throws Exception {
    m.close();
  }

  private Http.Res submit(String body) {
    return http.send("POST", m.url() + "/api/cluster/tasks/route", m.tokens.admin(), body);
  }

  private static JsonObject error(Http.Res r) {
    JsonObject e = new JsonObject(r.body()).getJsonObject("error");
    assertNotNull(e, r.body());
    assertNotNull(e.getString("code"));
    assertNotNull(e.getString("message"));
    assertNotNull(e.getJsonObject("details"));
    return e;
  }

  /** Body, expected status, expected error code, expected field (null: not checked). */
  static List<Object[]> badSubmissions() {
    String big = "9".repeat(30);
    return List.of(
        new Object[] {"", 400, "BAD_JSON", null},
        new Object[] {"{", 400, "BAD_JSON", null},
        new Object[] {"{\"command\": \"true\"", 400, "BAD_JSON", null},
        new Object[] {"[1,2]", 400, "BAD_JSON", null},
        new Object[] {"\"just a string\"", 400, "BAD_JSON", null},
        new Object[] {"null", 400, "BAD_JSON", null},
        new Object[] {"{}", 400, "INVALID_FIELD", "type"},
        new Object[] {"{\"type\": 7}", 400, "INVALID_FIELD", "type"},
        new Object[] {"{\"type\": \"sh ell\"}", 400, "INVALID_FIELD", "type"},
        new Object[] {"{\"command\": 12}", 400, "INVALID_FIELD", "command"},
        new Object[] {"{\"command\": \"true\", \"priority\": \"P9\"}", 400, "INVALID_FIELD", "priority"},
        new Object[] {"{\"command\": \"true\", \"priority\": 1}", 400, "INVALID_FIELD", "priority"},
        new Object[] {"{\"command\": \"true\", \"timeout_ms\": -1}", 400, "INVALID_FIELD", "timeout_ms"},
        new Object[] {"{\"command\": \"true\", \"timeout_ms\": 1.5}", 400, "INVALID_FIELD", "timeout_ms"},
        new Object[] {"{\"command\": \"true\", \"timeout_ms\": \"10\"}", 400, "INVALID_FIELD", "timeout_ms"},
        // 2^64 + 5 would wrap to 5 if read with longValue()
        new Object[] {"{\"command\": \"true\", \"timeout_ms\": 18446744073709551621}", 400, "INVALID_FIELD",
            "timeout_ms"},
        new Object[] {"{\"command\": \"true\", \"max_attempts\": " + big + "}", 400, "INVALID_FIELD", "max_attempts"},
        new Object[] {"{\"command\": \"true\", \"timeout_ms\": 1e300}", 400, "INVALID_FIELD", "timeout_ms"},
        new Object[] {"{\"command\": \"true\", \"requires\": {\"cores\": 100000}}", 400, "INVALID_FIELD",
            "requires.cores"},
        new Object[] {"{\"command\": \"true\", \"requires\": {\"ram_gb\": -1}}", 400, "INVALID_FIELD",
            "requires.ram_gb"},
        new Object[] {"{\"command\": \"true\", \"requires\": {\"arch\": \"z80\"}}", 400, "INVALID_FIELD",
            "requires.arch"},
        new Object[] {"{\"command\": \"true\", \"requires\": \"lots\"}", 400, "INVALID_FIELD", "requires"},
        new Object[] {"{\"command\": \"true\", \"limits\": {\"memory_mb\": 1}}", 400, "INVALID_FIELD",
            "limits.memory_mb"},
        new Object[] {"{\"command\": \"true\", \"limits\": {\"cpus\": 1e300}}", 400, "INVALID_FIELD",
            "limits.cpus"},
        new Object[] {"{\"command\": \"true\", \"limits\": {\"pids\": " + big + "}}", 400, "INVALID_FIELD",
            "limits.pids"},
        new Object[] {"{\"command\": \"true\", \"limits\": {\"nice\": 5}}", 400, "INVALID_FIELD", "limits.nice"},
        new Object[] {"{\"command\": \"true\", \"limits\": [64]}", 400, "INVALID_FIELD", "limits"},
        new Object[] {"{\"command\": \"true\", \"run_as\": \"root$(id)\"}", 400, "INVALID_FIELD", "run_as"},
        new Object[] {"{\"command\": \"true\", \"id\": \"a;touch /tmp/x\"}", 400, "INVALID_FIELD", "id"},
        new Object[] {"{\"command\": \"true\", \"id\": \"" + "a".repeat(65) + "\"}", 400, "INVALID_FIELD", "id"},
        new Object[] {"{\"command\": \"true\", \"id\": \"\"}", 400, "INVALID_FIELD", "id"},
        new Object[] {"{\"command\": \"true\", \"env\": {\"1BAD\": \"x\"}}", 400, "INVALID_FIELD", "env"},
        new Object[] {"{\"command\": \"true\", \"env\": {\"A-B\": \"x\"}}", 400, "INVALID_FIELD", "env"},
        new Object[] {"{\"command\": \"true\", \"env\": {\"A\": 1}}", 400, "INVALID_FIELD", "env"},
        new Object[] {"{\"command\": \"true\", \"env\": {\"A\": \"x\\u0000y\"}}", 400, "INVALID_FIELD", "env"},
        new Object[] {"{\"argv\": [\"echo\", \"a\\u0000b\"]}", 400, "INVALID_FIELD", "argv"},
        new Object[] {"{\"argv\": [\"echo\", 3]}", 400, "INVALID_FIELD", "argv"},
        new Object[] {"{\"argv\": \"echo\"}", 400, "INVALID_FIELD", "argv"},
        new Object[] {"{\"command\": \"true\", \"argv\": [\"true\"]}", 400, "INVALID_FIELD", "argv"},
        new Object[] {"{\"command\": \"true\", \"depends_on\": [\"$(x)\"]}", 400, "INVALID_FIELD", "depends_on"},
        new Object[] {"{\"command\": \"true\", \"depends_on\": \"a\"}", 400, "INVALID_FIELD", "depends_on"},
        new Object[] {"{\"command\": \"true\", \"payload\": " + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}",
            400, "INVALID_FIELD", "payload"},
        new Object[] {"{\"command\": \"true\", \"payload\": " + "[".repeat(900) + "]".repeat(900) + "}", 400, null,
            null},
        new Object[] {"{\"command\": \"true\", \"metadata\": [1]}", 400, "INVALID_FIELD", "metadata"},
        new Object[] {"{\"command\": \"true\", \"cwd\": \"\"}", 400, "INVALID_FIELD", "cwd"},
        new Object[] {"{\"command\": \"true\", \"node\": \" \"}", 400, "INVALID_FIELD", "node"},
        new Object[] {"{\"tasks\": {}}", 400, "INVALID_FIELD", "tasks"},
        new Object[] {"{\"tasks\": []}", 400, "INVALID_FIELD", "tasks"},
        new Object[] {"{\"tasks\": [1]}", 400, "INVALID_FIELD", "tasks[0]"},
        new Object[] {"{\"tasks\": [{\"command\": \"true\", \"priority\": \"urgent\"}]}", 400, "INVALID_FIELD",
            "tasks[0].priority"});
  }

  @ParameterizedTest
  @MethodSource("badSubmissions")
  void badSubmissionsAreRefusedNamingTheField(String body, int status, String code, String field) {
    Http.Res r = submit(body);
    assertEquals(status, r.status(), body + " → " + r.body());
    JsonObject e = error(r);
    if (code != null) {
      assertEquals(code, e.getString("code"), r.body());
    }
    if (field != null) {
      assertEquals(field, e.getJsonObject("details").getString("field"), r.body());
    }
  }

  @Test
  void tooManyTasksInOneDag() {
    JsonArray tasks = new JsonArray();
    for (int i = 0; i < 51; i++) {
      tasks.add(new JsonObject().put("command", "true").put("node", "nowhere"));
    }
    Http.Res r = submit(new JsonObject().put("tasks", tasks).encode());
    assertEquals(400, r.status(), r.body());
    assertEquals("tasks", error(r).getJsonObject("details").getString("field"));
    assertTrue(error(r).getString("message").contains("--max-dag-tasks"));
  }

  @Test
  void aDagOfExactlyTheLimitIsTakenEvenWhenOneTaskWaitsForAllOthers() {
    JsonArray tasks = new JsonArray();
    JsonArray all = new JsonArray();
    for (int i = 0; i < 49; i++) {
      tasks.add(new JsonObject().put("id", "edge-" + i).put("command", "true").put("node", "nowhere"));
      all.add("edge-" + i);
    }
    tasks.add(new JsonObject().put("id", "edge-last").put("command", "true").put("depends_on", all));
    Http.Res r = submit(new JsonObject().put("tasks", tasks).encode());
    assertEquals(201, r.status(), r.body());
    assertEquals(50, new JsonObject(r.body()).getJsonArray("tasks").size());
    // one task may not wait for more tasks than a DAG may hold
    all.add("edge-last");
    all.add("one-more");
    Http.Res deps = submit(new JsonObject().put("command", "true").put("depends_on", all).encode());
    assertEquals(400, deps.status(), deps.body());
    assertEquals("depends_on", error(deps).getJsonObject("details").getString("field"));
    assertTrue(error(deps).getString("message").contains("--max-dag-tasks"), deps.body());
  }

  @Test
  void aJsonBodySentAsAFormIsRefused415NamingTheExpectedType() throws Exception {
    int port = Integer.parseInt(m.url().substring(m.url().lastIndexOf(':') + 1));
    // what curl -d @task.json sends: the form type, a body larger than a form field may be, and a '%'
    String body = new JsonObject().put("command", "echo 100% " + "x".repeat(9000)).encode();
    for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data"}) {
      RawHttp.Res r = RawHttp.send("127.0.0.1", port, null, "POST", "/api/cluster/tasks/route", m.tokens.admin(),
          type, body, 10_000);
      assertEquals(415, r.status(), type + " → " + r.body());
      JsonObject e = new JsonObject(r.body()).getJsonObject("error");
      assertEquals("UNSUPPORTED_MEDIA_TYPE", e.getString("code"));
      assertTrue(e.getString("message").contains("application/json"), e.encode());
      assertEquals("application/json", e.getJsonObject("details").getString("expected"));
    }
    // the same body as JSON, or with no type at all, is a task
    RawHttp.Res json = RawHttp.send("127.0.0.1", port, null, "POST", "/api/cluster/tasks/route", m.tokens.admin(),
        "application/json; charset=utf-8", body, 10_000);
    assertEquals(201, json.status(), json.body());
    RawHttp.Res none = RawHttp.send("127.0.0.1", port, null, "POST", "/api/cluster/tasks/route", m.tokens.admin(),
        null, body, 10_000);
    assertEquals(201, none.status(), none.body());
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    String body = new JsonObject().put("command", "true").put("metadata",
        new JsonObject().put("x", "y".repeat(20 * 1024))).encode();
    Http.Res r = submit(body);
    assertEquals(413, r.status(), r.body());
    assertEquals("BODY_TOO_LARGE", error(r).getString("code"));
    Seal big = m.enrollNode("big");
    Http.Res reg = http.send("POST", m.url() + "/api/cluster/nodes/register", InProcessManager.sealed(big, "POST",
        "/api/cluster/nodes/register", body), body);
    assertEquals(413, reg.status(), reg.body());
  }

  @Test
  void badNodeInputIsRefusedNamingTheField() throws Exception {
    Seal ok = m.enrollNode("ok");
    String url = m.url() + "/api/cluster/nodes/register";
    String hw = ", \"hardware\": {\"cpu_cores\": 4, \"ram_gb\": 8}";
    Object[][] cases = {
        {"{\"node_id\": \"a b\"" + hw + "}", "node_id"},
        {"{\"node_id\": \"n;reboot\"" + hw + "}", "node_id"},
        {"{\"node_id\": \"" + "n".repeat(65) + "\"" + hw + "}", "node_id"},
        {"{\"node_id\": 5" + hw + "}", "node_id"},
        {"{\"node_id\": \"ok\"}", "hardware"},
        {"{\"node_id\": \"ok\", \"hardware\": {\"cpu_cores\": -4}}", "cpu_cores"},
        {"{\"node_id\": \"ok\", \"hardware\": {\"cpu_cores\": 1000000}}", "cpu_cores"},
        {"{\"node_id\": \"ok\", \"name\": \"a\\nb\"" + hw + "}", "name"},
        {"{\"node_id\": \"ok\", \"labels\": {\"a b\": \"x\"}" + hw + "}", "labels"},
        {"{\"node_id\": \"ok\", \"tunnel_url\": \"file:///etc/passwd\"" + hw + "}", "tunnel_url"},
        {"{\"node_id\": \"ok\", \"max_concurrent\": -1" + hw + "}", "max_concurrent"},
        {"{\"node_id\": \"ok\", \"transport\": \"carrier-pigeon\"" + hw + "}", "transport"},
    };
    for (Object[] c : cases) {
      Http.Res r = http.send("POST", url, InProcessManager.sealed(ok, "POST", "/api/cluster/nodes/register",
          (String) c[0]), (String) c[0]);
      assertEquals(400, r.status(), c[0] + " → " + r.body());
      String field = error(r).getJsonObject("details").getString("field");
      assertTrue(field != null && field.contains((String) c[1]), c[0] + " → " + r.body());
    }
    String hbBody = "{\"node_id\": \"ok\", \"current_load\": -3}";
    Http.Res hb = http.send("POST", m.url() + "/api/cluster/nodes/heartbeat", InProcessManager.sealed(ok, "POST",
        "/api/cluster/nodes/heartbeat", hbBody), hbBody);
    assertEquals(400, hb.status(), hb.body());
    String doneBody = "{\"task_id\": \"t\", \"node_id\": \"ok\", \"lease_id\": \"l\", \"status\": \"exploded\"}";
    Http.Res done = http.send("POST", m.url() + "/api/cluster/tasks/complete", InProcessManager.sealed(ok, "POST",
        "/api/cluster/tasks/complete", doneBody), doneBody);
    assertEquals("status", error(done).getJsonObject("details").getString("field"));
  }

  @Test
  void badPathsAndQueriesAre4xxNever500() {
    String admin = m.tokens.admin();
    String[] gets = {"/api/cluster/tasks?limit=-1", "/api/cluster/tasks?limit=abc", "/api/cluster/tasks?limit=99999",
        "/api/cluster/tasks?status=exploded", "/api/cluster/tasks?cursor=-5", "/api/cluster/tasks/history?limit=0",
        "/api/cluster/tasks/history?before=x", "/api/cluster/tasks/a%3Bb", "/api/cluster/nodes/a%20b",
        "/api/cluster/can-handle/BAD%20TYPE", "/api/cluster/can-handle/shell?priority=P7",
        "/api/cluster/tasks/x/log?offset=-1", "/api/cluster/tasks/..%2F..%2Fetc%2Fpasswd/log",
        "/api/cluster/nope", "/nope", "/api/cluster/tasks?limit=%zz"};
    for (String g : gets) {
      Http.Res r;
      try {
        r = http.send("GET", m.url() + g, admin, null);
      } catch (IllegalArgumentException clientRefused) {
        continue; // java.net.URI refuses some of these itself
      }
      assertTrue(r.status() >= 400 && r.status() < 500, g + " → " + r.status() + " " + r.body());
      error(r);
    }
  }

  @Test
  void listAndHistoryQueriesNameTheFieldThatIsWrong() {
    String admin = m.tokens.admin();
    String[][] cases = {{"/api/cluster/tasks?order=sideways", "order"}, {"/api/cluster/tasks?order=", "order"},
        {"/api/cluster/tasks?cursor=abc", "cursor"}, {"/api/cluster/tasks?cursor=12:a%20b", "cursor"},
        {"/api/cluster/tasks?type=BAD%20TYPE", "type"}, {"/api/cluster/tasks?status=done", "status"},
        {"/api/cluster/tasks?limit=1001", "limit"}, {"/api/cluster/tasks?node=a%01b", "node"},
        {"/api/cluster/tasks/history?before=0", "before"}, {"/api/cluster/tasks/history?limit=201", "limit"}};
    for (String[] c : cases) {
      Http.Res r = http.send("GET", m.url() + c[0], admin, null);
      assertEquals(400, r.status(), c[0] + " → " + r.body());
      assertEquals(c[1], error(r).getJsonObject("details").getString("field"), c[0] + " → " + r.body());
      assertTrue(error(r).getString("message").contains(c[1]), c[0] + " → " + r.body());
    }
    for (String ok : new String[] {"/api/cluster/tasks?order=newest&type=shell&node=mac-mini&cursor=7:t-1",
        "/api/cluster/tasks?order=oldest&status=succeeded&cursor=7", "/api/cluster/tasks/history?before=5"}) {
      Http.Res r = http.send("GET", m.url() + ok, admin, null);
      assertEquals(200, r.status(), ok + " → " + r.body());
    }
  }

  /** Targets a well-behaved client would refuse to send: bad percent-encoding, NUL, odd methods. */
  @Test
  void rawHostileTargetsAre4xxInTheErrorShape() throws Exception {
    int port = Integer.parseInt(m.url().substring(m.url().lastIndexOf(':') + 1));
    String[][] cases = {{"GET", "/api/cluster/tasks/fz%zz"}, {"GET", "/api/cluster/tasks?limit=%zz"},
        {"GET", "/api/cluster/nodes/a%00b"}, {"GET", "/api/cluster/tasks/%C0%AF"}, {"FOO", "/api/cluster/state"},
        {"GET", "/api/cluster/tasks/x/log?offset=%"}, {"POST", "/api/cluster/tasks/route?%zz=1"},
        {"GET", "/%zz"}, {"GET", "/api/cluster/tasks/a%2Fb"}};
    for (String[] c : cases) {
      RawHttp.Res r = RawHttp.send("127.0.0.1", port, null, c[0], c[1], m.tokens.admin(), null, 10_000);
      assertTrue(r.status() >= 400 && r.status() < 500, c[0] + " " + c[1] + " → " + r.status() + " " + r.body());
      assertNotNull(new JsonObject(r.body()).getJsonObject("error"), c[1] + " → " + r.body());
    }
  }

  /** A target that cannot be decoded is said to be one, not answered as if a JSON body were wrong. */
  @Test
  void anUndecodableTargetIsNamedAsSuch() throws Exception {
    int port = Integer.parseInt(m.url().substring(m.url().lastIndexOf(':') + 1));
    for (String target : new String[] {"/api/cluster/tasks/fz%zz", "/api/cluster/nodes/x%zz",
        "/api/cluster/tasks/t1/log?follow=true&token=%zz"}) {
      RawHttp.Res r = RawHttp.send("127.0.0.1", port, null, "GET", target, m.tokens.admin(), null, 10_000);
      assertEquals(400, r.status(), target + " → " + r.body());
      JsonObject e = new JsonObject(r.body()).getJsonObject("error");
      assertEquals("INVALID_FIELD", e.getString("code"), target + " → " + r.body());
      assertTrue(e.getString("message").contains("percent-encoding"), target + " → " + r.body());
    }
  }

  @Test
  void rotationNeedsAKind() {
    Http.Res r = http.send("POST", m.url() + "/api/cluster/tokens/rotate", m.tokens.admin(), "{\"kind\": \"root\"}");
    assertEquals(400, r.status());
    assertEquals("kind", error(r).getJsonObject("details").getString("field"));
  }
}
