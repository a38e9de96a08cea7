package io.heady.manager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.Predicate;

/**
 * Turns the scheduler's events into task metrics. Every event is counted by its type; task events also feed
 * the submitted and finished counters (by task type, priority and end state) and the queue-wait,
 * dispatch-latency and duration histograms; the event that ends an attempt ({@code task.retrying} or the task's
 * end) feeds what the attempt used ({@link UsageMetrics}).
 *
 * <p>The {@code type} label is the task type when the routing policy knows it and {@value #OTHER} otherwise,
 * so free-form types cannot grow the number of series without bound.
 */
public final class TaskMetrics {
  /** The {@code type} label of task types the policy does not list. */
  public static final String OTHER = "other";
  /** The end states, as the {@code status} label of finished tasks. */
  public static final Set<String> END_STATES = Set.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  // why: home-lab work runs from a second (echo) to hours (transcodes, builds)
  static final Duration[] DURATION_BUCKETS = seconds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
      7200, 14400);
  static final Duration[] WAIT_BUCKETS = seconds(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600);
  static final Duration[] LATENCY_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10);

  private final MeterRegistry registry;
  private final Predicate<String> knownType;
  // why: a meter's builder sorts its tags and looks the meter up on every event; at thousands of events a
  // second that shows, so each series is built once and kept by its label values
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final UsageMetrics usage;

  /** @param knownType whether the routing policy lists a task type (its name is then used as a label) */
  public TaskMetrics(MeterRegistry registry, Predicate<String> knownType) {
    this.registry = registry;
    this.knownType = knownType;
    this.usage = new UsageMetrics(registry);
  }

  /** Whether an event of this type needs the task's timings (read from the scheduler) to be recorded. */
  public static boolean needsTimings(String eventType) {
    return "task.dispatched".equals(eventType) || "task.running".equals(eventType) || isEnd(eventType);
  }

  /**
   * Records one event {@code {id, type, at, data}}.
   *
   * @param timings the task's timings read right after the event, or {@link TaskTimings#NONE}
   */
  public void record(JsonObject event, TaskTimings timings) {
    String eventType = event.getString("type", "unknown");
    counter("events|" + eventType, () -> Counter.builder("heady.events")
        .description("Events published on heady.events, by event type").tag("event", eventType)).increment();
    if (!eventType.startsWith("task.")) {
      return;
    }
    JsonObject data = event.getJsonObject("data", new JsonObject());
    String type = typeLabel(data.getString("type"));
    String priority = data.getString("priority", "P2");
    TaskTimings t = timings == null ? TaskTimings.NONE : timings;
    if ((isEnd(eventType) || "task.retrying".equals(eventType)) && data.getValue("usage") instanceof JsonObject u) {
      usage.record(type, u);
    }
    if ("task.submitted".equals(eventType)) {
      counter("submitted|" + type + "|" + priority, () -> Counter.builder("heady.tasks.submitted")
          .description("Tasks accepted, by task type and priority").tag("type", type).tag("priority", priority))
          .increment();
    } else if ("task.dispatched".equals(eventType)) {
      observe("wait|" + priority, () -> Timer.builder("heady.task.queue.wait")
          .description("Time a task waited in the queue before each dispatch to a node")
          .serviceLevelObjectives(WAIT_BUCKETS).tag("priority", priority), t.queueWait());
    } else if ("task.running".equals(eventType)) {
      observe("latency", () -> Timer.builder("heady.dispatch.latency")
          .description("Time from a dispatch to the node's report that the task runs (delivery and start)")
          .serviceLevelObjectives(LATENCY_BUCKETS), t.dispatchLatency());
    } else if (isEnd(eventType)) {
      String status = eventType.substring("task.".length());
      counter("finished|" + type + "|" + status + "|" + priority, () -> Counter.builder("heady.tasks.finished")
          .description("Tasks that reached an end state").tag("type", type).tag("status", status)
          .tag("priority", priority)).increment();
      observe("duration|" + type + "|" + status, () -> Timer.builder("heady.task.duration")
          .description("Run time of a task's last attempt, as measured by the node that ran it")
          .serviceLevelObjectives(DURATION_BUCKETS).tag("type", type).tag("status", status), t.runTime());
    }
  }

  /** The {@code type} label for a task type. */
  public String typeLabel(String taskType) {
    return taskType != null && knownType.test(taskType) ? taskType : OTHER;
  }

  private Counter counter(String key, Supplier<Counter.Builder> b) {
    return counters.computeIfAbsent(key, k -> b.get().register(registry));
  }

  private void observe(String key, Supplier<Timer.Builder> b, Duration d) {
    if (d != null) {
      timers.computeIfAbsent(key, k -> b.get().register(registry)).record(d);
    }
  }

  private static boolean isEnd(String eventType) {
    return eventType.startsWith("task.") && END_STATES.contains(eventType.substring(5));
  }

  private static Duration[] seconds(double... s) {
    Duration[] out = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
    }
    return out;
  }
}
