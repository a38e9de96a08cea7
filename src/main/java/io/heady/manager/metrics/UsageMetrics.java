package io.heady.manager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What tasks used on their nodes, by task type: CPU seconds (user and system), peak memory per attempt, and
 * bytes read and written. Fed with the {@code usage} a node reported for each attempt that ended (carried by
 * the event that ends it: {@code task.retrying} or the task's end). A measure the node could not take (-1) is
 * left out, so an unmeasured attempt adds nothing.
 *
 * <p>Series are bounded: the {@code type} label is already bounded by {@link TaskMetrics#typeLabel}, {@code mode}
 * is {@code user} or {@code system}, {@code direction} is {@code read} or {@code write}.
 */
final class UsageMetrics {
  // why: from a shell one-liner (a few MiB) to a transcode or a build that takes most of a big node
  static final double[] MEMORY_BUCKETS = mib(1, 4, 16, 64, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

  UsageMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Adds one attempt's {@code usage} object (the wire form of {@code Usage}) for a task type label. */
  void record(String type, JsonObject usage) {
    cpu(type, "user", number(usage, "cpu_user_sec"));
    cpu(type, "system", number(usage, "cpu_system_sec"));
    io(type, "read", number(usage, "read_bytes"));
    io(type, "write", number(usage, "write_bytes"));
    double peak = number(usage, "peak_memory_bytes");
    if (peak >= 0) {
      summaries.computeIfAbsent(type, k -> DistributionSummary.builder("heady.task.peak.memory")
          .description("The most memory one attempt of a task held at once, as its node measured it")
          .baseUnit("bytes").serviceLevelObjectives(MEMORY_BUCKETS).tag("type", type).register(registry))
          .record(peak);
    }
  }

  private void cpu(String type, String mode, double seconds) {
    add("cpu|" + type + "|" + mode, seconds, () -> Counter.builder("heady.task.cpu")
        .description("CPU time that tasks used on their nodes, in user mode or in the kernel on their behalf")
        .baseUnit("seconds").tag("type", type).tag("mode", mode));
  }

  private void io(String type, String direction, double bytes) {
    add("io|" + type + "|" + direction, bytes, () -> Counter.builder("heady.task.io")
        .description("Bytes that tasks read from or wrote to storage on their nodes")
        .baseUnit("bytes").tag("type", type).tag("direction", direction));
  }

  private void add(String key, double amount, Supplier<Counter.Builder> b) {
    if (amount >= 0) {
      counters.computeIfAbsent(key, k -> b.get().register(registry)).increment(amount);
    }
  }

  private static double number(JsonObject j, String key) {
    return j.getValue(key) instanceof Number n ? n.doubleValue() : -1;
  }

  private static double[] mib(double... m) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i] * 1024 * 1024;
    }
    return out;
  }
}
