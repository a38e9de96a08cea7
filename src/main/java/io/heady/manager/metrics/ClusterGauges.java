package io.heady.manager.metrics;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.node.Tier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's gauges, set from {@link ClusterSnapshot}s. Every status and tier pair and every priority has a
 * series from the start (zero until seen), so an alert on "no active node" has a series to look at; per-node
 * reliability series come and go with the nodes.
 */
public final class ClusterGauges {
  private final Map<String, AtomicInteger> nodes = new LinkedHashMap<>();
  private final Map<Priority, AtomicInteger> queue = new EnumMap<>(Priority.class);
  private final AtomicInteger delayed = new AtomicInteger();
  private final AtomicInteger slotsTotal = new AtomicInteger();
  private final AtomicInteger slotsUsed = new AtomicInteger();
  private final MultiGauge reliability;
  private volatile JsonObject counters = new JsonObject();

  public ClusterGauges(MeterRegistry registry) {
    for (NodeStatus s : NodeStatus.values()) {
      for (Tier t : Tier.values()) {
        AtomicInteger v = new AtomicInteger();
        nodes.put(ClusterSnapshot.key(s.wire(), t.name()), v);
        Gauge.builder("heady.nodes", v, AtomicInteger::get).description("Nodes, by status and tier")
            .tag("status", s.wire()).tag("tier", t.name()).register(registry);
      }
    }
    for (Priority p : Priority.values()) {
      AtomicInteger v = new AtomicInteger();
      queue.put(p, v);
      Gauge.builder("heady.queue.depth", v, AtomicInteger::get)
          .description("Queued tasks ready to be placed, by priority").tag("priority", p.name()).register(registry);
    }
    Gauge.builder("heady.queue.delayed", delayed, AtomicInteger::get)
        .description("Queued tasks waiting out a retry back-off").register(registry);
    Gauge.builder("heady.slots.capacity", slotsTotal, AtomicInteger::get)
        .description("Task slots of the nodes that are up (active or draining)").register(registry);
    Gauge.builder("heady.slots.used", slotsUsed, AtomicInteger::get)
        .description("Tasks dispatched to or running on nodes").register(registry);
    reliability = MultiGauge.builder("heady.node.reliability")
        .description("A node's reliability score, 0 to 100 (below 30 it is quarantined)").register(registry);
    counter(registry, "heady.task.failovers", "failovers",
        "Dispatches that went to another node because the first refused or could not be reached");
    counter(registry, "heady.task.requeues", "requeued", "Attempts lost with their node and queued again");
    counter(registry, "heady.task.late.results", "late_results",
        "Results from revoked leases: recorded, never counted");
  }

  private void counter(MeterRegistry registry, String name, String field, String help) {
    // why: the scheduler owns these counts (and restores them from the store); the meter only reads them
    FunctionCounter.builder(name, this, g -> g.counters.getLong(field, 0L)).description(help).register(registry);
  }

  /** Sets every gauge from a snapshot; nodes no longer in it lose their reliability series. */
  public synchronized void update(ClusterSnapshot s) {
    nodes.forEach((k, v) -> v.set(s.nodes().getOrDefault(k, 0)));
    queue.forEach((p, v) -> v.set(s.queue().getOrDefault(p, 0)));
    delayed.set(s.delayed());
    slotsTotal.set(s.slotsTotal());
    slotsUsed.set(s.slotsUsed());
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    s.reliability().forEach((node, score) -> rows.add(MultiGauge.Row.of(Tags.of("node", node), score)));
    reliability.register(rows, true);
    counters = s.counters() == null ? new JsonObject() : s.counters();
  }
}
