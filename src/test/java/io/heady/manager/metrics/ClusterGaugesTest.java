package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Tier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterGaugesTest {
  private SimpleMeterRegistry registry;
  private ClusterGauges gauges;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    gauges = new ClusterGauges(registry);
  }

  private double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private static ClusterSnapshot snapshot(Map<String, Integer> nodes, Map<String, Integer> rel, int p0, int p2) {
    Map<Priority, Integer> q = new EnumMap<>(Priority.class);
    q.put(Priority.P0, p0);
    q.put(Priority.P2, p2);
    return new ClusterSnapshot(nodes, q, 1, rel, 12, 5, new JsonObject().put("failovers", 3).put("requeued", 2)
        .put("late_results", 1));
  }

  @Test
  void everyStatusTierPairAndPriorityHasASeriesFromTheStart() {
    assertEquals(NodeStatus.values().length * Tier.values().length, registry.find("heady.nodes").gauges().size());
    assertEquals(Priority.values().length, registry.find("heady.queue.depth").gauges().size());
    assertEquals(0, gauge("heady.nodes", "status", "active", "tier", "POWERHOUSE"));
    assertEquals(0, gauge("heady.queue.depth", "priority", "P0"));
  }

  @Test
  void aSnapshotSetsTheGauges() {
    gauges.update(snapshot(Map.of(ClusterSnapshot.key("active", "STANDARD"), 2, ClusterSnapshot.key("stale", "LIGHT"),
        1), Map.of("mini", 100, "pi", 40), 3, 7));
    assertEquals(2, gauge("heady.nodes", "status", "active", "tier", "STANDARD"));
    assertEquals(1, gauge("heady.nodes", "status", "stale", "tier", "LIGHT"));
    assertEquals(0, gauge("heady.nodes", "status", "active", "tier", "LIGHT"));
    assertEquals(3, gauge("heady.queue.depth", "priority", "P0"));
    assertEquals(7, gauge("heady.queue.depth", "priority", "P2"));
    assertEquals(0, gauge("heady.queue.depth", "priority", "P3"));
    assertEquals(1, gauge("heady.queue.delayed"));
    assertEquals(12, gauge("heady.slots.capacity"));
    assertEquals(5, gauge("heady.slots.used"));
    assertEquals(100, gauge("heady.node.reliability", "node", "mini"));
    assertEquals(40, gauge("heady.node.reliability", "node", "pi"));
    assertEquals(3, registry.find("heady.task.failovers").functionCounter().count());
    assertEquals(2, registry.find("heady.task.requeues").functionCounter().count());
    assertEquals(1, registry.find("heady.task.late.results").functionCounter().count());
  }

  @Test
  void aNodeThatLeftLosesItsReliabilitySeriesAndCountsGoBackToZero() {
    gauges.update(snapshot(Map.of(ClusterSnapshot.key("active", "LIGHT"), 2), Map.of("a", 90, "b", 80), 0, 0));
    gauges.update(snapshot(Map.of(ClusterSnapshot.key("active", "LIGHT"), 1), Map.of("a", 95), 0, 0));
    assertEquals(95, gauge("heady.node.reliability", "node", "a"));
    assertNull(registry.find("heady.node.reliability").tags("node", "b").gauge());
    assertEquals(1, gauge("heady.nodes", "status", "active", "tier", "LIGHT"));
    gauges.update(snapshot(Map.of(), Map.of(), 0, 0));
    assertEquals(0, gauge("heady.nodes", "status", "active", "tier", "LIGHT"));
    assertNotNull(registry.find("heady.nodes").tags("status", "active", "tier", "LIGHT").gauge());
  }
}
