package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Shell metacharacters in node names, labels, task ids, types, env, argv, pins, dependencies and payloads
 * are refused or stored verbatim, and never executed: each attempt would create its own marker file, and
 * after a control task has run on the same agent none of them exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityInjectionIT {
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final List<Path> markers = new ArrayList<>();
  private Cluster cluster;
  private String agentName;

  /** A marker path and the ways to smuggle "touch it" into a string. */
  private List<String> payloads(String what) {
    Path p = Path.of("/tmp/heady-pwned-" + tag + "-" + what);
    markers.add(p);
    return List.of("x;touch " + p, "$(touch " + p + ")", "`touch " + p + "`", "x\ntouch " + p,
        "x && touch " + p, "x | touch " + p, "'\"; touch " + p + "; echo \"'");
  }

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager("--offload-cpu-pct=101");
    agentName = "inj $(touch /tmp/heady-pwned-" + tag + "-agentname) `touch /tmp/heady-pwned-" + tag + "-bq`";
    markers.add(Path.of("/tmp/heady-pwned-" + tag + "-agentname"));
    markers.add(Path.of("/tmp/heady-pwned-" + tag + "-bq"));
    cluster.startAgent("sec-inj", "--transport=http", "--name=" + agentName, "--label=site=home");
    cluster.awaitNode("sec-inj", "active", Duration.ofSeconds(40));
  }

  @AfterAll
  void stop() throws Exception {
    for (Path p : markers) {
      Files.deleteIfExists(p);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void agentNameIsStoredVerbatim() {
    assertEquals(agentName, cluster.node("sec-inj").getString("name"));
  }

  @Test
  void metacharactersAreRefusedOrInertEverywhere() {
    Api admin = cluster.admin;
    Api join = new Api(cluster.url(), null);
    io.heady.common.identity.Seal probe = cluster.enroll("inj-probe");
    String to = io.heady.common.identity.Seal.MANAGER;
    JsonObject hw = new JsonObject().put("cpu_cores", 2).put("ram_gb", 4);

    // ids: refused
    for (String id : payloads("taskid")) {
      Api.Res r = admin.post("/api/cluster/tasks/route", new JsonObject().put("id", id).put("command", "true"));
      assertEquals(400, r.status(), id);
      assertEquals("id", r.json().getJsonObject("error").getJsonObject("details").getString("field"));
    }
    for (String id : payloads("nodeid")) {
      Api.Res r = join.sealed(probe, to, "POST", "/api/cluster/nodes/register", new JsonObject().put("node_id", id)
          .put("hardware", hw).encode());
      assertEquals(400, r.status(), id);
    }
    for (String type : payloads("type")) {
      assertEquals(400, admin.post("/api/cluster/tasks/route", new JsonObject().put("type", type)
          .put("command", "true")).status(), type);
    }
    for (String dep : payloads("dep")) {
      assertEquals(400, admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "true")
          .put("depends_on", new JsonArray().add(dep))).status(), dep);
    }

    // names and labels of a registered node: refused (control characters) or stored as given
    int n = 0;
    for (String s : payloads("label")) {
      // why: a node registers only itself; the test's own enrolled node takes each name in turn
      String id = "inj-probe";
      n++;
      JsonObject reg = new JsonObject().put("node_id", id).put("name", s).put("hardware", hw)
          .put("labels", new JsonObject().put("site", s)).put("capabilities", new JsonArray().add(s));
      Api.Res r = join.sealed(probe, to, "POST", "/api/cluster/nodes/register", reg.encode());
      if (r.status() == 400) {
        assertTrue(s.contains("\n"), "only a control character is a reason to refuse: " + s);
        continue;
      }
      assertTrue(r.status() == 201 || r.status() == 200, r.raw());
      JsonObject stored = cluster.node(id);
      assertEquals(s, stored.getString("name"));
      assertEquals(s, stored.getJsonObject("labels").getString("site"));
    }

    admin.delete("/api/cluster/nodes/inj-probe");

    // fields of built-in and unknown types, requirement labels, payload and metadata: stored verbatim
    List<String> ids = new ArrayList<>();
    int i = 0;
    for (String s : payloads("fields")) {
      for (String type : new String[] {"docker_build", "backup", "transcode"}) {
        JsonObject t = new JsonObject().put("id", "inj-" + type.replace('_', '-') + "-" + i).put("type", type)
            .put("node", "nowhere-" + tag).put("command", "true")
            .put("payload", new JsonObject().put("image", s).put("source", s).put("args", new JsonArray().add(s)))
            .put("metadata", new JsonObject().put("note", s))
            .put("requires", new JsonObject().put("labels", new JsonObject().put("site", s)));
        Api.Res r = admin.post("/api/cluster/tasks/route", t);
        assertEquals(201, r.status(), r.raw());
        ids.add(r.json().getString("task_id"));
      }
      i++;
    }
    for (String id : ids) {
      JsonObject t = admin.get("/api/cluster/tasks/" + id).json();
      assertTrue(t.encode().contains("touch /tmp/heady-pwned-" + tag + "-fields"), "stored as given: " + t.encode());
      admin.post("/api/cluster/tasks/" + id + "/cancel", new JsonObject());
    }
  }

  @Test
  void valuesReachTasksAsDataNotCode() {
    // env values: the shell expands $X to its text, it does not run it
    JsonObject env = new JsonObject();
    List<String> envValues = payloads("env");
    for (int k = 0; k < envValues.size(); k++) {
      env.put("INJ_" + k, envValues.get(k));
    }
    StringBuilder echo = new StringBuilder("printf '%s\\n'");
    for (int k = 0; k < envValues.size(); k++) {
      echo.append(" \"$INJ_").append(k).append('"');
    }
    String a = cluster.submit(new JsonObject().put("command", echo.toString()).put("env", env)
        .put("node", agentName));
    JsonObject ta = cluster.awaitFinished(a, Duration.ofSeconds(30));
    assertEquals("succeeded", ta.getString("status"), ta.encode());
    assertEquals("sec-inj", ta.getString("node_id"), "pinned by its (metacharacter-laden) name");
    assertEquals(String.join("\n", envValues) + "\n", ta.getJsonObject("result").getString("stdout"));

    // argv: no shell at all
    List<String> argvValues = payloads("argv");
    JsonArray argv = new JsonArray().add("printf").add("%s\\n");
    argvValues.forEach(argv::add);
    String b = cluster.submit(new JsonObject().put("argv", argv).put("node", "sec-inj"));
    JsonObject tb = cluster.awaitFinished(b, Duration.ofSeconds(30));
    assertEquals(String.join("\n", argvValues) + "\n", tb.getJsonObject("result").getString("stdout"));

    // cwd: a path, not a command
    String c = cluster.submit(new JsonObject().put("command", "true").put("cwd", payloads("cwd").get(0))
        .put("node", "sec-inj"));
    assertEquals("failed", cluster.awaitFinished(c, Duration.ofSeconds(30)).getString("status"));
  }

  @Test
  void logPathsCannotLeaveTheLogFolder() {
    Api.Res r = cluster.admin.get("/api/cluster/tasks/..%2F..%2F..%2Fetc%2Fpasswd/log");
    assertTrue(r.status() == 400 || r.status() == 404, r.raw());
    assertFalse(r.raw().contains("root:"), r.raw());
  }

  /** Runs last by name order is not guaranteed, so each test's markers are checked after a control task. */
  @org.junit.jupiter.api.AfterEach
  void noMarkerExists() {
    Path control = Path.of("/tmp/heady-control-" + tag + "-" + System.nanoTime());
    try {
      String id = cluster.submit(new JsonObject().put("command", "touch " + control).put("node", "sec-inj"));
      assertEquals("succeeded", cluster.awaitFinished(id, Duration.ofSeconds(30)).getString("status"));
      assertTrue(Files.exists(control));
      for (Path p : markers) {
        assertFalse(Files.exists(p), "injected command ran: " + p);
      }
    } finally {
      try {
        Files.deleteIfExists(control);
      } catch (java.io.IOException e) {
        // a temp file; nothing to do
      }
    }
  }
}
