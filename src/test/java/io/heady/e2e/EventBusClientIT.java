package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.heady.client.ClientIdentity;
import io.heady.client.EventBusHeadyClient;
import io.heady.client.HeadyClient;
import io.heady.client.HeadyException;
import io.heady.client.TaskRequest;
import io.heady.common.cluster.ClusterSettings;
import io.heady.common.cluster.ClusterSetup;
import io.heady.common.identity.Pki;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Vert.x application as a member of a real cluster: an admin enrolls it (its key never leaves its folder), it
 * joins the event bus with that identity (TLS with the cluster's certificates), submits with an operator's token
 * and learns the end of its tasks from events it verified against the managers' certificate.
 */
class EventBusClientIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=6", "--offline-sec=30",
      "--hz-max-no-heartbeat-sec=5", "--local-executor=false"};

  @Test
  void anEnrolledAppSubmitsOverTheBusAndReadsOnlySignedEvents() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("bus-worker", "--transport=eventbus");
      c.awaitNode("bus-worker", "active", Duration.ofSeconds(40));
      HeadyClient admin = HeadyClient.connect(c.url(), c.adminToken);
      String operator = admin.post("/api/cluster/tokens", new JsonObject().put("name", "bus-app").put("role",
          "operator")).getString("token");
      String viewer = admin.post("/api/cluster/tokens", new JsonObject().put("name", "bus-wall").put("role",
          "viewer")).getString("token");

      Path dir = Files.createTempDirectory("heady-client-id");
      HeadyProcess cli = HeadyProcess.start("cli-clients-enroll", java.util.Map.of(), "clients", "enroll",
          "report-app", "--dir=" + dir, "--url=" + c.url(), "--token=" + c.adminToken);
      assertEquals(0, cli.waitFor(60), cli.output());
      assertTrue(cli.output().contains("client report-app is enrolled"), cli.output());
      assertEquals(PosixFilePermissions.fromString("rw-------"),
          Files.getPosixFilePermissions(dir.resolve("key.pem")), "the key is its owner's only");
      ClientIdentity id = ClientIdentity.load(dir);
      assertEquals("report-app", id.name());
      assertEquals(Pki.Role.CLIENT, id.credential().role());
      HeadyException notAdmin = assertThrows(HeadyException.class,
          () -> ClientIdentity.enroll(HeadyClient.connect(c.url(), operator), "sneaky", Files.createTempDirectory("x")));
      assertEquals(403, notAdmin.status(), "only an admin enrolls clients");

      ClusterSetup.Clustered app = ClusterSetup.start(new ClusterSettings(c.name, "127.0.0.1", 0,
          List.of("127.0.0.1:" + c.clusterPort), true, 1, 5, 0, id.busSecurity()), new VertxOptions())
          .await(60, TimeUnit.SECONDS);
      try {
        EventBusHeadyClient bus = EventBusHeadyClient.create(app.vertx(), operator, id);
        List<String> seen = new CopyOnWriteArrayList<>();
        var watcher = bus.events(e -> seen.add(e.getString("type")));
        watcher.completion().await(20, TimeUnit.SECONDS);

        // why: the manager's subscription reaches a member a moment after it joins; until then: NO_HANDLERS
        Poll.until("the manager answers on the bus", Duration.ofSeconds(60), () -> {
          HeadyException e = failure(bus.submit(TaskRequest.command("true").node("bus-worker").build()));
          return e == null || !"NO_HANDLERS".equals(e.code());
        });
        JsonObject done = await(bus.submitAndAwait(TaskRequest.command("echo over-the-bus").node("bus-worker")
            .build()));
        assertEquals("succeeded", done.getString("status"), done.encodePrettily());
        assertEquals("over-the-bus\n", admin.task(done.getString("task_id")).stdout());
        Poll.until("the app saw the task's events", Duration.ofSeconds(20), () -> seen.contains("task.succeeded"));
        assertEquals(0, bus.refusedBatches(), "every batch the manager published carried a valid signature");

        HeadyException refused = failure(EventBusHeadyClient.create(app.vertx(), viewer, id).run("echo no"));
        assertNotNull(refused, "a viewer's submission was accepted");
        assertEquals(401, refused.status(), "a viewer's token submits nothing, over the bus either");
        assertEquals("UNAUTHORIZED", refused.code());
        watcher.unregister().await(10, TimeUnit.SECONDS);
      } finally {
        app.vertx().close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  /** How the request failed, or null when it succeeded. */
  private static HeadyException failure(io.vertx.core.Future<?> f) {
    try {
      f.await(60, TimeUnit.SECONDS);
      return null;
    } catch (HeadyException e) {
      return e;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in 60 s", e);
    }
  }
}
