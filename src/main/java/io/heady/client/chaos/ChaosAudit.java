package io.heady.client.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges a chaos run from what the run saw and what the manager recorded. Each task submitted is exactly one
 * of: succeeded, {@code lost} (never accepted, unknown to the manager, or not finished at the end), or
 * {@code failed} (finished any other way than succeeded; its reason is kept). Independently a task is
 * {@code doubled} when its result was recorded more than once (two attempts with outcome succeeded, or two
 * {@code task.succeeded} events) and {@code crossed} when it succeeded with an output other than its own marker
 * line. The manager's completed counter and the nodes' {@code tasks_completed} must each grow by exactly the
 * number of tasks, and every agent must be {@code active} at the end. Pure: no I/O, no clock.
 */
public final class ChaosAudit {
  private static final List<String> TERMINAL = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped");
  static final int MAX_FINDINGS_IN_JSON = 200;

  /**
   * What the run knows of one task besides the manager's record.
   *
   * @param marker the line the task prints: its output must be exactly this line
   * @param refused why the task was never accepted, or null when it was
   * @param successEvents how many {@code task.succeeded} events the run saw for it
   */
  public record Sent(String id, String marker, String refused, int successEvents) {}

  /** The completion counters: the manager's {@code completed}, the sum of the agents' {@code tasks_completed}. */
  public record Counts(long managerCompleted, long nodesCompleted) {}

  /** One task that broke a rule, and how. */
  public record Finding(String taskId, String detail) {
    JsonObject toJson() {
      return new JsonObject().put("task_id", taskId).put("detail", detail);
    }
  }

  /**
   * The audit's result.
   *
   * @param agents each agent's status at the end ({@code missing} when the manager does not list it)
   * @param stepErrors faults the run could not inject or undo
   */
  public record Verdict(int tasks, int succeeded, List<Finding> lost, List<Finding> failed, List<Finding> doubled,
      List<Finding> crossed, int lateResults, long managerDelta, long nodesDelta, Map<String, String> agents,
      List<String> stepErrors) {

    public long agentsActive() {
      return agents.values().stream().filter("active"::equals).count();
    }

    /** Every broken rule, one line each; empty when the run was clean. */
    public List<String> violations() {
      List<String> v = new ArrayList<>();
      count(v, lost, "lost");
      count(v, failed, "failed");
      count(v, doubled, "doubled");
      count(v, crossed, "crossed");
      if (managerDelta != tasks) {
        v.add("the manager's completed counter grew by " + managerDelta + ", not " + tasks);
      }
      if (nodesDelta != tasks) {
        v.add("the agents' tasks_completed grew by " + nodesDelta + " in all, not " + tasks);
      }
      agents.forEach((id, status) -> {
        if (!"active".equals(status)) {
          v.add("agent " + id + " is " + status + " at the end, not active");
        }
      });
      stepErrors.forEach(e -> v.add("fault step failed: " + e));
      return v;
    }

    public boolean ok() {
      return violations().isEmpty();
    }

    public JsonObject toJson() {
      return new JsonObject().put("tasks", tasks).put("succeeded", succeeded).put("lost", lost.size())
          .put("failed", failed.size()).put("doubled", doubled.size()).put("crossed", crossed.size())
          .put("late_results", lateResults).put("completed_delta", managerDelta)
          .put("nodes_completed_delta", nodesDelta).put("agents_active", agentsActive())
          .put("agent_status", new JsonObject(new LinkedHashMap<>(agents)))
          .put("violations", new JsonArray(violations()))
          .put("findings", new JsonObject().put("lost", json(lost)).put("failed", json(failed))
              .put("doubled", json(doubled)).put("crossed", json(crossed)));
    }

    private static void count(List<String> v, List<Finding> f, String what) {
      if (!f.isEmpty()) {
        v.add(f.size() + " " + what);
      }
    }

    private static JsonArray json(List<Finding> f) {
      JsonArray a = new JsonArray();
      f.stream().limit(MAX_FINDINGS_IN_JSON).forEach(x -> a.add(x.toJson()));
      return a;
    }
  }

  private ChaosAudit() {}

  /**
   * Judges the run.
   *
   * @param records a task's record by id ({@code GET /api/cluster/tasks/:id}), null when the manager has none
   * @param agents each agent's status at the end
   */
  public static Verdict judge(List<Sent> sent, Function<String, JsonObject> records, Counts before, Counts after,
      Map<String, String> agents, List<String> stepErrors) {
    List<Finding> lost = new ArrayList<>();
    List<Finding> failed = new ArrayList<>();
    List<Finding> doubled = new ArrayList<>();
    List<Finding> crossed = new ArrayList<>();
    int ok = 0;
    int late = 0;
    for (Sent s : sent) {
      if (s.refused() != null) {
        lost.add(new Finding(s.id(), "never accepted: " + s.refused()));
        continue;
      }
      JsonObject t = records.apply(s.id());
      if (t == null) {
        lost.add(new Finding(s.id(), "accepted, then unknown to the manager"));
        continue;
      }
      String status = t.getString("status", "?");
      JsonArray attempts = t.getJsonArray("attempts", new JsonArray());
      List<String> wins = new ArrayList<>();
      for (Object o : attempts) {
        if (o instanceof JsonObject a) {
          if ("succeeded".equals(a.getString("outcome"))) {
            wins.add("#" + a.getValue("attempt") + " on " + a.getString("node_id"));
          }
          if (a.getValue("late_result") != null) {
            late++;
          }
        }
      }
      if (wins.size() > 1) {
        doubled.add(new Finding(s.id(), wins.size() + " attempts succeeded (" + String.join(", ", wins) + ")"));
      } else if (s.successEvents() > 1) {
        doubled.add(new Finding(s.id(), "seen succeeding " + s.successEvents() + " times on the event stream"));
      }
      if (!TERMINAL.contains(status)) {
        lost.add(new Finding(s.id(), "still " + status + " at the end" + attemptsText(attempts)));
        continue;
      }
      if (!"succeeded".equals(status)) {
        String reason = t.getString("reason");
        failed.add(new Finding(s.id(), status + (reason == null ? "" : ": " + reason)
            + (t.getValue("exit_code") == null ? "" : " (exit code " + t.getValue("exit_code") + ")")
            + attemptsText(attempts)));
        continue;
      }
      ok++;
      String stdout = t.getJsonObject("result", new JsonObject()).getString("stdout");
      if (!(s.marker() + "\n").equals(stdout)) {
        crossed.add(new Finding(s.id(), "stdout was " + quote(stdout) + ", not its own line " + quote(s.marker()
            + "\n")));
      }
    }
    Map<String, String> ag = new LinkedHashMap<>(agents);
    return new Verdict(sent.size(), ok, lost, failed, doubled, crossed, late,
        after.managerCompleted() - before.managerCompleted(), after.nodesCompleted() - before.nodesCompleted(), ag,
        List.copyOf(stepErrors));
  }

  /** {@code ; attempts: #1 chaos-a1 lost (node lost), #2 …}: where each attempt went and how it ended. */
  static String attemptsText(JsonArray attempts) {
    if (attempts.isEmpty()) {
      return "; no attempt";
    }
    StringBuilder sb = new StringBuilder("; attempts:");
    int from = Math.max(0, attempts.size() - 8);
    if (from > 0) {
      sb.append(" (").append(from).append(" earlier)");
    }
    for (int i = from; i < attempts.size(); i++) {
      if (attempts.getValue(i) instanceof JsonObject a) {
        sb.append(" #").append(a.getValue("attempt")).append(' ').append(a.getString("node_id")).append(' ')
            .append(a.getString("outcome", "open"));
        if (a.getString("reason") != null) {
          sb.append(" (").append(a.getString("reason")).append(')');
        }
        sb.append(i + 1 < attempts.size() ? "," : "");
      }
    }
    return sb.toString();
  }

  static String quote(String s) {
    if (s == null) {
      return "nothing";
    }
    String e = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    return "'" + (e.length() > 120 ? e.substring(0, 120) + "…" : e) + "'";
  }
}
