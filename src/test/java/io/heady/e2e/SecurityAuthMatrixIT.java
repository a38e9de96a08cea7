package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.security.Http;
import io.heady.security.RouteTable;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route of the manager × {no token, wrong token, revoked token, join token, viewer, operator, admin-role
 * named token, admin token}, and every route of the node API × {no token, wrong, join, admin}, on the real
 * processes: 401 without a valid token, 403 with one whose kind or role the route excludes, and with one it
 * allows an answer that is neither (2xx, or a 4xx for the deliberately empty body). A viewer reads but cannot
 * submit, cancel or drain; an operator cannot rotate tokens, delete or reinstate nodes, or manage tokens. And
 * nothing runs on an agent without the right token. The routes come from {@link RouteTable}, which a unit test
 * keeps equal to the live routers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityAuthMatrixIT {
  private static final String WRONG = "hj_this-is-not-a-token-of-this-cluster";
  private Cluster cluster;
  private final Http http = new Http();
  private final int execPort = HeadyProcess.freePort();
  private final int plainPort = HeadyProcess.freePort();
  /** Named tokens made through the API: role → secret; and one that was revoked. */
  private final Map<String, String> named = new LinkedHashMap<>();
  private String revoked;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent("sec-exec", "--transport=http", "--port=" + execPort, "--execute-enabled",
        "--admin-token=" + cluster.adminToken);
    cluster.startAgent("sec-plain", "--transport=http", "--port=" + plainPort);
    cluster.awaitNode("sec-exec", "active", Duration.ofSeconds(40));
    cluster.awaitNode("sec-plain", "active", Duration.ofSeconds(40));
    for (String role : List.of("viewer", "operator", "admin")) {
      named.put(role, create("matrix-" + role, role));
    }
    revoked = create("matrix-revoked", "admin");
    assertEquals(200, cluster.admin.delete("/api/cluster/tokens/matrix-revoked").status());
  }

  private String create(String name, String role) {
    Api.Res r = cluster.admin.post("/api/cluster/tokens", new JsonObject().put("name", name).put("role", role));
    assertEquals(201, r.status(), r.raw());
    return r.json().getString("token");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private int status(String base, RouteTable.Entry e, String token) {
    return e.stream() ? http.status(e.method(), base + e.path(), token)
        : http.send(e.method(), base + e.path(), token, e.body()).status();
  }

  /** The {@code Authorization} value a seal gives one request (fresh each time: a seal opens once). */
  private static String sealed(io.heady.common.identity.Seal seal, String to, RouteTable.Entry e) {
    byte[] body = e.body() == null ? new byte[0] : e.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return seal.header(e.method(), e.path(), body, to);
  }

  private static boolean answered(int s) {
    return s != 401 && s != 403 && s < 500;
  }

  @Test
  void managerRoutesByTokenAndRole() throws Exception {
    List<String> wrong = new ArrayList<>();
    io.heady.common.identity.Seal node = cluster.asNode("sec-plain");
    for (RouteTable.Entry e : RouteTable.MANAGER) {
      Map<String, Integer> got = new LinkedHashMap<>();
      got.put("none", status(cluster.url(), e, null));
      got.put("wrong", status(cluster.url(), e, WRONG));
      got.put("revoked", status(cluster.url(), e, revoked));
      got.put("join", status(cluster.url(), e, cluster.joinToken));
      named.forEach((role, secret) -> got.put(role, status(cluster.url(), e, secret)));
      got.put("admin-token", status(cluster.url(), e, cluster.adminToken));
      got.put("node", status(cluster.url(), e, sealed(node, io.heady.common.identity.Seal.MANAGER, e)));
      boolean nodeRoute = e.needs() == RouteTable.Needs.NODE;
      boolean ok = got.get("none") == 401 && got.get("wrong") == 401 && got.get("revoked") == 401;
      for (String cred : List.of("join", "viewer", "operator", "admin")) {
        // no token at all opens a node's route: only an enrolled node's own seal does
        ok &= e.needs().allows(cred) ? answered(got.get(cred)) : got.get(cred) == (nodeRoute ? 401 : 403);
      }
      ok &= e.needs().allows("admin") ? answered(got.get("admin-token"))
          : got.get("admin-token") == (nodeRoute ? 401 : 403);
      ok &= e.needs().allows("node") ? answered(got.get("node")) : got.get("node") == 401;
      String row = String.format("%-7s %-36s %-8s %s", e.method(), e.template(), e.needs(), got);
      System.out.println("[auth-matrix] manager " + row);
      if (!ok) {
        wrong.add(row);
      }
    }
    assertEquals(List.of(), wrong, "manager routes with an unexpected answer");
    assertEquals(200, http.send("GET", cluster.url() + "/health/live", null, null).status(), "health is open");
  }

  /** The roles on real resources: a viewer changes nothing; an operator runs work but holds no keys. */
  @Test
  void whatEachRoleMayDoToARealNodeAndTask() {
    String viewer = named.get("viewer");
    String operator = named.get("operator");
    Api asViewer = new Api(cluster.url(), viewer);
    Api asOperator = new Api(cluster.url(), operator);
    assertEquals(200, asViewer.get("/api/cluster/nodes/sec-plain").status(), "a viewer reads");
    assertEquals(200, http.status("GET", cluster.url() + "/api/cluster/events?token=" + viewer, null),
        "a viewer's dashboard opens the event stream with ?token=");
    JsonObject task = new JsonObject().put("command", "sleep 30").put("node", "sec-plain");
    assertEquals(403, asViewer.post("/api/cluster/tasks/route", task).status(), "a viewer cannot submit");
    assertEquals(403, asViewer.post("/api/cluster/nodes/sec-plain/drain", new JsonObject().put("enabled", true))
        .status(), "a viewer cannot drain");
    String id = cluster.submit(task);
    assertEquals(403, asViewer.post("/api/cluster/tasks/" + id + "/cancel", new JsonObject()).status(),
        "a viewer cannot cancel");
    assertEquals(200, asOperator.post("/api/cluster/tasks/" + id + "/cancel", new JsonObject()).status(),
        "an operator cancels");
    assertEquals(200, asOperator.post("/api/cluster/nodes/sec-plain/drain", new JsonObject().put("enabled", false))
        .status(), "an operator drains (here: undrains)");
    assertEquals(403, asOperator.post("/api/cluster/tokens/rotate", new JsonObject().put("kind", "join")).status(),
        "an operator cannot rotate tokens");
    assertEquals(403, asOperator.delete("/api/cluster/nodes/sec-plain").status(), "an operator cannot delete a node");
    assertEquals(403, asOperator.post("/api/cluster/nodes/sec-plain/reinstate", new JsonObject()).status());
    assertEquals(403, asOperator.post("/api/cluster/tokens", new JsonObject().put("name", "mine").put("role",
        "admin")).status(), "an operator cannot make itself a token");
    assertEquals(JsonObject.of("kind", "named", "role", "operator", "name", "matrix-operator", "previous", false),
        asOperator.get("/api/cluster/whoami").json());
    assertEquals("active", cluster.node("sec-plain").getString("status"), "nothing a viewer sent took effect");
    assertEquals("cancelled", cluster.awaitFinished(id, Duration.ofSeconds(30)).getString("status"));
  }

  /** What is served without a token holds no secret. */
  @Test
  void openRoutesLeakNoToken() {
    for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/", "/install/agent.sh",
        "/install/heady.py", "/install/heady.jar.sha256", "/install/launcher/heady", "/install/systemd/heady-agent.service",
        "/install/systemd/heady-manager.service"}) {
      Http.Res r = http.send("GET", cluster.url() + path, null, null);
      assertTrue(r.status() == 200 || r.status() == 404, path + " → " + r.status());
      assertFalse(r.body().contains(cluster.joinToken), path + " leaks the join token");
      assertFalse(r.body().contains(cluster.adminToken), path + " leaks the admin token");
    }
    assertEquals(200, http.status("GET", cluster.url() + "/install/heady.jar", null), "the jar is downloadable");
    for (String path : new String[] {"/install/launcher/..%2F..%2Fjoin.token", "/install/systemd/..%2Fadmin.token",
        "/assets/..%2F..%2Fadmin.token", "/install/launcher/%2Fetc%2Fpasswd"}) {
      Http.Res r = http.send("GET", cluster.url() + path, null, null);
      assertTrue(r.status() >= 400 && r.status() < 500, path + " → " + r.status());
      assertFalse(r.body().contains(cluster.adminToken) || r.body().contains("root:"), path);
    }
  }

  @Test
  void nodeRoutesByToken() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (int port : new int[] {execPort, plainPort}) {
      boolean knowsAdmin = port == execPort;
      String nodeId = knowsAdmin ? "sec-exec" : "sec-plain";
      io.heady.common.identity.Seal manager = cluster.asManager(nodeId);
      io.heady.common.identity.Seal otherNode = cluster.asNode(knowsAdmin ? "sec-plain" : "sec-exec");
      String base = "http://127.0.0.1:" + port;
      for (RouteTable.Entry e : RouteTable.NODE) {
        int none = status(base, e, null);
        int bad = status(base, e, WRONG);
        int join = status(base, e, cluster.joinToken);
        int admin = status(base, e, cluster.adminToken);
        int seal = status(base, e, sealed(manager, nodeId, e));
        int peer = status(base, e, sealed(otherNode, io.heady.common.identity.Seal.MANAGER, e));
        boolean ok;
        if (e.needs() == RouteTable.Needs.MANAGER) {
          // a node that does not know the admin token cannot tell it from any wrong token
          ok = none == 401 && bad == 401 && join == 401 && answered(seal) && peer == 401
              && admin == (knowsAdmin ? 403 : 401);
        } else {
          ok = none == 401 && bad == 401 && join == 401 && seal == 403 && peer == 401
              && (knowsAdmin ? answered(admin) : admin == 401);
        }
        String row = String.format("%-10s %-6s %-28s none=%d wrong=%d join=%d admin=%d manager=%d other-node=%d",
            nodeId, e.method(), e.template(), none, bad, join, admin, seal, peer);
        System.out.println("[auth-matrix] node " + row);
        if (!ok) {
          wrong.add(row);
        }
      }
    }
    assertEquals(List.of(), wrong, "node routes with an unexpected answer");
  }

  @Test
  void nothingRunsOnAnAgentWithoutTheRightToken() throws Exception {
    String tag = UUID.randomUUID().toString();
    Path pwned = Path.of("/tmp/heady-pwned-" + tag);
    Path control = Path.of("/tmp/heady-control-" + tag);
    try {
      String base = "http://127.0.0.1:" + execPort;
      String dispatch = new JsonObject().put("task_id", "rogue-" + tag.substring(0, 8)).put("lease_id", "l-rogue")
          .put("command", "touch " + pwned).encode();
      String execute = new JsonObject().put("command", "touch " + pwned).encode();
      for (String token : new String[] {null, WRONG, cluster.adminToken, "", cluster.joinToken, cluster.joinToken + "x"}) {
        int s = http.send("POST", base + "/api/node/task", token, dispatch).status();
        assertTrue(s == 401 || s == 403, "dispatch with " + token + " → " + s);
      }
      for (String token : new String[] {null, WRONG, cluster.joinToken}) {
        int s = http.send("POST", base + "/api/node/execute", token, execute).status();
        assertTrue(s == 401 || s == 403, "execute with " + token + " → " + s);
      }
      int plain = http.send("POST", "http://127.0.0.1:" + plainPort + "/api/node/execute", cluster.adminToken,
          execute).status();
      assertEquals(401, plain, "a node without --admin-token refuses the admin token too");
      JsonObject byJoin = new JsonObject().put("command", "touch " + pwned).put("node", "sec-exec");
      assertEquals(403, cluster.admin.withToken(cluster.joinToken, "POST", "/api/cluster/tasks/route",
          byJoin.encode()).status(), "the join token cannot submit work");

      // another enrolled node's seal, posing as the manager, runs nothing either
      io.heady.common.identity.Seal peer = cluster.asNode("sec-plain");
      assertEquals(401, http.send("POST", base + "/api/node/task", peer.header("POST", "/api/node/task",
          dispatch.getBytes(java.nio.charset.StandardCharsets.UTF_8), io.heady.common.identity.Seal.MANAGER),
          dispatch).status());
      // a dispatch sealed by the manager does run: once its marker exists, the refused ones had their chance
      io.heady.common.identity.Seal manager = cluster.asManager("sec-exec");
      String ok = new JsonObject().put("task_id", "control-" + tag.substring(0, 8)).put("lease_id", "l-ok")
          .put("command", "touch " + control).encode();
      assertEquals(202, http.send("POST", base + "/api/node/task", manager.header("POST", "/api/node/task",
          ok.getBytes(java.nio.charset.StandardCharsets.UTF_8), "sec-exec"), ok).status());
      Poll.until("the control dispatch ran", Duration.ofSeconds(20), () -> Files.exists(control));
      JsonObject tasks = new JsonObject(http.send("GET", base + "/api/node/tasks", manager.header("GET",
          "/api/node/tasks", new byte[0], "sec-exec"), null).body());
      assertFalse(tasks.encode().contains("rogue-"), tasks.encode());
      assertFalse(Files.exists(pwned), "a request without the right token ran a command");

      // and the admin token does execute on the node that allows it (once the control task freed its slot)
      Poll.until("the control task's slot is free", Duration.ofSeconds(20), () -> new JsonObject(http.send("GET",
          base + "/api/node/tasks", manager.header("GET", "/api/node/tasks", new byte[0], "sec-exec"), null).body())
          .getInteger("running") == 0);
      Http.Res ran = http.send("POST", base + "/api/node/execute", cluster.adminToken,
          new JsonObject().put("command", "echo executed").encode());
      assertEquals(200, ran.status(), ran.body());
      assertEquals("executed\n", new JsonObject(ran.body()).getJsonObject("result").getString("stdout"));
      assertNotNull(cluster.node("sec-exec"));
    } finally {
      Files.deleteIfExists(pwned);
      Files.deleteIfExists(control);
    }
  }
}
