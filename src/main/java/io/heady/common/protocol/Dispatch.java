package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Manager → node: run one attempt of a task. The node must echo {@code leaseId} when it reports; only the
 * current lease may complete the task.
 *
 * @param command run by {@code /bin/sh -c} when {@code argv} is empty
 * @param argv run directly, without a shell, when not empty
 * @param noop the task runs no process (health checks, benchmarks)
 * @param speed MAX, ON or OFF: how much of the node the task may use
 */
public record Dispatch(
    String taskId,
    String leaseId,
    int attempt,
    String type,
    String priority,
    String command,
    List<String> argv,
    Map<String, String> env,
    String cwd,
    long timeoutMs,
    boolean noop,
    String speed) {

  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public JsonObject toJson() {
    return new JsonObject()
        .put("task_id", taskId)
        .put("lease_id", leaseId)
        .put("attempt", attempt)
        .put("type", type)
        .put("priority", priority)
        .put("command", command)
        .put("argv", Fields.toArray(argv))
        .put("env", Fields.toObject(env))
        .put("cwd", cwd)
        .put("timeout_ms", timeoutMs)
        .put("noop", noop)
        .put("speed", speed);
  }

  public static Dispatch fromJson(JsonObject j) {
    String speed = Fields.optString(j, "speed", 8);
    if (speed != null && !speed.equals("MAX") && !speed.equals("ON") && !speed.equals("OFF")) {
      throw new InvalidInputException("speed", "speed must be MAX, ON or OFF");
    }
    String command = Fields.optString(j, "command", 1 << 20);
    Fields.noNul(command, "command");
    List<String> argv = Fields.optStrings(j, "argv", 4096, 1 << 16);
    argv.forEach(a -> Fields.noNul(a, "argv"));
    Map<String, String> env = Fields.optStringMap(j, "env", 1024, ENV_NAME, 1 << 16);
    env.values().forEach(v -> Fields.noNul(v, "env"));
    String cwd = Fields.optString(j, "cwd", 4096);
    Fields.noNul(cwd, "cwd");
    return new Dispatch(
        Fields.reqId(j, "task_id"),
        Fields.reqId(j, "lease_id"),
        (int) Fields.optLong(j, "attempt", 1, 1, 1_000_000),
        Fields.optString(j, "type", 64),
        Fields.optString(j, "priority", 2),
        command,
        argv,
        env,
        cwd,
        Fields.optLong(j, "timeout_ms", 0, 0, Long.MAX_VALUE / 4),
        Fields.optBool(j, "noop", false),
        speed);
  }
}
