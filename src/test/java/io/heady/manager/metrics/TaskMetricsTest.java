package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events in, Prometheus series out: the mapping the dashboard's metrics rest on. */
class TaskMetricsTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private PrometheusMeterRegistry registry;
  private TaskMetrics metrics;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = new TaskMetrics(registry, Set.of("shell", "transcode")::contains);
  }

  private static JsonObject event(String type, String taskType, String priority) {
    return new JsonObject().put("id", 1).put("type", type).put("at", T0.toString())
        .put("data", new JsonObject().put("task_id", "t-1").put("type", taskType).put("priority", priority)
            .put("status", type.substring(type.indexOf('.') + 1)));
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private Timer timer(String name, String... tags) {
    return registry.find(name).tags(tags).timer();
  }

  @Test
  void submittedAndFinishedAreCountedByTypePriorityAndStatus() {
    metrics.record(event("task.submitted", "shell", "P1"), TaskTimings.NONE);
    metrics.record(event("task.submitted", "shell", "P1"), TaskTimings.NONE);
    metrics.record(event("task.submitted", "transcode", "P3"), TaskTimings.NONE);
    metrics.record(event("task.succeeded", "shell", "P1"), TaskTimings.NONE);
    metrics.record(event("task.failed", "transcode", "P3"), TaskTimings.NONE);
    metrics.record(event("task.skipped", "shell", "P1"), TaskTimings.NONE);

    assertEquals(2, counter("heady.tasks.submitted", "type", "shell", "priority", "P1"));
    assertEquals(1, counter("heady.tasks.submitted", "type", "transcode", "priority", "P3"));
    assertEquals(1, counter("heady.tasks.finished", "type", "shell", "status", "succeeded", "priority", "P1"));
    assertEquals(1, counter("heady.tasks.finished", "type", "transcode", "status", "failed", "priority", "P3"));
    assertEquals(1, counter("heady.tasks.finished", "type", "shell", "status", "skipped", "priority", "P1"));
    assertEquals(3, counter("heady.events", "event", "task.submitted"));
  }

  @Test
  void unknownTaskTypesShareOneLabelValue() {
    metrics.record(event("task.submitted", "my-own-thing-42", "P2"), TaskTimings.NONE);
    metrics.record(event("task.submitted", "another", "P2"), TaskTimings.NONE);
    assertEquals(2, counter("heady.tasks.submitted", "type", TaskMetrics.OTHER, "priority", "P2"));
    assertEquals("shell", metrics.typeLabel("shell"));
    assertEquals(TaskMetrics.OTHER, metrics.typeLabel(null));
  }

  @Test
  void queueWaitDispatchLatencyAndDurationComeFromTheTimings() {
    TaskTimings dispatched = new TaskTimings(T0, T0.plusMillis(1500), null, null, null);
    metrics.record(event("task.dispatched", "shell", "P2"), dispatched);
    TaskTimings running = new TaskTimings(T0, T0.plusMillis(1500), T0.plusMillis(1520), null, null);
    metrics.record(event("task.running", "shell", "P2"), running);
    TaskTimings done = new TaskTimings(T0, T0.plusMillis(1500), T0.plusMillis(1520), T0.plusMillis(9000), 7000L);
    metrics.record(event("task.succeeded", "shell", "P2"), done);

    Timer wait = timer("heady.task.queue.wait", "priority", "P2");
    assertEquals(1, wait.count());
    assertEquals(1500, wait.totalTime(TimeUnit.MILLISECONDS), 0.001);
    Timer latency = timer("heady.dispatch.latency");
    assertEquals(20, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
    Timer run = timer("heady.task.duration", "type", "shell", "status", "succeeded");
    assertEquals(7000, run.totalTime(TimeUnit.MILLISECONDS), 0.001, "the node's own measure wins");
  }

  @Test
  void withoutAMeasureTheAttemptsStartAndEndGiveTheDuration() {
    TaskTimings cancelled = new TaskTimings(T0, T0, T0.plusSeconds(1), T0.plusSeconds(4), null);
    metrics.record(event("task.cancelled", "shell", "P2"), cancelled);
    assertEquals(3000, timer("heady.task.duration", "status", "cancelled").totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void unknownOrInconsistentTimingsRecordNothing() {
    metrics.record(event("task.dispatched", "shell", "P2"), TaskTimings.NONE);
    metrics.record(event("task.running", "shell", "P2"), null);
    // requeued between the event and the read: the queue time is after the dispatch, so it is not a wait
    metrics.record(event("task.dispatched", "shell", "P2"), new TaskTimings(T0.plusSeconds(5), T0, null, null, null));
    metrics.record(event("task.skipped", "shell", "P2"), TaskTimings.NONE);
    assertNull(timer("heady.task.queue.wait"));
    assertNull(timer("heady.dispatch.latency"));
    assertNull(timer("heady.task.duration"));
    assertEquals(1, counter("heady.tasks.finished", "status", "skipped"), "still counted as finished");
  }

  @Test
  void nodeAndWatchdogEventsAreCountedOnlyAsEvents() {
    metrics.record(new JsonObject().put("id", 2).put("type", "node.stale").put("at", T0.toString())
        .put("data", new JsonObject().put("node_id", "n1")), TaskTimings.NONE);
    metrics.record(new JsonObject().put("id", 3).put("type", "watchdog.queue_stalled").put("at", T0.toString())
        .put("data", new JsonObject().put("queued", 3)), TaskTimings.NONE);
    assertEquals(1, counter("heady.events", "event", "node.stale"));
    assertEquals(1, counter("heady.events", "event", "watchdog.queue_stalled"));
    assertTrue(registry.find("heady.tasks.submitted").counters().isEmpty());
  }

  @Test
  void whichEventsNeedTimings() {
    assertTrue(TaskMetrics.needsTimings("task.dispatched"));
    assertTrue(TaskMetrics.needsTimings("task.running"));
    assertTrue(TaskMetrics.needsTimings("task.timed_out"));
    assertFalse(TaskMetrics.needsTimings("task.submitted"));
    assertFalse(TaskMetrics.needsTimings("task.requeued"));
    assertFalse(TaskMetrics.needsTimings("node.active"));
  }

  @Test
  void prometheusNamesFollowTheConventions() {
    metrics.record(event("task.submitted", "shell", "P2"), TaskTimings.NONE);
    TaskTimings done = new TaskTimings(T0, T0.plusMillis(10), T0.plusMillis(20), T0.plusMillis(90), 70L);
    metrics.record(event("task.dispatched", "shell", "P2"), done);
    metrics.record(event("task.running", "shell", "P2"), done);
    metrics.record(event("task.succeeded", "shell", "P2"), done);
    String text = registry.scrape();
    for (String line : new String[] {
        "# TYPE heady_tasks_submitted_total counter",
        "# TYPE heady_tasks_finished_total counter",
        "# TYPE heady_task_duration_seconds histogram",
        "# TYPE heady_task_queue_wait_seconds histogram",
        "# TYPE heady_dispatch_latency_seconds histogram",
        "# TYPE heady_events_total counter",
        "heady_tasks_submitted_total{priority=\"P2\",type=\"shell\"} 1.0",
        "heady_tasks_finished_total{priority=\"P2\",status=\"succeeded\",type=\"shell\"} 1.0",
        "heady_task_duration_seconds_bucket{status=\"succeeded\",type=\"shell\",le=\"0.1\"} 1",
        "heady_task_queue_wait_seconds_count{priority=\"P2\"} 1"}) {
      assertTrue(text.contains(line), () -> "missing: " + line + "\n" + text);
    }
    for (String l : text.lines().filter(l -> l.startsWith("# TYPE heady_")).toList()) {
      String name = l.split(" ")[2];
      assertTrue(text.contains("# HELP " + name + " "), "every heady metric has help text: " + name);
    }
  }

  private static JsonObject withUsage(JsonObject event, double user, double sys, long peak, long read, long write) {
    event.getJsonObject("data").put("usage", new JsonObject().put("cpu_user_sec", user).put("cpu_system_sec", sys)
        .put("peak_memory_bytes", peak).put("read_bytes", read).put("write_bytes", write));
    return event;
  }

  @Test
  void whatAttemptsUsedIsCountedByTypeFromTheEventsThatEndThem() {
    metrics.record(withUsage(event("task.retrying", "shell", "P2"), 1.5, 0.25, 64L << 20, 1000, 2000),
        TaskTimings.NONE);
    metrics.record(withUsage(event("task.failed", "shell", "P2"), 2.0, 0.5, 300L << 20, 10, -1), TaskTimings.NONE);
    metrics.record(withUsage(event("task.succeeded", "my-own", "P2"), 0.5, -1, -1, -1, -1), TaskTimings.NONE);
    // an event that does not end an attempt counts nothing, whatever it carries
    metrics.record(withUsage(event("task.running", "shell", "P2"), 100, 100, 1, 1, 1), TaskTimings.NONE);

    assertEquals(3.5, counter("heady.task.cpu", "type", "shell", "mode", "user"), 1e-9);
    assertEquals(0.75, counter("heady.task.cpu", "type", "shell", "mode", "system"), 1e-9);
    assertEquals(1010, counter("heady.task.io", "type", "shell", "direction", "read"), 1e-9);
    assertEquals(2000, counter("heady.task.io", "type", "shell", "direction", "write"), 1e-9, "-1 adds nothing");
    var peak = registry.find("heady.task.peak.memory").tags("type", "shell").summary();
    assertEquals(2, peak.count());
    assertEquals(300L << 20, peak.max(), 1e-9);
    assertEquals(0.5, counter("heady.task.cpu", "type", TaskMetrics.OTHER, "mode", "user"), 1e-9,
        "unlisted types share one label, here too");
    assertNull(registry.find("heady.task.cpu").tags("type", TaskMetrics.OTHER, "mode", "system").counter(),
        "an unmeasured part makes no series");
    assertNull(registry.find("heady.task.peak.memory").tags("type", TaskMetrics.OTHER).summary());
  }

  @Test
  void anAttemptWithoutUsageAddsNothing() {
    metrics.record(event("task.succeeded", "shell", "P2"), TaskTimings.NONE);
    metrics.record(event("task.retrying", "shell", "P2"), TaskTimings.NONE);
    assertTrue(registry.find("heady.task.cpu").counters().isEmpty());
    assertTrue(registry.find("heady.task.io").counters().isEmpty());
    assertTrue(registry.find("heady.task.peak.memory").summaries().isEmpty());
  }

  @Test
  void usageSeriesAreNamedAsPrometheusExpectsAndPassPromtool(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    metrics.record(withUsage(event("task.succeeded", "shell", "P2"), 1.25, 0.5, 80L << 20, 4096, 1 << 20),
        TaskTimings.NONE);
    metrics.record(withUsage(event("task.failed", "transcode", "P1"), 30, 2, 3L << 30, 1L << 30, 1L << 29),
        TaskTimings.NONE);
    String text = registry.scrape();
    for (String line : new String[] {
        "# TYPE heady_task_cpu_seconds_total counter",
        "# TYPE heady_task_io_bytes_total counter",
        "# TYPE heady_task_peak_memory_bytes histogram",
        "heady_task_cpu_seconds_total{mode=\"user\",type=\"shell\"} 1.25",
        "heady_task_cpu_seconds_total{mode=\"system\",type=\"transcode\"} 2.0",
        "heady_task_io_bytes_total{direction=\"write\",type=\"shell\"} 1048576.0",
        "heady_task_peak_memory_bytes_bucket{type=\"shell\",le=\"6.7108864E7\"} 0",
        "heady_task_peak_memory_bytes_bucket{type=\"shell\",le=\"2.68435456E8\"} 1",
        "heady_task_peak_memory_bytes_count{type=\"transcode\"} 1"}) {
      assertTrue(text.contains(line), () -> "missing: " + line + "\n" + text);
    }
    String promtool = onPath("promtool");
    if (promtool == null) {
      org.junit.jupiter.api.Assertions.fail("promtool is missing: apt-get install -y prometheus (.ci/run installs it)");
    }
    java.nio.file.Path file = dir.resolve("usage.prom");
    java.nio.file.Files.writeString(file, text);
    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true)
        .redirectInput(file.toFile()).start();
    String lint = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), () -> "promtool check metrics:\n" + lint + "\n" + text);
  }

  private static String onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      java.nio.file.Path p = java.nio.file.Path.of(d, name);
      if (java.nio.file.Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
