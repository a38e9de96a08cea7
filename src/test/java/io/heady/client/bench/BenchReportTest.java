package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void tableShowsTheNumbers() {
    JsonObject r = SvgChartTest.heady().put("tasks", 20000).put("concurrency", 4).put("warmup", 2000)
        .put("batch", 500).put("wall_s", 1.667).put("lost", 0).put("duplicates", 0)
        .put("start_latency_ms", new JsonObject().put("p50", 0.5)).put("start_event", "task.running")
        .put("rss_mb", new JsonObject().put("manager", 300.5).put("agents", new io.vertx.core.json.JsonArray()
            .add(120.0).add(118.25)));
    String t = BenchReport.table(r);
    assertTrue(t.contains("12,000 tasks/s") || t.contains("12,001 tasks/s"), t);
    assertTrue(t.contains("p50 0.8"), t);
    assertTrue(t.contains("manager 300.5, agents 120, 118.25"), t);
    assertTrue(t.contains("2 agents x 2 slots = concurrency 4"), t);
  }

  @Test
  void aRunningClusterIsDescribedByWhatItReportsAndNothingReadsNull() {
    JsonObject state = new JsonObject().put("nodes", new JsonObject().put("total", 5))
        .put("compute_capacity", new JsonObject().put("slots_total", 12))
        .put("store", new JsonObject().put("kind", "redis").put("durable", true).put("fsync", "always"));
    ClusterFacts f = ClusterFacts.of(state);
    JsonObject r = new JsonObject().put("system", "heady").put("kind", "noop").put("tasks", 100).put("nodes", f.nodes())
        .put("concurrency", f.slots()).put("store", f.store()).put("fsync", f.fsync()).put("in_flight", "all");
    String t = BenchReport.table(r);
    assertTrue(t.contains("5 nodes, 12 slots in all (redis store, fsync always)"), t);
    assertTrue(t.contains("heady noop 5 nodes/12 slots redis"), t);
    assertTrue(!t.contains("null"), t);
    ClusterFacts older = ClusterFacts.of(new JsonObject().put("nodes", new JsonObject().put("total", 2)));
    assertEquals(new ClusterFacts(2, 0, "unknown", "unknown"), older, "a manager that does not say: unknown");
    assertEquals("none", ClusterFacts.of(new JsonObject().put("store", new JsonObject().put("kind", "memory")
        .put("durable", false))).fsync());
  }

  @Test
  void numbers() {
    assertEquals("-", BenchReport.n(null));
    assertEquals("1,234", BenchReport.n(1234));
    assertEquals("0.5", BenchReport.n(0.5));
    assertEquals("12", BenchReport.n(12.0));
    assertEquals("12,346", BenchReport.n(12345.6));
  }

  @Test
  void progressBarLineAndNotes() {
    assertEquals("measure  [###############...............] 50/100  1,234/s",
        ProgressBar.line("measure", 50, 100, 1234.4));
    StringWriter sw = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(sw), true);
    bar.progress("warmup", 1, 2, 0);
    bar.note("hello");
    String s = sw.toString();
    assertTrue(s.contains("warmup"), s);
    assertTrue(s.endsWith("heady bench: hello" + System.lineSeparator()), s);
  }
}
