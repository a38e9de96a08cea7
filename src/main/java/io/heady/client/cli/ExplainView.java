package io.heady.client.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.StringJoiner;

/**
 * {@code heady explain TASK}: the manager's explanation in words. A task not on a node shows what it needs and,
 * per node, every check that fails (or the score); a placed task shows where it went and the placement recorded
 * when it was dispatched.
 */
final class ExplainView {
  private ExplainView() {}

  /** The answer of {@code GET /api/cluster/tasks/:id/explain}. */
  static String task(JsonObject x) {
    StringBuilder sb = head(x.getString("task_id"), x.getString("type"), x.getString("priority"),
        x.getString("status"));
    sb.append(x.getString("summary", "")).append('\n');
    if (x.getValue("requirements") instanceof JsonObject r) {
      Render.field(sb, "needs", needs(r));
    }
    if (x.getValue("nodes") instanceof JsonArray nodes) {
      sb.append(Boolean.TRUE.equals(x.getBoolean("fallback"))
          ? "weighed now against every node (the cloud failover pass: no physical node can take it):\n"
          : "weighed now against every node:\n");
      sb.append(Render.indent(nodes(nodes)));
      if (x.getValue("last_placement") instanceof JsonObject last
          && last.getValue("explain") instanceof JsonArray e && !e.isEmpty()) {
        sb.append("earlier placement (attempt ").append(last.getValue("attempt")).append(", on ")
            .append(last.getString("node_name", last.getString("node_id"))).append("):\n")
            .append(Render.indent(Render.explain(e)));
      }
    } else if (x.getValue("explain") instanceof JsonArray e && !e.isEmpty()) {
      sb.append("placement when it was dispatched:\n").append(Render.indent(Render.explain(e)));
    }
    return sb.toString();
  }

  /** A task only the store still holds: its recorded placement, if it had one. */
  static String stored(JsonObject t) {
    StringBuilder sb = head(t.getString("task_id"), t.getString("type"), t.getString("priority"),
        t.getString("status"));
    if (t.getValue("explain") instanceof JsonArray e && !e.isEmpty()) {
      sb.append("ran on ").append(t.getString("node_name", t.getString("node_id"))).append('\n')
          .append("placement when it was dispatched:\n").append(Render.indent(Render.explain(e)));
    } else {
      sb.append("never placed: no placement was recorded (it never reached a node)\n");
    }
    return sb.toString();
  }

  private static StringBuilder head(String id, String type, String priority, String status) {
    return new StringBuilder("task ").append(id).append(" (").append(type).append(", ").append(priority)
        .append("): ").append(status).append('\n');
  }

  /** {@code "64 cores, 8 GB RAM, a GPU, arch x86_64, capabilities docker, labels site=home, node rpi4"}. */
  static String needs(JsonObject r) {
    StringJoiner sj = new StringJoiner(", ");
    sj.add(r.getString("location", "?"));
    if (r.getValue("cores") instanceof Number n && n.intValue() > 0) {
      sj.add(Render.number(n) + (n.intValue() == 1 ? " core" : " cores"));
    }
    if (r.getValue("ram_gb") instanceof Number n && n.doubleValue() > 0) {
      sj.add(Render.gb(n.doubleValue()) + " RAM");
    }
    if (Boolean.TRUE.equals(r.getBoolean("gpu"))) {
      sj.add("a GPU");
    }
    if (r.getString("arch") != null) {
      sj.add("arch " + r.getString("arch"));
    }
    if (r.getValue("capabilities") instanceof JsonArray a && !a.isEmpty()) {
      sj.add("capabilities " + String.join(" ", a.stream().map(String::valueOf).toList()));
    }
    if (r.getValue("labels") instanceof JsonObject l && !l.isEmpty()) {
      java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
      l.forEach(x -> m.put(x.getKey(), String.valueOf(x.getValue())));
      sj.add("labels " + Render.pairs(m));
    }
    if (r.getString("node") != null) {
      sj.add("pinned to " + r.getString("node"));
    }
    if (r.getValue("min_reliability") instanceof Number n) {
      sj.add("reliability >= " + Render.number(n));
    }
    return sj.toString();
  }

  /** Per node: every failing check in the check's words, or the score and its parts. */
  static String nodes(JsonArray nodes) {
    if (nodes.isEmpty()) {
      return "no nodes are registered\n";
    }
    Table t = new Table("NODE", "TIER", "RESULT", "WHY");
    for (Object o : nodes) {
      if (!(o instanceof JsonObject e)) {
        continue;
      }
      String name = e.getString("node_id") + (e.getString("name") != null
          && !e.getString("name").equals(e.getString("node_id")) ? " (" + e.getString("name") + ")" : "");
      if (Boolean.TRUE.equals(e.getBoolean("eligible"))) {
        String result = Boolean.TRUE.equals(e.getBoolean("best")) ? "best"
            : Boolean.TRUE.equals(e.getBoolean("avoided")) ? "avoided" : "fits";
        t.row(name, e.getString("tier"), result, Render.score(e));
        continue;
      }
      StringJoiner why = new StringJoiner("; ");
      if (e.getValue("failed") instanceof JsonArray f) {
        for (Object c : f) {
          if (c instanceof JsonObject check) {
            why.add(check.getString("check") + ": " + check.getString("reason"));
          }
        }
      }
      t.row(name, e.getString("tier"), "no", why.toString());
    }
    return t.render();
  }
}
