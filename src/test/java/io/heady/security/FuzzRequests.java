package io.heady.security;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A reproducible stream of hostile HTTP requests for the manager API and the node API: every route's
 * request template, mutated (truncated JSON, wrong types, huge strings, deep nesting, unicode, boundary
 * numbers, invalid UTF-8, missing and unknown fields), plus random methods and paths. The same seed gives
 * the same requests.
 *
 * <p>What it never generates, so that the cluster's existing state may be compared before and after: an
 * id that is not fresh ({@link #ID_MARK} is in every id it makes), a command that does anything (a shell
 * comment or {@code true}), or a valid token rotation.
 */
public final class FuzzRequests {
  /** Who a request goes to. */
  public enum Target { MANAGER, NODE }

  /** Which token a request presents. */
  public enum Token { NONE, WRONG, JOIN, ADMIN }

  /** One request. */
  public record Request(Target target, String method, String path, Token token, byte[] body) {
    public String describe() {
      String b = body == null ? "-" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
      return target + " " + method + " " + (path.length() > 160 ? path.substring(0, 160) + "…" : path) + " token="
          + token + " body(" + (body == null ? 0 : body.length) + ")=" + b.replaceAll("[\\p{Cntrl}]", "?");
    }
  }

  /** In every id the generator makes, so none can name a pre-existing node or task. */
  public static final String ID_MARK = "fz";

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
  private static final String[] ODD_METHODS = {"TRACE", "FOO", "get", "PROPFIND", "M-SEARCH"};
  private static final String[] MANAGER_PATHS = {
      "/api/cluster/join", "/api/cluster/nodes/register", "/api/cluster/nodes/heartbeat",
      "/api/cluster/nodes/deregister", "/api/cluster/tasks/complete", "/api/cluster/tasks/progress",
      "/api/cluster/tasks/report",
      "/api/cluster/state", "/api/cluster/workers", "/api/cluster/nodes", "/api/cluster/nodes/{id}",
      "/api/cluster/nodes/{id}/drain", "/api/cluster/nodes/{id}/reinstate", "/api/cluster/tasks/route",
      "/api/cluster/tasks", "/api/cluster/tasks/history", "/api/cluster/tasks/{id}", "/api/cluster/tasks/{id}/log",
      "/api/cluster/dags/{id}", "/api/cluster/tasks/{id}/cancel", "/api/cluster/can-handle/{id}",
      "/api/cluster/events", "/api/cluster/tokens/rotate", "/health/live", "/health/ready", "/metrics", "/",
      "/assets/{id}", "/install/agent.sh", "/install/heady.py", "/install/heady.jar.sha256", "/install/launcher/{id}",
      "/install/systemd/{id}"};
  private static final String[] NODE_PATHS = {"/api/node/health", "/api/node/system", "/api/node/tasks",
      "/api/node/task", "/api/node/tasks/{id}/log", "/api/node/tasks/{id}/cancel", "/api/node/execute"};
  private static final String[] QUERY_KEYS = {"limit", "cursor", "status", "node", "before", "offset", "max",
      "priority", "follow", "last_event_id", "x"};

  private final Random rng;

  public FuzzRequests(long seed) {
    this.rng = new Random(seed);
  }

  public Request next() {
    Target target = rng.nextInt(100) < 80 ? Target.MANAGER : Target.NODE;
    String[] paths = target == Target.MANAGER ? MANAGER_PATHS : NODE_PATHS;
    String template = paths[rng.nextInt(paths.length)];
    String method = method(template);
    String path = rng.nextInt(100) < 8 ? randomPath(target) : template.replace("{id}", pathId());
    if (rng.nextInt(100) < 25) {
      path += query();
    }
    Token token = switch (rng.nextInt(10)) {
      case 0 -> Token.NONE;
      case 1 -> Token.WRONG;
      case 2, 3, 4 -> Token.JOIN;
      default -> Token.ADMIN;
    };
    if (path.contains("/follow") || (path.contains("follow=") && rng.nextBoolean())) {
      path = path.replace("follow=", "nofollow=");
    }
    byte[] body = method.equals("GET") || method.equals("HEAD") ? (rng.nextInt(20) == 0 ? body(template, target)
        : null) : body(template, target);
    return new Request(target, method, path, token, body);
  }

  private String method(String template) {
    int r = rng.nextInt(100);
    if (r < 4) {
      return ODD_METHODS[rng.nextInt(ODD_METHODS.length)];
    }
    if (r < 25) {
      return METHODS[rng.nextInt(METHODS.length)];
    }
    boolean post = template.endsWith("/register") || template.endsWith("/heartbeat") || template.endsWith("/route")
        || template.endsWith("/complete") || template.endsWith("/progress") || template.endsWith("/deregister")
        || template.endsWith("/drain") || template.endsWith("/reinstate") || template.endsWith("/cancel")
        || template.endsWith("/rotate") || template.endsWith("/task") || template.endsWith("/execute");
    if (template.equals("/api/cluster/nodes/{id}") && rng.nextInt(3) == 0) {
      return "DELETE";
    }
    return post ? "POST" : "GET";
  }

  // ---- ids, paths, queries -----------------------------------------------------------------------------

  /** A fresh id: valid most of the time, sometimes too long or with characters ids may not have. */
  String id() {
    int r = rng.nextInt(100);
    String base = ID_MARK + Long.toString(rng.nextLong() & Long.MAX_VALUE, 36);
    if (r < 75) {
      return base;
    }
    if (r < 80) {
      return base + "x".repeat(70);
    }
    if (r < 85) {
      return base + ";touch${IFS}/tmp/fz";
    }
    if (r < 90) {
      return base + unicode(4);
    }
    if (r < 95) {
      return base + "/../../" + base;
    }
    return base + " \t" + base;
  }

  private String pathId() {
    String id = id();
    int r = rng.nextInt(100);
    if (r < 70) {
      return encode(id);
    }
    if (r < 80) {
      return ID_MARK + "%" + "zz";
    }
    if (r < 85) {
      return ID_MARK + "%00" + ID_MARK;
    }
    if (r < 90) {
      return "..%2F..%2F" + ID_MARK;
    }
    if (r < 95) {
      return ID_MARK + "x".repeat(rng.nextInt(5000));
    }
    return ID_MARK + "%C0%AF" + ID_MARK;
  }

  private String randomPath(Target t) {
    StringBuilder p = new StringBuilder(t == Target.MANAGER ? "/api/cluster" : "/api/node");
    int segs = rng.nextInt(6);
    for (int i = 0; i < segs; i++) {
      p.append('/');
      switch (rng.nextInt(6)) {
        case 0 -> p.append("..");
        case 1 -> p.append(encode(unicode(1 + rng.nextInt(8))));
        case 2 -> p.append("%").append(Integer.toHexString(rng.nextInt(256)));
        case 3 -> p.append(ID_MARK).append(rng.nextInt(1000));
        case 4 -> p.append("");
        default -> p.append(pathId());
      }
    }
    if (rng.nextInt(10) == 0) {
      return "/" + ID_MARK + "x".repeat(rng.nextInt(10_000));
    }
    if (rng.nextInt(20) == 0) {
      return "*";
    }
    return p.toString();
  }

  private String query() {
    StringBuilder q = new StringBuilder("?");
    int n = 1 + rng.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        q.append('&');
      }
      q.append(QUERY_KEYS[rng.nextInt(QUERY_KEYS.length)]).append('=');
      switch (rng.nextInt(8)) {
        case 0 -> q.append(rng.nextInt(2000) - 1000);
        case 1 -> q.append(boundary());
        case 2 -> q.append("%zz");
        case 3 -> q.append(encode(unicode(5)));
        case 4 -> q.append("P").append(rng.nextInt(10));
        case 5 -> q.append("running");
        case 6 -> q.append("");
        default -> q.append(encode(id()));
      }
    }
    return q.toString();
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return b.toString();
  }

  // ---- bodies ------------------------------------------------------------------------------------------

  private JsonObject template(String path, Target t) {
    JsonObject hw = new JsonObject().put("cpu_cores", 2).put("ram_gb", 2.0).put("arch", "x86_64");
    JsonObject stats = new JsonObject().put("cpu_usage_pct", 5.0).put("ram_usage_pct", 10.0)
        .put("disk_usage_pct", 20.0).put("load_avg", 0.5).put("uptime_sec", 100);
    if (t == Target.NODE) {
      return path.endsWith("/execute") ? new JsonObject().put("command", "true").put("timeout_ms", 1000)
          : new JsonObject().put("task_id", id()).put("lease_id", id()).put("attempt", 1).put("type", "shell")
              .put("command", "true").put("timeout_ms", 1000).put("env", new JsonObject().put("A", "b"))
              .put("speed", "OFF");
    }
    if (path.endsWith("/register")) {
      return new JsonObject().put("node_id", id()).put("name", "n" + id()).put("transport", "eventbus")
          .put("hardware", hw).put("capabilities", new JsonArray().add("git")).put("labels",
              new JsonObject().put("site", "x")).put("max_concurrent", 1).put("running_task_ids", new JsonArray());
    }
    if (path.endsWith("/heartbeat")) {
      return new JsonObject().put("node_id", id()).put("current_load", 0).put("running_task_ids",
          new JsonArray().add(id())).put("system_stats", stats).put("progress", new JsonObject().put(id(), 5));
    }
    if (path.endsWith("/complete")) {
      return new JsonObject().put("task_id", id()).put("node_id", id()).put("lease_id", id()).put("status",
          "succeeded").put("exit_code", 0).put("duration_ms", 5).put("result", new JsonObject().put("stdout", "x")
              .put("stderr", ""));
    }
    if (path.endsWith("/progress") || path.endsWith("/deregister")) {
      return new JsonObject().put("task_id", id()).put("lease_id", id()).put("node_id", id());
    }
    if (path.endsWith("/drain")) {
      return new JsonObject().put("enabled", rng.nextBoolean());
    }
    if (path.endsWith("/rotate")) {
      return new JsonObject().put("kind", "fz-" + id());
    }
    if (path.endsWith("/route") && rng.nextInt(4) == 0) {
      JsonArray tasks = new JsonArray();
      String first = id();
      tasks.add(task(first));
      int n = rng.nextInt(6);
      for (int i = 0; i < n; i++) {
        tasks.add(task(id()).put("depends_on", new JsonArray().add(first)));
      }
      return new JsonObject().put("tasks", tasks);
    }
    return task(id());
  }

  private JsonObject task(String id) {
    return new JsonObject().put("id", id).put("type", rng.nextBoolean() ? "shell" : "build")
        .put("priority", "P" + rng.nextInt(4)).put("command", "true").put("timeout_ms", 60_000)
        .put("max_attempts", 1).put("node", ID_MARK + "-nowhere").put("env", new JsonObject().put("K", "v"))
        .put("requires", new JsonObject().put("cores", 1).put("ram_gb", 0.5).put("labels",
            new JsonObject().put("site", "x"))).put("payload", new JsonObject().put("p", 1))
        .put("metadata", new JsonObject().put("m", "x"));
  }

  private byte[] body(String path, Target t) {
    int r = rng.nextInt(100);
    if (r < 3) {
      return new byte[0];
    }
    if (r < 5) {
      return randomBytes(1 + rng.nextInt(200));
    }
    if (r < 7) {
      return new String[] {"null", "[]", "42", "\"s\"", "true", "{}", "{\"a\":}", "NaN", "{'a':1}"}[rng.nextInt(9)]
          .getBytes(StandardCharsets.UTF_8);
    }
    if (r < 9) {
      return deep(1 + rng.nextInt(r < 8 ? 60 : 3000)).getBytes(StandardCharsets.UTF_8);
    }
    if (r < 10 && rng.nextInt(5) == 0) {
      // larger than the default 1 MiB body limit: 413
      return ("{\"command\":\"#" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
    JsonObject j = template(path, t);
    int mutations = rng.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      mutate(j, 0);
    }
    makeSafe(j, path, t);
    String text = j.encode();
    int tr = rng.nextInt(100);
    if (tr < 10) {
      text = text.substring(0, rng.nextInt(Math.max(1, text.length())));
    } else if (tr < 14) {
      int at = rng.nextInt(text.length());
      text = text.substring(0, at) + "\"\\u" + Integer.toHexString(rng.nextInt(0xFFFF)) + text.substring(at);
    } else if (tr < 17) {
      text = text.replaceFirst(":", ":" + rawNumber() + ",\"fz\":");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces, removes or adds one field somewhere in the object. */
  private void mutate(JsonObject j, int depth) {
    List<String> keys = new ArrayList<>(j.fieldNames());
    int r = rng.nextInt(10);
    if (keys.isEmpty() || r == 0) {
      j.put(rng.nextBoolean() ? "fz_" + rng.nextInt(100) : unicode(3), value(depth));
      return;
    }
    String k = keys.get(rng.nextInt(keys.size()));
    Object v = j.getValue(k);
    if (r == 1) {
      j.remove(k);
    } else if (v instanceof JsonObject o && depth < 4 && rng.nextBoolean()) {
      mutate(o, depth + 1);
    } else if (v instanceof JsonArray a && !a.isEmpty() && rng.nextBoolean()) {
      a.set(rng.nextInt(a.size()), value(depth));
    } else {
      j.put(k, value(depth));
    }
  }

  /** A JSON value of any type, often an edge case. */
  private Object value(int depth) {
    return switch (rng.nextInt(14)) {
      case 0 -> null;
      case 1 -> rng.nextBoolean();
      case 2 -> rng.nextInt();
      case 3 -> new BigInteger(boundary());
      case 4 -> new BigDecimal(rng.nextBoolean() ? "1e308" : "-1.7976931348623157e308");
      case 5 -> rng.nextDouble() * 1e6 - 5e5;
      case 6 -> "";
      case 7 -> unicode(1 + rng.nextInt(40));
      case 8 -> "x".repeat(rng.nextInt(5) == 0 ? 200_000 : 1 + rng.nextInt(3000));
      case 9 -> new JsonArray().add(unicode(3)).add(rng.nextInt()).add(new JsonObject());
      case 10 -> depth < 3 ? new JsonObject().put("k", value(depth + 1)) : "k";
      case 11 -> new String[] {"P0", "P9", "p1", "eventbus", "http", "succeeded", "timed_out", "x86_64", "MAX",
          "../../etc/passwd", "http://127.0.0.1:1", "javascript:alert(1)"}[rng.nextInt(12)];
      case 12 -> (long) (rng.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
      default -> -1 - rng.nextInt(100);
    };
  }

  private String boundary() {
    return new String[] {"0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551621", "99999999999999999999999999999"}
        [rng.nextInt(11)];
  }

  private String rawNumber() {
    return new String[] {"1e400", "-0", "0.0000000000000000000000001", "123456789012345678901234567890.5", "1E-400",
        "00012", "+1", ".5", "1.", "0x1F"}[rng.nextInt(10)];
  }

  /** A body whose payload nests {@code depth} levels of objects and arrays; now and then left unclosed. */
  private String deep(int depth) {
    StringBuilder b = new StringBuilder("{\"command\":\"true\",\"payload\":");
    java.util.ArrayDeque<Character> closers = new java.util.ArrayDeque<>();
    for (int i = 0; i < depth; i++) {
      if (rng.nextBoolean()) {
        b.append("{\"a\":");
        closers.push('}');
      } else {
        b.append('[');
        closers.push(']');
      }
    }
    b.append('1');
    boolean broken = rng.nextInt(10) == 0;
    while (!closers.isEmpty()) {
      char c = closers.pop();
      if (!broken || rng.nextInt(50) != 0) {
        b.append(c);
      }
    }
    return b.append('}').toString();
  }

  private String unicode(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (rng.nextInt(8)) {
        case 0 -> b.append('\u0000');
        case 1 -> b.append((char) (0xD800 + rng.nextInt(0x800))); // a lone surrogate
        case 2 -> b.appendCodePoint(0x1F600 + rng.nextInt(80)); // emoji
        case 3 -> b.append('\u202E'); // right-to-left override
        case 4 -> b.append((char) rng.nextInt(32)); // control characters
        case 5 -> b.append("\uFEFF");
        case 6 -> b.append("é\u0301");
        default -> b.append((char) (0x4E00 + rng.nextInt(0x5000)));
      }
    }
    return b.toString();
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return b;
  }

  /**
   * Keeps the fuzzer from doing what a legitimate admin could do on purpose: any command it sends is inert,
   * and a token rotation it sends is never valid.
   */
  private static void makeSafe(JsonObject j, String path, Target t) {
    Object c = j.getValue("command");
    if (c instanceof String s) {
      j.put("command", "#" + s.replaceAll("[\\r\\n]", " "));
    }
    if (j.getValue("argv") instanceof JsonArray) {
      j.put("argv", new JsonArray().add("true"));
    }
    Object k = j.getValue("kind");
    if (k instanceof String s && (s.trim().equalsIgnoreCase("join") || s.trim().equalsIgnoreCase("admin"))) {
      j.put("kind", "fz");
    }
    if (j.getValue("tasks") instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject task) {
          makeSafe(task, path, t);
        }
      }
    }
  }

  /** For tests of the generator: the request bodies encode as what {@link Json} would parse or refuse. */
  static boolean parses(byte[] body) {
    try {
      Json.decodeValue(new String(body, StandardCharsets.UTF_8));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
