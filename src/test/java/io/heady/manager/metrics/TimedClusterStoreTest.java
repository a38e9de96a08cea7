package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.MemoryClusterStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedClusterStoreTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Timer timer(String op, String outcome) {
    return registry.find("heady.store.operation").tags("operation", op, "outcome", outcome).timer();
  }

  @Test
  void everyAsynchronousCallIsTimedAndPassedThrough() throws Exception {
    ClusterStore store = TimedClusterStore.wrap(new MemoryClusterStore(), registry);
    store.saveTasks(List.of(new JsonObject().put("task_id", "t1").put("status", "queued").put("seq", 1)))
        .toCompletionStage().toCompletableFuture().get();
    store.saveTasks(List.of()).toCompletionStage().toCompletableFuture().get();
    JsonObject t = store.task("t1").toCompletionStage().toCompletableFuture().get();
    store.ping().toCompletionStage().toCompletableFuture().get();

    assertEquals("t1", t.getString("task_id"), "the inner store answered");
    assertEquals(2, timer("save_tasks", "ok").count());
    assertEquals(1, timer("task", "ok").count());
    assertEquals(1, timer("ping", "ok").count());
    assertEquals("memory", store.describe(), "plain calls pass through untimed");
    assertTrue(store.toString().startsWith("timed("));
  }

  @Test
  void failuresAreTimedAsErrors() {
    ClusterStore down = (ClusterStore) Proxy.newProxyInstance(ClusterStore.class.getClassLoader(),
        new Class<?>[] {ClusterStore.class}, (p, m, a) -> {
          if (m.getName().equals("ping")) {
            return Future.failedFuture("connection refused");
          }
          throw new IllegalStateException("broken " + m.getName());
        });
    ClusterStore store = TimedClusterStore.wrap(down, registry);
    assertTrue(store.ping().failed());
    assertThrows(IllegalStateException.class, () -> store.nodes());
    assertNotNull(timer("ping", "error"));
    assertEquals(1, timer("nodes", "error").count());
  }

  @Test
  void operationNamesAreSnakeCase() {
    assertEquals("save_tasks", TimedClusterStore.snake("saveTasks"));
    assertEquals("unfinished_tasks", TimedClusterStore.snake("unfinishedTasks"));
    assertEquals("ping", TimedClusterStore.snake("ping"));
  }
}
