package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.cluster.ClusterSettings;
import io.heady.common.cluster.ClusterSetup;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.Signer;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rogue process joins the Hazelcast cluster (the community edition cannot stop it) and sends register,
 * dispatch and complete messages to the documented addresses: unsigned, or signed with a guessed key. All
 * are dropped; nothing runs; the cluster's state is unchanged.
 */
class RogueMemberIT {
  @Test
  void aRogueMemberCanNeitherRegisterNorDispatchNorComplete() throws Exception {
    try (Cluster c = new Cluster().startManager()) {
      c.startAgent("honest", "--transport=eventbus");
      c.awaitNode("honest", "active", Duration.ofSeconds(30));
      String done = c.submit(new JsonObject().put("command", "echo fine").put("node", "honest"));
      JsonObject before = c.awaitFinished(done, Duration.ofSeconds(20));
      String marker = "/tmp/heady-rogue-" + UUID.randomUUID();

      ClusterSetup.Clustered rogue = ClusterSetup.start(new ClusterSettings(c.name, "127.0.0.1", 0,
          List.of("127.0.0.1:" + c.clusterPort), true, 1, 5, 0), new VertxOptions()).await(60, TimeUnit.SECONDS);
      try {
        var bus = rogue.vertx().eventBus();
        Signer guess = Signer.of("hj_not-the-real-join-token-000000", Clock.systemUTC());
        JsonObject reg = new JsonObject().put("node_id", "rogue").put("transport", "eventbus")
            .put("hardware", new JsonObject().put("cpu_cores", 64).put("ram_gb", 256));
        JsonObject dispatch = new JsonObject().put("task_id", "t-rogue").put("lease_id", "l-rogue")
            .put("command", "touch " + marker).put("timeout_ms", 10000);
        JsonObject complete = new JsonObject().put("task_id", done).put("node_id", "honest")
            .put("lease_id", before.getString("lease_id")).put("status", "failed").put("exit_code", 9);
        DeliveryOptions o = new DeliveryOptions().setSendTimeout(3000);
        for (JsonObject body : List.of(reg)) {
          assertRefused(bus.request(Addresses.REGISTER, body, o));
          assertRefused(bus.request(Addresses.REGISTER, guess.seal(Addresses.REGISTER, body), o));
        }
        String nodeDispatch = Addresses.nodeDispatch("honest");
        assertRefused(bus.request(nodeDispatch, dispatch, o));
        assertRefused(bus.request(nodeDispatch, guess.seal(nodeDispatch, dispatch), o));
        assertRefused(bus.request(Addresses.COMPLETE, complete, o));
        assertRefused(bus.request(Addresses.COMPLETE, guess.seal(Addresses.COMPLETE, complete), o));
        bus.send(Addresses.PROGRESS, new JsonObject().put("task_id", done).put("lease_id", "x"));
      } finally {
        rogue.vertx().close().await(20, TimeUnit.SECONDS);
      }
      assertNull(c.node("rogue"), "no rogue node registered");
      assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of(marker)), "nothing ran");
      JsonObject after = c.admin.get("/api/cluster/tasks/" + done).json();
      assertEquals("succeeded", after.getString("status"));
      assertEquals(before.getJsonArray("attempts"), after.getJsonArray("attempts"));
      assertEquals(1L, c.node("honest").getLong("tasks_completed"));
      // The honest agent still works.
      String again = c.submit(new JsonObject().put("command", "echo still").put("node", "honest"));
      assertEquals("succeeded", c.awaitFinished(again, Duration.ofSeconds(20)).getString("status"));
    }
  }

  private static void assertRefused(Future<?> reply) throws Exception {
    try {
      reply.await(10, TimeUnit.SECONDS);
    } catch (io.vertx.core.eventbus.ReplyException e) {
      assertTrue(e.failureCode() == 401 || e.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
          "refused: " + e.getMessage());
      return;
    }
    throw new AssertionError("a rogue message was answered as if accepted");
  }
}
