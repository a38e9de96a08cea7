package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A histogram read back from the exposition text, two readings subtracted, quantiles as Prometheus takes them. */
class PromHistogramTest {
  private static String text(long b1, long b2, long b3, long inf, double sum) {
    return "# HELP heady_placement_seconds x\n# TYPE heady_placement_seconds histogram\n"
        + "heady_placement_seconds_bucket{le=\"1.0E-4\"} " + b1 + "\n"
        + "heady_placement_seconds_bucket{le=\"0.001\"} " + b2 + "\n"
        + "heady_placement_seconds_bucket{le=\"0.002\"} " + b3 + "\n"
        + "heady_placement_seconds_bucket{le=\"+Inf\"} " + inf + "\n"
        + "heady_placement_seconds_count " + inf + "\n"
        + "heady_placement_seconds_sum " + sum + "\n"
        + "heady_placement_seconds_max 0.003\n"
        + "heady_other_seconds_bucket{le=\"1.0\"} 7\n";
  }

  @Test
  void quantilesInterpolateWithinTheBucketThatHoldsTheRank() {
    PromHistogram h = PromHistogram.parse(text(0, 100, 200, 200, 0.2), "heady_placement_seconds");
    assertEquals(200, h.count());
    // rank 100 of 200 is the top of the (0.1 ms, 1 ms] bucket; rank 198 is 98% into (1 ms, 2 ms]
    assertEquals(0.001, h.quantile(0.5), 1e-12);
    assertEquals(0.00198, h.quantile(0.99), 1e-12);
    assertEquals(0.0001 + 0.0009 * 0.5, h.quantile(0.25), 1e-12);
    JsonObject ms = h.toJsonMs();
    assertEquals(1.0, ms.getDouble("p50"));
    assertEquals(1.98, ms.getDouble("p99"));
    assertEquals(1.0, ms.getDouble("mean"));
  }

  @Test
  void aLaterReadingLessAnEarlierOneIsWhatHappenedBetween() {
    PromHistogram before = PromHistogram.parse(text(50, 50, 50, 50, 0.001), "heady_placement_seconds");
    PromHistogram after = PromHistogram.parse(text(50, 150, 250, 260, 0.3), "heady_placement_seconds");
    PromHistogram run = after.since(before);
    assertEquals(210, run.count());
    assertEquals(0.299, run.sumSeconds(), 1e-12);
    assertEquals(0.001, run.quantile(100.0 / 210), 1e-12, "the warm-up's fast ones are gone");
    assertEquals(0.002, run.quantile(0.99), 1e-12, "the rank falls in +Inf: the highest finite bound");
  }

  @Test
  void aMetricTheTextLacksIsEmpty() {
    assertSame(PromHistogram.EMPTY, PromHistogram.parse(text(1, 1, 1, 1, 0), "heady_absent_seconds"));
    assertSame(PromHistogram.EMPTY, PromHistogram.parse(null, "heady_placement_seconds"));
    assertEquals(0, PromHistogram.EMPTY.toJsonMs().getLong("count"));
    assertTrue(Double.isNaN(PromHistogram.EMPTY.quantile(0.5)));
  }
}
