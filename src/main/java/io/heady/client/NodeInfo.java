package io.heady.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node as {@code GET /api/cluster/nodes} shows it. {@link #json()} has every field (hardware, system stats,
 * timestamps).
 *
 * @param running tasks running there now
 * @param cpuUsagePct live CPU load from the last heartbeat, or {@code null}
 */
public record NodeInfo(String nodeId, String name, String tier, String status, String location, String transport,
    int cpuCores, double ramGb, String gpuModel, double gpuVramGb, String arch, String os, List<String> capabilities,
    Map<String, String> labels, double reliability, int maxConcurrent, int running, long tasksCompleted,
    long tasksFailed, boolean drain, Double cpuUsagePct, Double ramUsagePct, String lastHeartbeat, JsonObject json) {

  public static NodeInfo fromJson(JsonObject j) {
    JsonObject hw = j.getValue("hardware") instanceof JsonObject h ? h : new JsonObject();
    JsonObject st = j.getValue("system_stats") instanceof JsonObject s ? s : new JsonObject();
    return new NodeInfo(j.getString("node_id"), j.getString("name"), j.getString("tier"), j.getString("status"),
        j.getString("location"), j.getString("transport"), num(hw, "cpu_cores").intValue(),
        num(hw, "ram_gb").doubleValue(), hw.getString("gpu_model"), num(hw, "gpu_vram_gb").doubleValue(),
        hw.getString("arch"), hw.getString("os"), strings(j.getValue("capabilities")), map(j.getValue("labels")),
        num(j, "reliability_score").doubleValue(), num(j, "max_concurrent").intValue(), num(j, "running").intValue(),
        num(j, "tasks_completed").longValue(), num(j, "tasks_failed").longValue(), j.getBoolean("drain", false),
        st.getValue("cpu_usage_pct") instanceof Number n ? n.doubleValue() : null,
        st.getValue("ram_usage_pct") instanceof Number n ? n.doubleValue() : null, j.getString("last_heartbeat"), j);
  }

  /** The nodes of a {@code {nodes: [...]}} answer. */
  public static List<NodeInfo> listFromJson(JsonObject j) {
    List<NodeInfo> out = new ArrayList<>();
    if (j.getValue("nodes") instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject n) {
          out.add(fromJson(n));
        }
      }
    }
    return out;
  }

  static Number num(JsonObject j, String k) {
    return j.getValue(k) instanceof Number n ? n : 0;
  }

  static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      a.forEach(o -> out.add(String.valueOf(o)));
    }
    return List.copyOf(out);
  }

  static Map<String, String> map(Object v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v instanceof JsonObject o) {
      o.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
