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
}
