package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Results as one Markdown table (heady's lines, the Celery peer's and the spawn baseline's alike): what
 * {@code BENCHMARKS.md} shows and {@code bench/reproduce.sh} prints.
 */
public final class MarkdownTable {
  private MarkdownTable() {}

  public static String render(List<JsonObject> runs) {
    StringBuilder sb = new StringBuilder();
    sb.append("| run | tasks | concurrency | tasks/s | p50 ms | p90 ms | p99 ms | max ms | lost | dup | memory MB |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JsonObject r : runs) {
      JsonObject lat = r.getJsonObject("latency_ms", new JsonObject());
      sb.append("| ").append(SvgChart.label(r).replace("|", "/"))
          .append(" | ").append(BenchReport.n(r.getValue("tasks")))
          .append(" | ").append(concurrency(r))
          .append(" | ").append(BenchReport.n(r.getValue("throughput_per_s")))
          .append(" | ").append(BenchReport.n(lat.getValue("p50")))
          .append(" | ").append(BenchReport.n(lat.getValue("p90")))
          .append(" | ").append(BenchReport.n(lat.getValue("p99")))
          .append(" | ").append(BenchReport.n(lat.getValue("max")))
          .append(" | ").append(BenchReport.n(r.getValue("lost")))
          .append(" | ").append(BenchReport.n(r.getValue("duplicates")))
          .append(" | ").append(memory(r))
          .append(" |\n");
    }
    return sb.toString();
  }

  static String concurrency(JsonObject r) {
    if ("celery-redis".equals(r.getString("system"))) {
      Object w = r.getValue("workers");
      Object c = r.getValue("concurrency");
      return w instanceof Number wn && c instanceof Number cn ? Long.toString(wn.longValue() * cn.longValue()) : "-";
    }
    return BenchReport.n(r.getValue("concurrency"));
  }

  /** Resident memory: heady's manager and agents, Celery's workers (main process and pool, each). */
  static String memory(JsonObject r) {
    JsonObject rss = r.getJsonObject("rss_mb");
    if (rss != null) {
      StringBuilder sb = new StringBuilder();
      if (rss.getValue("manager") != null) {
        sb.append("manager ").append(BenchReport.n(rss.getValue("manager")));
      }
      JsonArray a = rss.getJsonArray("agents", new JsonArray());
      if (!a.isEmpty()) {
        sb.append(sb.length() > 0 ? ", " : "").append("agents");
        for (Object o : a) {
          sb.append(' ').append(BenchReport.n(o));
        }
      }
      JsonObject idle = r.getJsonObject("idle_rss_mb");
      if (idle != null && !idle.getJsonArray("agents", new JsonArray()).isEmpty()) {
        sb.append(" (idle agents");
        for (Object o : idle.getJsonArray("agents")) {
          sb.append(' ').append(BenchReport.n(o));
        }
        sb.append(')');
      }
      return sb.length() == 0 ? "-" : sb.toString();
    }
    JsonArray w = r.getJsonArray("worker_rss_kb");
    if (w != null) {
      StringBuilder sb = new StringBuilder("workers");
      for (Object o : w) {
        sb.append(' ').append(o instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue() / 1024) : "-");
      }
      return sb.toString();
    }
    return "-";
  }
}
