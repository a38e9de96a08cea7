package io.heady.client.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The printed end of a chaos run: the steps with their times, the audit, each finding; and its JSON line. */
public final class ChaosReport {
  /** Findings of one kind printed in the table; the rest are counted (the JSON line holds more). */
  static final int SHOWN = 25;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private ChaosReport() {}

  public static String table(ChaosRun.Result r) {
    ChaosSettings s = r.settings();
    ChaosAudit.Verdict v = r.verdict();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "heady chaos: seed %d, %d tasks at %d/s, %s store, %d event-bus + %d http "
        + "agents x %d slots%n", r.plan().seed(), s.tasks(), s.rate(), s.store(), s.agents(), s.httpAgents(),
        s.slots()));
    sb.append("replay: ").append(replay(r)).append('\n');
    sb.append("\nsteps (UTC)\n");
    if (r.steps().isEmpty()) {
      sb.append("  none\n");
    }
    for (FaultRunner.Entry e : r.steps()) {
      sb.append(String.format(Locale.ROOT, "  %s  +%6.1f s  %s%n", TIME.format(e.at()), e.atSec(), e.what()));
    }
    sb.append("\naudit\n");
    row(sb, "tasks", Integer.toString(v.tasks()));
    row(sb, "succeeded", Integer.toString(v.succeeded()));
    row(sb, "lost", Integer.toString(v.lost().size()));
    row(sb, "failed", Integer.toString(v.failed().size()));
    row(sb, "doubled", Integer.toString(v.doubled().size()));
    row(sb, "crossed", Integer.toString(v.crossed().size()));
    row(sb, "completed", String.format(Locale.ROOT, "+%d by the manager's counter, +%d by the agents' (expected +%d)",
        v.managerDelta(), v.nodesDelta(), v.tasks()));
    row(sb, "agents active", v.agentsActive() + "/" + v.agents().size() + " " + v.agents());
    row(sb, "submit retries", r.retries() + " for " + r.retriedTasks() + " tasks" + causes(r.retryCauses()));
    row(sb, "late results", v.lateResults() + " (refused: their lease was revoked; not counted)");
    row(sb, "event stream", "opened " + r.eventConnections() + " times; " + r.readBack().size()
        + " tasks' ends read back before their event came, " + r.noEndEvent().size() + " of them never seen on it");
    row(sb, "wall", String.format(Locale.ROOT, "%.1f s", r.wallSec()));
    findings(sb, "lost", v.lost());
    findings(sb, "failed", v.failed());
    findings(sb, "doubled", v.doubled());
    findings(sb, "crossed", v.crossed());
    List<String> bad = v.violations();
    sb.append('\n').append(bad.isEmpty() ? "result: ok, no violation" : "result: FAILED: " + String.join("; ", bad))
        .append('\n');
    return sb.toString();
  }

  /** The one-line summary: counts, violations, steps, findings (at most {@link ChaosAudit#MAX_FINDINGS_IN_JSON}). */
  public static JsonObject json(ChaosRun.Result r) {
    ChaosSettings s = r.settings();
    JsonArray steps = new JsonArray();
    r.steps().forEach(e -> steps.add(new JsonObject().put("at", e.at().toString())
        .put("at_sec", Math.round(e.atSec() * 10) / 10.0).put("what", e.what())));
    JsonObject j = new JsonObject().put("system", "heady").put("kind", "chaos").put("ok", r.verdict().ok())
        .put("seed", r.plan().seed()).put("replay", replay(r)).put("store", s.store()).put("agents", s.agents())
        .put("http_agents", s.httpAgents()).put("slots", s.slots()).put("rate", s.rate()).put("task_ms", s.taskMs())
        .put("agent_kills", s.agentKills()).put("pauses", s.pauses()).put("pause_sec", s.pauseSec())
        .put("redis_kill_sec", s.redisKillSec()).put("manager_kills", s.managerKills())
        .put("started_at", r.startedAt().toString()).put("wall_s", Math.round(r.wallSec() * 10) / 10.0)
        .put("timed_out", r.timedOut()).put("submit_retries", r.retries()).put("retried_tasks", r.retriedTasks())
        .put("retry_causes", new JsonObject(Map.copyOf(r.retryCauses())))
        .put("event_connections", r.eventConnections()).put("read_back", r.readBack().size())
        .put("no_end_event", new JsonArray(r.noEndEvent().stream().limit(50).toList())).put("steps", steps);
    j.mergeIn(r.verdict().toJson());
    return j;
  }

  /** The command line that replays this run's schedule. */
  static String replay(ChaosRun.Result r) {
    ChaosSettings s = r.settings();
    return String.format(Locale.ROOT, "heady chaos --local --seed %d --store %s --agents %d --http-agents %d "
        + "--slots %d --tasks %d --rate %d --task-ms %d --agent-kills %d --pauses %d --pause-sec %s "
        + "--redis-kill-sec %d --manager-kills %d --restart-after %s", r.plan().seed(), s.store(), s.agents(),
        s.httpAgents(), s.slots(), s.tasks(), s.rate(), s.taskMs(), s.agentKills(), s.pauses(), num(s.pauseSec()),
        s.redisKillSec(), s.managerKills(), num(s.restartAfterSec()));
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String causes(Map<String, Long> c) {
    if (c.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (");
    c.forEach((k, n) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(": ").append(n));
    return sb.append(')').toString();
  }

  /** Findings counted by their cause: the detail up to the list of attempts, most frequent first. */
  static Map<String, Long> byCause(List<ChaosAudit.Finding> f) {
    Map<String, Long> counts = new java.util.HashMap<>();
    for (ChaosAudit.Finding x : f) {
      int cut = x.detail().indexOf("; attempts:");
      counts.merge(cut < 0 ? x.detail() : x.detail().substring(0, cut), 1L, Long::sum);
    }
    Map<String, Long> sorted = new java.util.LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append(String.format(Locale.ROOT, "  %-15s %s%n", k, v));
  }

  private static void findings(StringBuilder sb, String what, List<ChaosAudit.Finding> f) {
    if (f.isEmpty()) {
      return;
    }
    sb.append('\n').append(what).append(" (").append(f.size()).append(")\n");
    Map<String, Long> byCause = byCause(f);
    if (byCause.size() < f.size()) {
      byCause.forEach((cause, n) -> sb.append(String.format(Locale.ROOT, "  %5d x %s%n", n, cause)));
      sb.append("  each:\n");
    }
    f.stream().limit(SHOWN).forEach(x -> sb.append("  ").append(x.taskId()).append(": ").append(x.detail())
        .append('\n'));
    if (f.size() > SHOWN) {
      sb.append("  … and ").append(f.size() - SHOWN).append(" more (--json lists up to ")
          .append(ChaosAudit.MAX_FINDINGS_IN_JSON).append(")\n");
    }
  }
}
