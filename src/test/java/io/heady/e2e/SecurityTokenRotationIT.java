package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/cluster/tokens/rotate}: the new token is written (0600) and answered. A rotated join token
 * enrolls nothing from that moment on (no grace: it only ever enrolled), while enrolled agents, which no
 * longer need it, work on and restart without it. A rotated admin token keeps working for the grace period,
 * then is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTokenRotationIT {
  private static final long GRACE_SEC = 15;
  private Cluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager("--token-grace-sec=" + GRACE_SEC, "--offload-cpu-pct=101");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void runsOn(String node) {
    String id = cluster.submit(new JsonObject().put("command", "echo rotated").put("node", node));
    JsonObject t = cluster.awaitFinished(id, Duration.ofSeconds(30));
    assertEquals("succeeded", t.getString("status"), t.encode());
    assertEquals(node, t.getString("node_id"));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void rotateJoinThenAdminWithoutAnOutage() throws Exception {
    HeadyProcess agent = cluster.startAgent("rot-a", "--transport=http");
    cluster.awaitNode("rot-a", "active", Duration.ofSeconds(40));
    String oldJoin = cluster.joinToken;
    String oldAdmin = cluster.adminToken;
    Api oldJoinApi = new Api(cluster.url(), oldJoin);

    // rotate the join token
    Api.Res r = cluster.admin.post("/api/cluster/tokens/rotate", new JsonObject().put("kind", "join"));
    assertEquals(200, r.status(), r.raw());
    String newJoin = r.json().getString("token");
    assertNotEquals(oldJoin, newJoin);
    assertEquals(newJoin, Files.readString(cluster.dataDir.resolve("join.token")).trim());
    String next = r.json().getString("next_step");
    assertTrue(next.contains("nothing to restart") && next.contains("new installs") && !next.contains("restart every"),
        "enrolled agents need nothing after a join rotation: " + next);
    assertEquals("rw-------", mode(cluster.dataDir.resolve("join.token")));
    assertEquals(401, oldJoinApi.post("/api/cluster/enroll", "{}").status(), "the old join token enrolls nothing,"
        + " at once");
    assertEquals(400, new Api(cluster.url(), newJoin).post("/api/cluster/enroll", "{}").status(),
        "the new one is accepted (and then the empty request is refused for what it lacks)");

    // the enrolled agent keeps working both ways (dispatch to it, results from it), with no token at all
    runsOn("rot-a");
    agent.close();
    cluster.joinToken = null;
    cluster.startAgent("rot-a", "--transport=http");
    Poll.until("rot-a registered again without a join token", Duration.ofSeconds(40), () -> {
      JsonObject n = cluster.node("rot-a");
      return n != null && "active".equals(n.getString("status")) ? n : null;
    });
    runsOn("rot-a");
    // a new node enrolls with the new join token only
    cluster.joinToken = oldJoin;
    HeadyProcess refused = cluster.startAgent("rot-old", "--transport=http");
    assertEquals(2, refused.waitFor(60), "an agent with the rotated join token stops with a clear error:\n"
        + refused.output());
    assertTrue(refused.output().contains("refused to enroll"), refused.output());
    cluster.joinToken = newJoin;
    cluster.startAgent("rot-new", "--transport=http");
    cluster.awaitNode("rot-new", "active", Duration.ofSeconds(40));

    // rotate the admin token, with the CLI this time
    HeadyProcess cli = HeadyProcess.start("cli-rotate", java.util.Map.of(), "token", "rotate", "--url=" + cluster.url(),
        "--token=" + oldAdmin, "--json");
    assertEquals(0, cli.waitFor(60), cli.output());
    String out = cli.output();
    JsonObject a = new JsonObject(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    assertEquals("admin", a.getString("kind"), out);
    String newAdmin = a.getString("token");
    Instant until = Instant.parse(a.getString("previous_valid_until"));
    assertNotEquals(oldAdmin, newAdmin);
    assertEquals(newAdmin, Files.readString(cluster.dataDir.resolve("admin.token")).trim());
    assertEquals("rw-------", mode(cluster.dataDir.resolve("admin.token")));
    assertEquals(200, cluster.admin.get("/api/cluster/state").status(), "old admin token still valid");
    cluster.adminToken = newAdmin;
    cluster.admin = new Api(cluster.url(), newAdmin);
    assertEquals(200, cluster.admin.get("/api/cluster/state").status());
    Api oldAdminApi = new Api(cluster.url(), oldAdmin);

    // after the grace, the old ones are refused and the new ones still work
    assertTrue(Instant.now().isBefore(until), "the steps above took longer than the grace; raise GRACE_SEC");
    Poll.until("the old admin token is refused", Duration.ofSeconds(GRACE_SEC + 20),
        () -> oldAdminApi.get("/api/cluster/state").status() == 401);
    runsOn("rot-a");
  }
}
