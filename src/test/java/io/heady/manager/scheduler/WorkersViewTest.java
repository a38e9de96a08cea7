package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * relayq's {@code worker_status()} keys its workers by name; heady's names need not be unique, and no worker may
 * vanish from the map because another has its name: every node is in it, a unique name as its key, a shared one
 * under each node's id (as {@code heady nodes NAME} asks for an id then).
 */
class WorkersViewTest {
  private final Harness h = new Harness();

  @Test
  void everyNodeIsAWorkerEvenWhenTwoShareAName() {
    h.join(node("n-real").name("mac").cores(8).ram(16));
    h.join(node("n-two").name("mac").cores(8).ram(16));
    h.join(node("rpi4").cores(4).ram(8));
    JsonObject w = ClusterViews.workers(h.scheduler);
    JsonObject workers = w.getJsonObject("workers");
    assertEquals(w.getInteger("total_workers"), workers.size(), "one entry per node: " + workers.fieldNames());
    assertEquals(Set.of("n-real", "n-two", "rpi4"), workers.fieldNames());
    assertEquals("n-two", workers.getJsonObject("n-two").getString("node_id"));
    assertEquals("mac", workers.getJsonObject("n-two").getString("name"));
    assertEquals("rpi4", workers.getJsonObject("rpi4").getString("name"));
  }

  @Test
  void aUniqueNameIsTheKey() {
    h.join(node("n-7").name("mac-mini").cores(8).ram(16));
    JsonObject workers = ClusterViews.workers(h.scheduler).getJsonObject("workers");
    assertEquals(Set.of("mac-mini"), workers.fieldNames());
    assertEquals("n-7", workers.getJsonObject("mac-mini").getString("node_id"));
  }
}
