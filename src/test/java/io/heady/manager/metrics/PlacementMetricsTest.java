package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.placement.DecisionTimer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Decisions timed in, {@code heady_placement_seconds} out, with buckets fine enough for a sub-millisecond p99. */
class PlacementMetricsTest {
  @Test
  void eachDecisionIsOneObservationInTheHistogram() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    long[] now = {5_000_000_000L};
    DecisionTimer timer = PlacementMetrics.timer(registry, () -> now[0]);
    for (long micros : new long[] {120, 450, 3000}) {
      long s = timer.start();
      now[0] += micros * 1000;
      timer.stop(s);
    }
    String text = registry.scrape();
    for (String line : new String[] {
        "# TYPE heady_placement_seconds histogram",
        "heady_placement_seconds_count 3",
        "heady_placement_seconds_sum 0.00357",
        "heady_placement_seconds_bucket{le=\"1.0E-4\"} 0",
        "heady_placement_seconds_bucket{le=\"1.5E-4\"} 1",
        "heady_placement_seconds_bucket{le=\"4.0E-4\"} 1",
        "heady_placement_seconds_bucket{le=\"5.0E-4\"} 2",
        "heady_placement_seconds_bucket{le=\"0.0025\"} 2",
        "heady_placement_seconds_bucket{le=\"0.003\"} 3",
        "heady_placement_seconds_bucket{le=\"+Inf\"} 3"}) {
      assertTrue(text.contains(line), () -> "missing: " + line + "\n" + text);
    }
  }
}
