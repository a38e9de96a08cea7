package io.heady.client.cli;

import io.heady.client.NodeInfo;
import io.heady.client.Submission;
import io.heady.client.TaskInfo;
import io.heady.client.TaskResult;
import io.heady.client.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The human views of API documents: tables and short lines. */
final class Render {
  private Render() {}

  /** {@code run} without {@code --wait}: the task id first (scripts can cut it), then where it went. */
  static String submitted(Submission s) {
    StringBuilder sb = new StringBuilder(s.taskId()).append("  ").append(s.status().wire());
    if (s.routed() && (s.nodeName() != null || s.nodeId() != null)) {
      sb.append(" on ").append(s.nodeName() != null ? s.nodeName() : s.nodeId());
    }
    if (s.waitingReason() != null) {
      sb.append(": ").append(s.waitingReason());
    }
    if (!s.created()) {
      sb.append(" (already submitted with this id)");
    }
    return sb.toString();
  }

  /** One line for a task that did not succeed with its own exit code. */
  static String unsuccessful(TaskResult r) {
    String words = r.status().wire().replace('_', ' ');
    StringBuilder sb = new StringBuilder("task ").append(r.taskId()).append(' ').append(words);
    if (r.nodeId() != null) {
      sb.append(" on ").append(r.nodeId());
    }
    if (r.status() == TaskStatus.TIMED_OUT && r.durationMs() > 0) {
      sb.append(" after ").append(Durations.format(r.durationMs()));
    }
    if (r.reason() != null && !r.reason().isBlank() && !r.reason().equalsIgnoreCase(words)) {
      sb.append(": ").append(r.reason());
    }
    return sb.toString();
  }

  static String nodes(List<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return "no nodes are registered (start an agent: heady --role=agent --manager=URL --token-file=JOIN_TOKEN_FILE)\n";
    }
    boolean names = nodes.stream().anyMatch(n -> n.name() != null && !n.name().equals(n.nodeId()));
    Table t = new Table("NODE", "NAME", "TIER", "STATUS", "LOCATION", "CORES", "RAM", "GPU", "RUN/MAX", "REL",
        "CPU%", "LABELS").right(5, 6, 8, 9, 10);
    for (NodeInfo n : nodes) {
      t.row(n.nodeId(), n.name() != null && !n.name().equals(n.nodeId()) ? n.name() : "", n.tier(),
          n.status() + (n.drain() && !"draining".equals(n.status()) ? " (drain)" : "") + refusingMark(n),
          n.location(),
          n.cpuCores(), gb(n.ramGb()), n.gpuModel() == null ? "" : Table.cut(n.gpuModel(), 24),
          n.running() + "/" + n.maxConcurrent() + prefetchedMark(n), number(n.reliability()),
          n.cpuUsagePct() == null ? "" : number(n.cpuUsagePct()), pairs(n.labels()));
    }
    return names ? t.render() : t.withoutColumn(1).render();
  }

  /** Tasks waiting in the node's prefetch, as the table shows them: {@code "+3"}, or nothing. */
  private static String prefetchedMark(NodeInfo n) {
    int p = n.json() == null ? 0 : n.json().getValue("prefetched") instanceof Number x ? x.intValue() : 0;
    return p > 0 ? "+" + p : "";
  }

  /** What the node says it refuses, as the table shows it: {@code " (disk_full)"}, or nothing. */
  private static String refusingMark(NodeInfo n) {
    return n.json() != null && n.json().getValue("refusing") instanceof JsonObject r
        ? " (" + r.getString("reason") + ")" : "";
  }

  /** {@code heady nodes ID}: one node as labelled lines. */
  static String node(NodeInfo n) {
    JsonObject j = n.json();
    StringBuilder sb = new StringBuilder();
    field(sb, "node", n.nodeId() + (n.name() != null && !n.name().equals(n.nodeId()) ? " (" + n.name() + ")" : ""));
    field(sb, "status", n.status() + (n.drain() ? ", draining" : "") + "   tier " + n.tier() + "   " + n.location()
        + (n.transport() != null ? " via " + n.transport() : ""));
    field(sb, "hardware", n.cpuCores() + " cores, " + gb(n.ramGb()) + " RAM" + (n.gpuModel() != null ? ", "
        + n.gpuModel() + (n.gpuVramGb() > 0 ? " " + gb(n.gpuVramGb()) : "") : "") + (n.arch() != null ? ", "
        + n.arch() : "") + (n.os() != null ? ", " + n.os() : ""));
    if (j.getValue("refusing") instanceof JsonObject r) {
      field(sb, "refusing", r.getString("reason") + ": " + r.getString("message") + " (no new tasks)");
    }
    field(sb, "slots", n.running() + " of " + n.maxConcurrent() + " in use");
    if (j.getValue("prefetch") instanceof Number prefetch && prefetch.intValue() > 0) {
      field(sb, "prefetch", (j.getValue("prefetched") instanceof Number p ? p.intValue() : 0) + " of "
          + prefetch.intValue() + " quick tasks waiting");
    }
    field(sb, "load", (n.cpuUsagePct() == null ? "" : "CPU " + number(n.cpuUsagePct()) + "%")
        + (n.ramUsagePct() == null ? "" : "  RAM " + number(n.ramUsagePct()) + "%"));
    field(sb, "reliability", number(n.reliability()) + "   completed " + n.tasksCompleted() + ", failed "
        + n.tasksFailed());
    field(sb, "capabilities", String.join(", ", n.capabilities()));
    field(sb, "labels", pairs(n.labels()));
    if (j.getValue("running_task_ids") instanceof JsonArray r && !r.isEmpty()) {
      field(sb, "running", String.join(", ", r.stream().map(String::valueOf).toList()));
    }
    field(sb, "containment", ContainmentView.enforcement(j.getJsonObject("containment")));
    field(sb, "heartbeat", n.lastHeartbeat());
    return sb.toString();
  }

  static String tasks(List<TaskInfo> tasks, Instant now) {
    if (tasks.isEmpty()) {
      return "no tasks\n";
    }
    Table t = new Table("TASK", "STATUS", "TYPE", "PRI", "NODE", "EXIT", "DURATION", "AGE", "COMMAND")
        .right(5, 6, 7);
    for (TaskInfo x : tasks) {
      t.row(x.taskId(), x.status().wire(), x.type(), x.priority(), x.nodeName() != null ? x.nodeName() : x.nodeId(),
          x.exitCode(), x.durationMs() == null ? "" : Durations.format(x.durationMs()), age(x.createdAt(), now),
          Table.cut(x.command(), 48));
    }
    return t.render() + waiting(tasks);
  }

  /**
   * Why the listed tasks that are not on a node wait, each reason once with the tasks it holds back
   * ({@code "why waiting: no eligible node: 2 nodes (a, b): draining  (3 tasks: t-1, t-2, t-3)"}).
   */
  static String waiting(List<TaskInfo> tasks) {
    Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
    for (TaskInfo x : tasks) {
      if ((x.status() == TaskStatus.QUEUED || x.status() == TaskStatus.WAITING) && x.waitingReason() != null) {
        byReason.computeIfAbsent(x.waitingReason(), k -> new java.util.ArrayList<>()).add(x.taskId());
      }
    }
    StringBuilder sb = new StringBuilder();
    byReason.forEach((why, ids) -> {
      sb.append("why waiting: ").append(why).append("  (").append(ids.size() == 1 ? "" : ids.size() + " tasks: ")
          .append(String.join(", ", ids.subList(0, Math.min(3, ids.size()))))
          .append(ids.size() > 3 ? ", …" : "").append(")\n");
    });
    return sb.toString();
  }

  /** {@code heady task ID}: the record as labelled lines, its attempts and its placement. */
  static String task(TaskInfo t, Instant now) {
    JsonObject j = t.json();
    StringBuilder sb = new StringBuilder();
    field(sb, "task", t.taskId() + (t.dagId() != null ? "  (dag " + t.dagId() + ")" : ""));
    String status = t.status().wire();
    if (t.exitCode() != null) {
      status += " (exit " + t.exitCode() + ")";
    }
    field(sb, "status", status);
    field(sb, "reason", t.reason());
    if (t.status() == TaskStatus.QUEUED || t.status() == TaskStatus.WAITING) {
      field(sb, "waiting", t.waitingReason());
    }
    field(sb, "type", t.type() + "   priority " + t.priority());
    field(sb, "command", t.command());
    String node = t.nodeId() == null ? null
        : t.nodeId() + (t.nodeName() != null && !t.nodeName().equals(t.nodeId()) ? " (" + t.nodeName() + ")" : "")
            + (t.nodeTier() != null ? "  " + t.nodeTier() : "");
    field(sb, "node", node);
    field(sb, "duration", t.durationMs() == null ? null : Durations.format(t.durationMs()));
    field(sb, "created", t.createdAt() == null ? null : t.createdAt() + "  (" + age(t.createdAt(), now) + " ago)");
    field(sb, "started", t.startedAt() == null ? null : t.startedAt().toString());
    field(sb, "finished", t.finishedAt() == null ? null : t.finishedAt().toString());
    if (j.getValue("depends_on") instanceof JsonArray d && !d.isEmpty()) {
      field(sb, "depends on", String.join(", ", d.stream().map(String::valueOf).toList()));
    }
    ContainmentView.task(sb, j);
    if (j.getValue("attempts") instanceof JsonArray a && !a.isEmpty()) {
      sb.append("\nattempts\n");
      Table at = new Table("#", "NODE", "OUTCOME", "EXIT", "CPU", "PEAK MEM", "DISPATCHED", "REASON")
          .right(0, 3, 4, 5);
      for (Object o : a) {
        JsonObject x = (JsonObject) o;
        JsonObject u = x.getJsonObject("usage");
        double peak = ContainmentView.number(u, "peak_memory_bytes");
        at.row(x.getValue("attempt"), x.getString("node_id"), x.getString("outcome") == null ? "live"
            : x.getString("outcome"), x.getValue("exit_code"), ContainmentView.cpuTotal(u),
            peak < 0 ? "" : ContainmentView.bytes(peak), x.getString("dispatched_at"), x.getString("reason"));
      }
      sb.append(indent(at.render()));
    }
    if (j.getValue("explain") instanceof JsonArray e && !e.isEmpty()) {
      sb.append("\nplacement\n").append(indent(explain(e)));
    }
    sb.append("\noutput: heady logs ").append(t.taskId()).append('\n');
    return sb.toString();
  }

  /** Per node: chosen / eligible with the score and its parts, or the check that failed and why. */
  static String explain(JsonArray explain) {
    Table t = new Table("NODE", "TIER", "RESULT", "WHY").right();
    String rejected = null;
    for (Object o : explain) {
      if (!(o instanceof JsonObject e)) {
        continue;
      }
      if (e.getValue("rejected_by_check") instanceof JsonObject r) {
        StringJoiner sj = new StringJoiner(", ");
        r.forEach(x -> sj.add(x.getKey() + " " + x.getValue()));
        rejected = "other nodes rejected, by check: " + sj;
        continue;
      }
      String name = e.getString("node_id") + (e.getString("name") != null
          && !e.getString("name").equals(e.getString("node_id")) ? " (" + e.getString("name") + ")" : "");
      if (Boolean.TRUE.equals(e.getBoolean("eligible"))) {
        String result = Boolean.TRUE.equals(e.getBoolean("chosen")) ? "chosen"
            : Boolean.TRUE.equals(e.getBoolean("avoided")) ? "avoided" : "eligible";
        t.row(name, e.getString("tier"), result, score(e));
      } else {
        t.row(name, e.getString("tier"), "no", e.getString("failed_check") + ": " + e.getString("reason"));
      }
    }
    String out = t.size() == 0 ? "no nodes were considered\n" : t.render();
    return rejected == null ? out : out + rejected + "\n";
  }

  static String score(JsonObject e) {
    StringBuilder sb = new StringBuilder("score ").append(number(e.getValue("score")));
    if (e.getValue("breakdown") instanceof JsonObject b && !b.isEmpty()) {
      StringJoiner sj = new StringJoiner(" + ", " = ", "");
      b.forEach(x -> sj.add(x.getKey() + " " + number(x.getValue())));
      sb.append(sj);
    }
    return sb.toString();
  }

  static void field(StringBuilder sb, String name, String value) {
    if (value != null && !value.isBlank()) {
      sb.append(String.format(Locale.ROOT, "%-13s", name)).append(value.replace('\n', ' ')).append('\n');
    }
  }

  static String indent(String block) {
    StringBuilder sb = new StringBuilder();
    block.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
    return sb.toString();
  }

  /** "3 min ago" for an ISO time, or the text itself when it is not one (an older manager's answer). */
  static String ago(String iso, Instant now) {
    try {
      return age(Instant.parse(iso), now) + " ago";
    } catch (RuntimeException e) {
      return iso;
    }
  }

  static String age(Instant then, Instant now) {
    if (then == null) {
      return "";
    }
    long ms = Math.max(0, Duration.between(then, now).toMillis());
    return ms < 1_000 ? "0s" : Durations.format(ms - ms % 1_000);
  }

  static String gb(double v) {
    return number(v) + "G";
  }

  /** A number without a useless {@code .0}: 7, 7.5. */
  static String number(Object v) {
    if (!(v instanceof Number n)) {
      return v == null ? "" : String.valueOf(v);
    }
    double d = n.doubleValue();
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static String pairs(Map<String, String> m) {
    StringJoiner sj = new StringJoiner(",");
    m.forEach((k, v) -> sj.add(k + "=" + v));
    return sj.toString();
  }
}
