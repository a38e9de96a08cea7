package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.Pki;
import io.heady.common.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-bus client's own checks: it hands out only event batches the managers' key signed, exactly as
 * signed, and names why a request got no answer. (Against a real manager: {@code EventBusClientIT}.)
 */
@ExtendWith(VertxExtension.class)
class EventBusHeadyClientTest {
  private static final KeyPair MANAGERS = Pki.newKeyPair();
  private static final X509Certificate MANAGER_CERT = Pki.ca("heady managers", MANAGERS, Instant.now(),
      Instant.now().plus(Duration.ofDays(1)));

  private static JsonObject signed(JsonArray events, KeyPair by) {
    String text = events.encode();
    return new JsonObject().put("events", events).put("signed", text)
        .put("sig", Pki.sign(by.getPrivate(), text.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonArray batch(String taskId, String type) {
    return new JsonArray().add(new JsonObject().put("id", 1).put("type", type)
        .put("data", new JsonObject().put("task_id", taskId).put("status", type.substring(5))));
  }

  @Test
  void onlyBatchesTheManagersSignedAreHandedOut(Vertx vertx, VertxTestContext tc) {
    EventBusHeadyClient client = EventBusHeadyClient.create(vertx, "t", MANAGER_CERT);
    List<String> seen = new ArrayList<>();
    client.events(e -> {
      seen.add(e.getJsonObject("data").getString("task_id"));
      if (seen.contains("real-2")) {
        tc.verify(() -> {
          assertEquals(List.of("real-1", "real-2"), seen, "forged, unsigned and altered batches are dropped");
          assertEquals(4, client.refusedBatches());
        });
        tc.completeNow();
      }
    }).completion().onComplete(tc.succeeding(v -> {
      var bus = vertx.eventBus();
      bus.publish(Addresses.EVENTS, signed(batch("real-1", "task.succeeded"), MANAGERS));
      bus.publish(Addresses.EVENTS, signed(batch("forged", "task.succeeded"), Pki.newKeyPair()));
      bus.publish(Addresses.EVENTS, new JsonObject().put("events", batch("unsigned", "task.failed")));
      bus.publish(Addresses.EVENTS, batch("bare", "task.failed").getJsonObject(0));
      JsonObject altered = signed(batch("real-x", "task.succeeded"), MANAGERS);
      altered.put("signed", altered.getString("signed").replace("real-x", "swapped"));
      bus.publish(Addresses.EVENTS, altered);
      // The signed text is what is handed out: an unsigned copy beside it is never read.
      JsonObject decoy = signed(batch("real-2", "task.succeeded"), MANAGERS);
      decoy.put("events", batch("decoy", "task.failed"));
      bus.publish(Addresses.EVENTS, decoy);
    }));
  }

  @Test
  void noManagerOnTheBusIsSaidPlainly(Vertx vertx, VertxTestContext tc) {
    EventBusHeadyClient.create(vertx, "t", MANAGER_CERT).withTimeout(Duration.ofSeconds(2)).run("echo")
        .onComplete(tc.failing(e -> tc.verify(() -> {
          HeadyException h = (HeadyException) e;
          assertEquals("NO_HANDLERS", h.code());
          assertTrue(h.getMessage().contains(Addresses.SUBMIT), h.getMessage());
          tc.completeNow();
        })));
  }

  @Test
  void aRefusalCarriesTheApiCodeAndStatus() {
    HeadyException h = EventBusHeadyClient.translate(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 401,
        new JsonObject().put("error", new JsonObject().put("code", "UNAUTHORIZED")
            .put("message", "heady.cluster.submit needs an operator's or the admin token")).encode()));
    assertEquals(401, h.status());
    assertEquals("UNAUTHORIZED", h.code());
    assertEquals("heady.cluster.submit needs an operator's or the admin token", h.getMessage());
    HeadyException t = EventBusHeadyClient.translate(new ReplyException(ReplyFailure.TIMEOUT, "timed out"));
    assertEquals(HeadyException.TIMEOUT, t.code());
  }
}
