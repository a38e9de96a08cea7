package io.heady.client.cli;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The human lines for containment and accounting: a task's limits, how its node contained its latest attempt
 * and what that attempt used; a node's containment.
 */
final class ContainmentView {
  private ContainmentView() {}

  /** The lines of {@code heady task ID} about limits, containment and usage. */
  static void task(StringBuilder sb, JsonObject t) {
    Render.field(sb, "limits", limits(t.getJsonObject("limits")));
    JsonObject spec = t.getJsonObject("spec");
    Render.field(sb, "run as", spec == null ? null : spec.getString("run_as"));
    Render.field(sb, "secrets", spec == null ? null : secrets(spec.getJsonObject("secrets")));
    boolean ran = t.getValue("attempts") instanceof io.vertx.core.json.JsonArray a && !a.isEmpty();
    if (!ran) {
      return;
    }
    Render.field(sb, "contained", enforcement(t.getJsonObject("enforcement")));
    JsonObject u = t.getJsonObject("usage");
    if (u == null) {
      Render.field(sb, "usage", "not measured (its node did not report what it used)");
      return;
    }
    Render.field(sb, "cpu", cpu(u));
    Render.field(sb, "peak memory", bytes(number(u, "peak_memory_bytes")));
    Render.field(sb, "disk i/o", "read " + bytes(number(u, "read_bytes")) + ", wrote "
        + bytes(number(u, "write_bytes")));
  }

  /** The secrets a task names: {@code API_TOKEN, API_TOKEN as GH_TOKEN}; names only, a record holds no value. */
  static String secrets(JsonObject s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    StringJoiner sj = new StringJoiner(", ");
    s.forEach(e -> sj.add(e.getKey().equals(e.getValue()) ? e.getKey() : e.getValue() + " as " + e.getKey()));
    return sj.toString();
  }

  /** {@code 512 MiB memory, 1.5 CPUs, 64 processes, 10 MiB output}, or {@code none}. */
  static String limits(JsonObject l) {
    if (l == null || l.isEmpty()) {
      return "none";
    }
    StringJoiner sj = new StringJoiner(", ");
    if (l.getValue("memory_mb") instanceof Number n) {
      sj.add(n.longValue() + " MiB memory");
    }
    if (l.getValue("cpus") instanceof Number n) {
      sj.add(Render.number(n) + (n.doubleValue() == 1 ? " CPU" : " CPUs"));
    }
    if (l.getValue("pids") instanceof Number n) {
      sj.add(n.longValue() + " processes");
    }
    if (l.getValue("output_mb") instanceof Number n) {
      sj.add(n.longValue() + " MiB output");
    }
    return sj.toString();
  }

  /** {@code cgroup1 as heady-task (64 MiB memory): note}, or {@code unknown} when the node did not say. */
  static String enforcement(JsonObject e) {
    if (e == null || e.getString("method") == null) {
      return "unknown (the node did not say)";
    }
    StringBuilder sb = new StringBuilder(e.getString("method"));
    if (e.getString("user") != null) {
      sb.append(" as ").append(e.getString("user"));
    }
    JsonObject l = e.getJsonObject("limits");
    if (l != null && !l.isEmpty()) {
      sb.append(" (").append(limits(l)).append(')');
    }
    if (e.getString("note") != null) {
      sb.append(": ").append(e.getString("note"));
    }
    return sb.toString();
  }

  /** {@code 1.52 s user, 0.08 s system} (a part the node could not measure is {@code ?}). */
  static String cpu(JsonObject u) {
    return seconds(number(u, "cpu_user_sec")) + " user, " + seconds(number(u, "cpu_system_sec")) + " system";
  }

  /** The CPU seconds of an attempt, user and system together, for a table cell; empty when unknown. */
  static String cpuTotal(JsonObject u) {
    if (u == null) {
      return "";
    }
    double user = number(u, "cpu_user_sec");
    double sys = number(u, "cpu_system_sec");
    return user < 0 && sys < 0 ? "" : seconds(Math.max(0, user) + Math.max(0, sys));
  }

  static String seconds(double s) {
    return s < 0 ? "?" : String.format(Locale.ROOT, "%.2f s", s);
  }

  /** {@code 0 B}, {@code 512 KiB}, {@code 80.5 MiB}, {@code 1.5 GiB}; {@code ?} when unknown. */
  static String bytes(double b) {
    if (b < 0) {
      return "?";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (b >= 1024 && i < units.length - 1) {
      b /= 1024;
      i++;
    }
    return i == 0 ? (long) b + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[i]);
  }

  static double number(JsonObject j, String key) {
    return j != null && j.getValue(key) instanceof Number n ? n.doubleValue() : -1;
  }
}
