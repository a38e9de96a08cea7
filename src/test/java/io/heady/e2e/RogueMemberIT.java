package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.multimap.MultiMap;
import io.heady.common.cluster.ClusterSettings;
import io.heady.common.cluster.ClusterSetup;
import io.heady.common.identity.Seal;
import io.heady.common.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rogue process joins the Hazelcast cluster knowing only its name (the community edition cannot keep it
 * out), without a credential of the cluster CA. It can neither register, dispatch nor complete; when it
 * removes an honest node's subscriptions from the cluster's map and subscribes to that node's addresses
 * itself, it reads no dispatch (the event bus speaks TLS with client certificates), the node is not blamed,
 * and every task still completes (the manager reaches the node over its HTTP API meanwhile).
 */
class RogueMemberIT {
  private static final String[] FAST = {"--heartbeat-sec=1", "--ttl-sec=6", "--offline-sec=30",
      "--hz-max-no-heartbeat-sec=5", "--local-executor=false"};

  @Test
  void aMemberWithoutACredentialReadsNothingRunsNothingAndBlamesNoNode() throws Exception {
    try (Cluster c = new Cluster().startManager(FAST)) {
      c.startAgent("honest", "--transport=eventbus");
      c.awaitNode("honest", "active", Duration.ofSeconds(40));
      String done = c.submit(new JsonObject().put("command", "echo fine").put("node", "honest"));
      JsonObject before = c.awaitFinished(done, Duration.ofSeconds(30));
      String marker = "/tmp/heady-rogue-" + UUID.randomUUID();

      ClusterSetup.Clustered rogue = ClusterSetup.start(new ClusterSettings(c.name, "127.0.0.1", 0,
          List.of("127.0.0.1:" + c.clusterPort), true, 1, 5, 0), new VertxOptions()).await(60, TimeUnit.SECONDS);
      List<String> captured = new CopyOnWriteArrayList<>();
      try {
        var bus = rogue.vertx().eventBus();
        // A guessed key, and no key at all.
        Seal guess = Seal.node("rogue", new byte[32], Clock.systemUTC());
        JsonObject reg = new JsonObject().put("node_id", "rogue").put("transport", "eventbus")
            .put("hardware", new JsonObject().put("cpu_cores", 64).put("ram_gb", 256));
        JsonObject dispatch = new JsonObject().put("task_id", "t-rogue").put("lease_id", "l-rogue")
            .put("command", "touch " + marker).put("timeout_ms", 10000);
        JsonObject complete = new JsonObject().put("task_id", done).put("node_id", "honest")
            .put("lease_id", before.getString("lease_id")).put("status", "failed").put("exit_code", 9);
        DeliveryOptions o = new DeliveryOptions().setSendTimeout(3000);
        String nodeDispatch = Addresses.nodeDispatchBatch("honest");
        for (String[] a : new String[][] {{Addresses.REGISTER, "reg"}, {nodeDispatch, "dispatch"},
            {Addresses.COMPLETE, "complete"}}) {
          JsonObject body = a[1].equals("reg") ? reg : a[1].equals("dispatch")
              ? new JsonObject().put("dispatches", new JsonArray().add(dispatch)) : complete;
          assertRefused(bus.request(a[0], body, o));
          assertRefused(bus.request(a[0], guess.seal(a[0], body, Seal.MANAGER), o));
        }

        // Take the honest node's addresses over: remove its subscriptions, subscribe in its place.
        @SuppressWarnings("unchecked")
        MultiMap<Object, Object> subs = rogue.hazelcast().getMultiMap("__vertx.subs");
        List<String> addresses = List.of(Addresses.nodeDispatch("honest"), Addresses.nodeDispatchBatch("honest"),
            Addresses.nodeCancel("honest"), Addresses.nodeHealth("honest"), Addresses.nodeLog("honest"));
        List<Future<Void>> ready = new ArrayList<>();
        for (String a : addresses) {
          subs.remove(a);
          ready.add(bus.consumer(a, m -> captured.add(String.valueOf(m.body()))).completion());
        }
        Future.all(ready).await(20, TimeUnit.SECONDS);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          ids.add(c.submit(new JsonObject().put("command", "echo \"run $SECRET_NAME\"").put("node", "honest")
              .put("env", new JsonObject().put("SECRET_NAME", "s3cr3t-" + i))));
        }
        for (String id : ids) {
          JsonObject t = c.awaitFinished(id, Duration.ofSeconds(90));
          assertEquals("succeeded", t.getString("status"), t.encodePrettily());
          assertEquals("honest", t.getString("node_id"));
        }
        assertTrue(captured.stream().noneMatch(m -> m.contains("s3cr3t")), "the rogue read a dispatch: " + captured);
        assertTrue(captured.isEmpty(), "nothing reached the rogue: " + captured);
      } finally {
        rogue.vertx().close().await(20, TimeUnit.SECONDS);
      }
      JsonObject honest = c.node("honest");
      assertEquals("active", honest.getString("status"), honest.encodePrettily());
      assertEquals(0L, honest.getLong("node_faults"), "a tampered map is not the node's fault");
      assertNull(c.node("rogue"), "no rogue node registered");
      assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of(marker)), "nothing ran");
      JsonObject after = c.admin.get("/api/cluster/tasks/" + done).json();
      assertEquals("succeeded", after.getString("status"));
      assertEquals(before.getJsonArray("attempts"), after.getJsonArray("attempts"));
    }
  }

  /** The request failed: refused (401), or never answered because no TLS connection could be made. */
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
