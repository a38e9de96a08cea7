package io.heady.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** The manager's API paths (DESIGN.md §2), with ids and query values encoded. */
public final class ApiPaths {
  public static final String ROUTE = "/api/cluster/tasks/route";
  public static final String TASKS = "/api/cluster/tasks";
  public static final String HISTORY = "/api/cluster/tasks/history";
  public static final String NODES = "/api/cluster/nodes";
  public static final String STATE = "/api/cluster/state";
  public static final String WORKERS = "/api/cluster/workers";
  public static final String EVENTS = "/api/cluster/events";
  public static final String TOKENS = "/api/cluster/tokens";
  public static final String SECRETS = "/api/cluster/secrets";
  public static final String WHOAMI = "/api/cluster/whoami";
  public static final String CLIENTS_ENROLL = "/api/cluster/clients/enroll";
  public static final String IDENTITY = "/api/cluster/identity";

  private ApiPaths() {}

  /** A named token ({@code DELETE} revokes it). */
  public static String token(String name) {
    return TOKENS + "/" + seg(name);
  }

  /** A secret ({@code PUT} sets it, {@code DELETE} removes it). */
  public static String secret(String name) {
    return SECRETS + "/" + seg(name);
  }

  public static String task(String id) {
    return TASKS + "/" + seg(id);
  }

  /** A task's placement explained: evaluated now when it is not on a node, as recorded when it is. */
  public static String taskExplain(String id) {
    return task(id) + "/explain";
  }

  public static String taskLog(String id) {
    return task(id) + "/log";
  }

  public static String cancel(String id) {
    return task(id) + "/cancel";
  }

  public static String node(String id) {
    return NODES + "/" + seg(id);
  }

  public static String approve(String id) {
    return node(id) + "/approve";
  }

  public static String revoke(String id) {
    return node(id) + "/revoke";
  }

  public static String reinstate(String id) {
    return node(id) + "/reinstate";
  }

  public static String drain(String id) {
    return node(id) + "/drain";
  }

  public static String canHandle(String type, String priority) {
    return "/api/cluster/can-handle/" + seg(type) + query("priority", priority);
  }

  /** {@code GET /api/cluster/tasks} with the filters that are set (null: not sent). */
  public static String tasks(String status, String node, Integer limit, String cursor) {
    return tasks(status, node, null, limit, cursor, null);
  }

  /**
   * {@code GET /api/cluster/tasks} with the filters that are set (null: not sent).
   *
   * @param order {@code oldest} (the server's default) or {@code newest}
   */
  public static String tasks(String status, String node, String type, Integer limit, String cursor, String order) {
    return TASKS + query("status", status, "node", node, "type", type,
        "limit", limit == null ? null : limit.toString(), "cursor", cursor, "order", order);
  }

  /** {@code GET /api/cluster/tasks/history}; {@code before} is the {@code before} of the previous page. */
  public static String history(Integer limit, Long before) {
    return HISTORY + query("limit", limit == null ? null : limit.toString(), "before",
        before == null ? null : before.toString());
  }

  /** {@code ?k=v&…} of the pairs whose value is not null; empty when none is. */
  static String query(String... kv) {
    StringJoiner j = new StringJoiner("&", "?", "");
    j.setEmptyValue("");
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        j.add(kv[i] + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
      }
    }
    return j.toString();
  }

  private static String seg(String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("an id is required");
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
