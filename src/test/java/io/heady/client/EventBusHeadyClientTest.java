package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event-bus client's side of the {@code heady.cluster.submit} contract, against a stand-in consumer. */
@ExtendWith(VertxExtension.class)
class EventBusHeadyClientTest {
  private static final String TOKEN = "ha_bus_token_0123456789";

  @Test
  void sendsTokenAndTaskAndReadsTheHttpShapedReply(Vertx vertx, VertxTestContext tc) {
    vertx.eventBus().<JsonObject>consumer(Addresses.SUBMIT, m -> {
      tc.verify(() -> {
        assertEquals(TOKEN, m.body().getString("token"));
        assertEquals(new JsonObject().put("command", "ffmpeg -version").put("node", "mac"),
            m.body().getJsonObject("task"));
      });
      m.reply(FakeManager.submitted("t-1", "dispatched").put("node_name", "mac"));
    });
    EventBusHeadyClient.create(vertx, TOKEN).runOn("mac", "ffmpeg -version").onComplete(tc.succeeding(s ->
        tc.verify(() -> {
          assertEquals("t-1", s.taskId());
          assertEquals(TaskStatus.DISPATCHED, s.status());
          assertEquals("mac", s.nodeName());
          tc.completeNow();
        })));
  }

  @Test
  void aDagIsSentAsTheTasksList(Vertx vertx, VertxTestContext tc) {
    vertx.eventBus().<JsonObject>consumer(Addresses.SUBMIT, m -> {
      tc.verify(() -> assertEquals(2, m.body().getJsonObject("task").getJsonArray("tasks").size()));
      m.reply(new JsonObject().put("dag_id", "dag-1").put("tasks", new JsonArray()));
    });
    EventBusHeadyClient.create(vertx, TOKEN).submitDag(List.of(TaskRequest.command("a").id("a").build(),
        TaskRequest.command("b").dependsOn("a").build())).onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertEquals("dag-1", r.getString("dag_id"));
          tc.completeNow();
        })));
  }

  @Test
  void aRefusalCarriesTheApiCodeAndStatus(Vertx vertx, VertxTestContext tc) {
    vertx.eventBus().<JsonObject>consumer(Addresses.SUBMIT, m ->
        m.fail(401, FakeManager.error("UNAUTHORIZED", "the token is not valid for this cluster").encode()));
    EventBusHeadyClient.create(vertx, "wrong").run("echo").onComplete(tc.failing(e -> tc.verify(() -> {
      HeadyException h = (HeadyException) e;
      assertEquals(401, h.status());
      assertEquals("UNAUTHORIZED", h.code());
      assertEquals("the token is not valid for this cluster", h.getMessage());
      tc.completeNow();
    })));
  }

  @Test
  void noManagerOnTheBusIsSaidPlainly(Vertx vertx, VertxTestContext tc) {
    EventBusHeadyClient.create(vertx, TOKEN).withTimeout(Duration.ofSeconds(2)).run("echo")
        .onComplete(tc.failing(e -> tc.verify(() -> {
          HeadyException h = (HeadyException) e;
          assertEquals("NO_HANDLERS", h.code());
          assertTrue(h.getMessage().contains(Addresses.SUBMIT), h.getMessage());
          tc.completeNow();
        })));
  }

  @Test
  void submitAndAwaitCatchesAFinishPublishedBeforeTheReply(Vertx vertx, VertxTestContext tc) {
    vertx.eventBus().<JsonObject>consumer(Addresses.SUBMIT, m -> {
      // why: the worst case: the task ends (and is announced) before the submitter hears its id
      vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("id", 1).put("type", "task.succeeded")
          .put("data", new JsonObject().put("task_id", "t-fast").put("status", "succeeded")));
      vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("id", 2).put("type", "task.failed")
          .put("data", new JsonObject().put("task_id", "t-other").put("status", "failed")));
      vertx.setTimer(20, t -> m.reply(FakeManager.submitted("t-fast", "dispatched")));
    });
    EventBusHeadyClient.create(vertx, TOKEN).submitAndAwait(TaskRequest.command("true").build())
        .onComplete(tc.succeeding(d -> tc.verify(() -> {
          assertEquals("t-fast", d.getString("task_id"));
          assertEquals("succeeded", d.getString("status"));
          tc.completeNow();
        })));
  }

  @Test
  void submitAndAwaitWaitsForItsOwnTask(Vertx vertx, VertxTestContext tc) {
    vertx.eventBus().<JsonObject>consumer(Addresses.SUBMIT, m -> {
      m.reply(FakeManager.submitted("t-slow", "dispatched"));
      vertx.setTimer(20, t -> {
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("type", "task.running")
            .put("data", new JsonObject().put("task_id", "t-slow").put("status", "running")));
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("type", "task.timed_out")
            .put("data", new JsonObject().put("task_id", "t-slow").put("status", "timed_out")));
      });
    });
    EventBusHeadyClient.create(vertx, TOKEN).submitAndAwait(TaskRequest.command("sleep 9").build())
        .onComplete(tc.succeeding(d -> tc.verify(() -> {
          assertEquals("timed_out", d.getString("status"));
          tc.completeNow();
        })));
  }
}
