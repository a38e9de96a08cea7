package io.heady.manager.scheduler;

import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a submission that names an existing task's client id asks for that task again (an idempotent repeat)
 * or for another one under a taken id (a conflict). Both sides are compared in a canonical form: the spec as the
 * manager parsed it, so a default the manager fills in ({@code type} from a command, priority P2, zero timeouts)
 * reads the same whether the client wrote it or left it out, and the same request sent twice is always the same.
 * Object keys and {@code depends_on} are unordered, numbers compare by value ({@code 2} is {@code 2.0}).
 */
final class SpecMatch {
  /** Fields whose two values a conflict shows (short, and already visible in the task record). */
  private static final List<String> SHOWN = List.of("type", "priority", "command", "node", "cwd", "timeout_ms",
      "max_attempts", "run_as", "on_stagnation", "stagnation_sec", "estimated_duration_ms");
  private static final int SHOWN_CHARS = 80;

  private SpecMatch() {}

  /** The spec fields (wire names) whose values differ, in the spec's field order; empty: the same task. */
  static List<String> differences(TaskSpec existing, TaskSpec submitted) {
    Map<String, Object> a = canonical(existing);
    Map<String, Object> b = canonical(submitted);
    List<String> out = new ArrayList<>();
    for (String field : existing.toJson().fieldNames()) {
      if (!Objects.equals(a.get(field), b.get(field))) {
        out.add(field);
      }
    }
    return out;
  }

  /**
   * What a conflict says about one field: its name, and for a short field both values ({@code command: 'echo a'
   * here, 'echo b' submitted}).
   */
  static String describe(String field, TaskSpec existing, TaskSpec submitted) {
    if (!SHOWN.contains(field)) {
      return field;
    }
    return field + ": " + shown(existing.toJson().getValue(field)) + " here, " + shown(submitted.toJson()
        .getValue(field)) + " submitted";
  }

  /** The spec as compared: wire names to canonical values, without the id, absent and null fields dropped. */
  static Map<String, Object> canonical(TaskSpec s) {
    JsonObject j = s.toJson();
    j.remove("id");
    Map<String, Object> out = new TreeMap<>();
    for (String k : j.fieldNames()) {
      Object v = j.getValue(k);
      if (v != null) {
        out.put(k, k.equals("depends_on") ? new TreeSet<>(s.dependsOn()) : value(v));
      }
    }
    return out;
  }

  private static Object value(Object v) {
    if (v instanceof JsonObject o) {
      Map<String, Object> m = new TreeMap<>();
      o.forEach(e -> m.put(e.getKey(), value(e.getValue())));
      return m;
    }
    if (v instanceof Map<?, ?> raw) {
      return value(new JsonObject(new java.util.LinkedHashMap<>(castKeys(raw))));
    }
    if (v instanceof JsonArray a) {
      List<Object> l = new ArrayList<>(a.size());
      a.forEach(x -> l.add(value(x)));
      return l;
    }
    if (v instanceof List<?> raw) {
      return value(new JsonArray(new ArrayList<>(raw)));
    }
    if (v instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).stripTrailingZeros();
      } catch (NumberFormatException notFinite) {
        return n.toString();
      }
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castKeys(Map<?, ?> raw) {
    return (Map<String, Object>) raw;
  }

  private static String shown(Object v) {
    if (v == null) {
      return "none";
    }
    String s = String.valueOf(v).replaceAll("\\p{Cntrl}", "?");
    return "'" + (s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "…" : s) + "'";
  }
}
