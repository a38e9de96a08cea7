package io.heady.manager.metrics;

import io.heady.manager.placement.DecisionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@code heady_placement_seconds} histogram: how long each placement decision of the scheduler took, the
 * search over the nodes alone (not the dispatch, the store or the delivery that follow).
 */
public final class PlacementMetrics {
  // why: a decision takes microseconds in a home lab and a few milliseconds over thousands of nodes; buckets
  // this fine read a p99 between 0.1 and 5 ms to within a tenth of a millisecond or so
  static final Duration[] BUCKETS = millis(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1,
      1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7.5, 10, 25, 50, 100, 250, 1000);

  private PlacementMetrics() {}

  /** A timer on {@link System#nanoTime()} that records into the registry's placement histogram. */
  public static DecisionTimer timer(MeterRegistry registry) {
    return timer(registry, System::nanoTime);
  }

  /** A timer on the given nanosecond source that records into the registry's placement histogram. */
  public static DecisionTimer timer(MeterRegistry registry, LongSupplier nanoTime) {
    Timer t = Timer.builder("heady.placement")
        .description("Time the scheduler took to decide where one task goes (or that it must wait)")
        .serviceLevelObjectives(BUCKETS).register(registry);
    return new DecisionTimer(nanoTime, nanos -> t.record(nanos, TimeUnit.NANOSECONDS));
  }

  private static Duration[] millis(double... ms) {
    Duration[] out = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = Duration.ofNanos(Math.round(ms[i] * 1e6));
    }
    return out;
  }
}
