package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** A result line as a human reads it: one field a line, aligned. */
public final class BenchReport {
  private BenchReport() {}

  public static String table(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    sb.append("heady bench: ").append(SvgChart.label(r)).append('\n');
    if ("sim".equals(r.getString("kind"))) {
      field(sb, "simulated nodes", n(r.getValue("sim_nodes")) + " (http, " + n(r.getValue("slots")) + " slot each, "
          + "heartbeat every " + n(r.getValue("heartbeat_sec")) + " s)");
    } else if (r.getValue("agents") != null) {
      field(sb, "cluster", n(r.getValue("agents")) + " agents x " + n(r.getValue("slots")) + " slots = concurrency "
          + n(r.getValue("concurrency")) + " (" + store(r) + (r.getString("transport") == null ? ""
          : ", " + r.getString("transport")) + ")");
    } else {
      field(sb, "cluster", n(r.getValue("nodes")) + " nodes, " + n(r.getValue("concurrency")) + " slots in all ("
          + store(r) + ")");
    }
    field(sb, "tasks", n(r.getValue("tasks")) + " " + r.getString("kind") + " (warm-up " + n(r.getValue("warmup"))
        + " not counted; in flight " + raw(r.getValue("in_flight")) + ", batch " + n(r.getValue("batch")) + ")");
    field(sb, "throughput", n(r.getValue("throughput_per_s")) + " tasks/s (wall " + raw(r.getValue("wall_s")) + " s)");
    field(sb, "latency ms", pct(r.getJsonObject("latency_ms")) + "  (submit -> task.succeeded event)");
    if (r.getJsonObject("start_latency_ms") != null) {
      field(sb, "start ms", pct(r.getJsonObject("start_latency_ms")) + "  (submit -> " + r.getString("start_event")
          + ")");
    }
    if (r.getJsonObject("placement_ms") != null) {
      field(sb, "placement ms", pct(r.getJsonObject("placement_ms"))
          + "  (completion sent -> next dispatch received by that node)");
    }
    JsonObject decided = r.getJsonObject("placement_decision_ms");
    if (decided != null && decided.getLong("count", 0L) > 0) {
      field(sb, "decision ms", "p50 " + n(decided.getValue("p50")) + "  p90 " + n(decided.getValue("p90"))
          + "  p99 " + n(decided.getValue("p99")) + "  mean " + n(decided.getValue("mean")) + "  (the scheduler's own "
          + "time per placement decision, heady_placement_seconds, " + n(decided.getValue("count")) + " decisions)");
    }
    if (r.getValue("heartbeats_per_s") != null) {
      field(sb, "heartbeats", n(r.getValue("heartbeats_per_s")) + "/s absorbed at saturation; "
          + n(r.getValue("heartbeats_steady_per_s")) + "/s steady during the run, latency "
          + pct(r.getJsonObject("heartbeat_latency_ms")));
    }
    if (r.getJsonObject("manager_heap_mb") != null) {
      JsonObject h = r.getJsonObject("manager_heap_mb");
      field(sb, "manager heap", "after GC: " + n(h.getValue("deep_queue")) + " MB with " + n(h.getValue("queued"))
          + " queued, " + n(h.getValue("end")) + " MB at the end");
    }
    field(sb, "lost", n(r.getValue("lost")) + (num(r, "failed") > 0 ? " (" + n(r.getValue("failed")) + " failed)" : ""));
    field(sb, "duplicates", n(r.getValue("duplicates")) + (num(r, "late_results") > 0 ? " (" + n(r.getValue(
        "late_results")) + " late results refused)" : ""));
    JsonObject rss = r.getJsonObject("rss_mb");
    if (rss != null) {
      field(sb, "rss MB", "manager " + n(rss.getValue("manager")) + ", agents " + list(rss.getJsonArray("agents"))
          + idle(r.getJsonObject("idle_rss_mb")));
    }
    JsonObject cpu = r.getJsonObject("cpu_s");
    JsonObject per = r.getJsonObject("cpu_us_per_task");
    if (cpu != null && per != null) {
      field(sb, "cpu s", "manager " + n(cpu.getValue("manager")) + ", agents " + list(cpu.getJsonArray("agents"))
          + ", bench " + n(cpu.getValue("bench")) + "  (a task: manager " + n(per.getValue("manager")) + " us, agents "
          + n(per.getValue("agents")) + " us, bench " + n(per.getValue("bench")) + " us)");
    }
    field(sb, "load average", n(r.getValue("load_avg_before")) + " before, " + n(r.getValue("load_avg_after"))
        + " after");
    return sb.toString();
  }

  /** The store and how it keeps writes, as the run knows them ({@code unknown} when it does not). */
  private static String store(JsonObject r) {
    String store = r.getString("store", ClusterFacts.UNKNOWN);
    String fsync = r.getString("fsync");
    return store + " store" + (fsync == null || "none".equals(fsync) ? "" : ", fsync " + fsync);
  }

  private static String idle(JsonObject idle) {
    if (idle == null) {
      return "";
    }
    return "  (idle: manager " + n(idle.getValue("manager")) + ", agents " + list(idle.getJsonArray("agents")) + ")";
  }

  private static String list(JsonArray a) {
    if (a == null || a.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (Object o : a) {
      sb.append(sb.length() == 0 ? "" : ", ").append(n(o));
    }
    return sb.toString();
  }

  private static String pct(JsonObject p) {
    if (p == null) {
      return "-";
    }
    return "p50 " + n(p.getValue("p50")) + "  p90 " + n(p.getValue("p90")) + "  p99 " + n(p.getValue("p99"))
        + "  max " + n(p.getValue("max"));
  }

  private static double num(JsonObject r, String k) {
    return r.getValue(k) instanceof Number x ? x.doubleValue() : 0;
  }

  /** A value as it is, or {@code -} when the run has none (never "null"). */
  private static String raw(Object v) {
    return v == null ? "-" : String.valueOf(v);
  }

  static String n(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (d >= 1000) {
        return String.format(Locale.ROOT, "%,.0f", d);
      }
      return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d)
          .replaceAll("0$", "");
    }
    if (v instanceof Number x) {
      return String.format(Locale.ROOT, "%,d", x.longValue());
    }
    return String.valueOf(v);
  }

  private static void field(StringBuilder sb, String k, String v) {
    sb.append(String.format(Locale.ROOT, "  %-14s %s%n", k, v));
  }
}
