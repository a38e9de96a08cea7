package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An agent's registration: who it is, how to reach it and what it has.
 *
 * @param maxConcurrent the operator's override of the slot count; 0 lets the manager use the tier formula
 * @param memberId the agent's cluster member id (eventbus transport), so its loss can be seen at once
 * @param runningTaskIds tasks the agent is still running (after a manager restart, so they re-attach)
 * @param containment how the node contains its tasks (method, user, note), or {@code null} (an older node)
 */
public record Registration(
    String nodeId,
    String name,
    String transport,
    String tunnelUrl,
    Hardware hardware,
    List<String> capabilities,
    Map<String, String> labels,
    int maxConcurrent,
    String memberId,
    List<String> runningTaskIds,
    String version,
    Enforcement containment) {

  /** Without a containment report. */
  public Registration(String nodeId, String name, String transport, String tunnelUrl, Hardware hardware,
      List<String> capabilities, Map<String, String> labels, int maxConcurrent, String memberId,
      List<String> runningTaskIds, String version) {
    this(nodeId, name, transport, tunnelUrl, hardware, capabilities, labels, maxConcurrent, memberId, runningTaskIds,
        version, null);
  }

  static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");

  public JsonObject toJson() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("name", name)
        .put("transport", transport)
        .put("tunnel_url", tunnelUrl)
        .put("hardware", hardware.toJson())
        .put("capabilities", Fields.toArray(capabilities))
        .put("labels", Fields.toObject(labels))
        .put("max_concurrent", maxConcurrent)
        .put("member_id", memberId)
        .put("running_task_ids", Fields.toArray(runningTaskIds))
        .put("version", version)
        .put("containment", containment == null ? null : containment.toJson());
  }

  public static Registration fromJson(JsonObject j) {
    String nodeId = Fields.reqId(j, "node_id");
    String name = Fields.optString(j, "name", 128);
    if (name != null && name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("name", "name must not contain control characters");
    }
    String transport = Fields.optString(j, "transport", 16);
    if (transport == null) {
      transport = "http";
    }
    if (!transport.equals("http") && !transport.equals("eventbus")) {
      throw new InvalidInputException("transport", "transport must be http or eventbus");
    }
    String tunnel = Fields.optString(j, "tunnel_url", 512);
    if (tunnel != null && !tunnel.isEmpty() && !tunnel.matches("https?://[^\\s]+")) {
      throw new InvalidInputException("tunnel_url", "tunnel_url must be an http(s) URL");
    }
    return new Registration(
        nodeId,
        name == null || name.isBlank() ? nodeId : name,
        transport,
        tunnel == null || tunnel.isEmpty() ? null : tunnel,
        Hardware.fromJson(Fields.optObject(j, "hardware")),
        Fields.optStrings(j, "capabilities", 64, 64),
        Fields.optStringMap(j, "labels", 64, LABEL_KEY, 128),
        (int) Fields.optLong(j, "max_concurrent", 0, 0, 1024),
        Fields.optString(j, "member_id", 128),
        Fields.optStrings(j, "running_task_ids", 4096, 64),
        Fields.optString(j, "version", 64),
        Enforcement.fromJson(j, "containment"));
  }
}
