package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/** A node's live load, sent with each heartbeat. */
public record SystemStats(double cpuUsagePct, double ramUsagePct, double diskUsagePct, double loadAvg,
    long uptimeSec) {

  public static final SystemStats EMPTY = new SystemStats(0, 0, 0, 0, 0);

  public JsonObject toJson() {
    return new JsonObject()
        .put("cpu_usage_pct", cpuUsagePct)
        .put("ram_usage_pct", ramUsagePct)
        .put("disk_usage_pct", diskUsagePct)
        .put("load_avg", loadAvg)
        .put("uptime_sec", uptimeSec);
  }

  public static SystemStats fromJson(JsonObject j) {
    if (j == null) {
      return EMPTY;
    }
    return new SystemStats(
        Fields.optDouble(j, "cpu_usage_pct", 0, 0, 100.0001),
        Fields.optDouble(j, "ram_usage_pct", 0, 0, 100.0001),
        Fields.optDouble(j, "disk_usage_pct", 0, 0, 100.0001),
        Fields.optDouble(j, "load_avg", 0, 0, 1e6),
        Fields.optLong(j, "uptime_sec", 0, 0, Long.MAX_VALUE));
  }
}
