package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/**
 * How a node contained an attempt (in the attempt's record) or how it contains tasks (in the node's record).
 *
 * @param method {@code cgroup2}, {@code cgroup1}, {@code rlimit} (process resource limits only: no whole-group
 *     kill, memory counted per process) or {@code none}
 * @param user the user the task's processes run as
 * @param limits the limits that were applied (what the method could not enforce is left out)
 * @param note why the method is weaker than {@code cgroup2}/{@code cgroup1}, or {@code null}
 */
public record Enforcement(String method, String user, Limits limits, String note) {
  public static final String CGROUP2 = "cgroup2";
  public static final String CGROUP1 = "cgroup1";
  public static final String RLIMIT = "rlimit";
  public static final String NONE = "none";

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("method", method).put("user", user)
        .put("limits", (limits == null ? Limits.NONE : limits).toJson());
    if (note != null) {
      j.put("note", note);
    }
    return j;
  }

  /** Reads {@code j.<field>}; absent is {@code null}. */
  public static Enforcement fromJson(JsonObject j, String field) {
    JsonObject e = Fields.optObject(j, field);
    if (e == null) {
      return null;
    }
    return new Enforcement(Fields.optString(e, "method", 16), Fields.optString(e, "user", 64),
        Limits.fromJson(e, "limits"), Fields.optString(e, "note", 512));
  }
}
