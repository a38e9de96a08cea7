package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.vertx.core.json.JsonObject;
import java.util.StringJoiner;
import picocli.CommandLine.Command;

/** {@code heady status}: the cluster at a glance. */
@Command(name = "status", description = "The cluster at a glance: nodes, capacity, queue, task counters.")
final class StatusCommand extends SubCommand {
  @Override
  public Integer call() {
    JsonObject s = client().get(ApiPaths.STATE);
    if (json()) {
      top.printJson(s);
      return ExitCodes.OK;
    }
    top.print(render(s, top.config().url()));
    return ExitCodes.OK;
  }

  static String render(JsonObject s, String url) {
    StringBuilder sb = new StringBuilder();
    JsonObject nodes = obj(s, "nodes");
    JsonObject cap = obj(s, "compute_capacity");
    JsonObject queue = obj(s, "queue");
    JsonObject m = obj(s, "metrics");
    Render.field(sb, "manager", url);
    Render.field(sb, "nodes", Render.number(nodes.getValue("total")) + " total: " + nonZero(obj(nodes, "by_status"))
        + "; tiers " + all(obj(nodes, "by_tier")));
    Render.field(sb, "capacity", Render.number(cap.getValue("cpu_cores")) + " cores, "
        + Render.gb(num(cap, "ram_gb")) + " RAM" + (num(cap, "gpu_vram_gb") > 0 ? ", "
            + Render.gb(num(cap, "gpu_vram_gb")) + " GPU memory" : "")
        + "; slots " + Render.number(cap.getValue("slots_used")) + "/" + Render.number(cap.getValue("slots_total"))
        + " used (" + Render.number(cap.getValue("utilization_pct")) + "%)");
    Render.field(sb, "queue", Render.number(queue.getValue("depth")) + " queued (" + all(obj(queue, "by_priority"))
        + ")" + (num(queue, "delayed") > 0 ? ", " + Render.number(queue.getValue("delayed")) + " waiting to retry"
            : ""));
    Render.field(sb, "tasks", "submitted " + Render.number(m.getValue("submitted")) + ", completed "
        + Render.number(m.getValue("completed")) + ", failed " + Render.number(m.getValue("failed")) + ", cancelled "
        + Render.number(m.getValue("cancelled")) + ", requeued " + Render.number(m.getValue("requeued"))
        + ", failovers " + Render.number(m.getValue("failovers")) + "; average "
        + Durations.format((long) num(m, "avg_task_duration_ms")));
    Render.field(sb, "reliability", "average " + Render.number(s.getValue("avg_reliability")));
    return sb.toString();
  }

  private static JsonObject obj(JsonObject j, String k) {
    return j.getValue(k) instanceof JsonObject o ? o : new JsonObject();
  }

  private static double num(JsonObject j, String k) {
    return j.getValue(k) instanceof Number n ? n.doubleValue() : 0;
  }

  private static String nonZero(JsonObject counts) {
    StringJoiner sj = new StringJoiner(", ");
    counts.forEach(e -> {
      if (e.getValue() instanceof Number n && n.doubleValue() > 0) {
        sj.add(Render.number(n) + " " + e.getKey());
      }
    });
    return sj.length() == 0 ? "none" : sj.toString();
  }

  private static String all(JsonObject counts) {
    StringJoiner sj = new StringJoiner(", ");
    counts.forEach(e -> sj.add(e.getKey() + " " + Render.number(e.getValue())));
    return sj.toString();
  }
}
