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
 * @param limits what the attempt may use, enforced by the node ({@link Limits#NONE} for none)
 * @param runAs the user the task asked to run as (the node runs it only when its operator allows that user),
 *     or {@code null} for the node's task user
 * @param allowDaemon the task's type lets processes it started outlive it; otherwise the node kills whatever
 *     is left of the task when its main process ends
 * @param secrets env name → the secret's value sealed for this node (only this node can open it); never logged
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
    String speed,
    Limits limits,
    String runAs,
    boolean allowDaemon,
    Map<String, String> secrets) {

  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  /** A user name a task may ask to run as. */
  public static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  public Dispatch {
    limits = limits == null ? Limits.NONE : limits;
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
  }

  /** Without limits, user or secrets. */
  public Dispatch(String taskId, String leaseId, int attempt, String type, String priority, String command,
      List<String> argv, Map<String, String> env, String cwd, long timeoutMs, boolean noop, String speed) {
    this(taskId, leaseId, attempt, type, priority, command, argv, env, cwd, timeoutMs, noop, speed, Limits.NONE,
        null, false, Map.of());
  }

  /** This dispatch with these sealed secrets (variable → sealed value). */
  public Dispatch withSecrets(Map<String, String> sealed) {
    return new Dispatch(taskId, leaseId, attempt, type, priority, command, argv, env, cwd, timeoutMs, noop, speed,
        limits, runAs, allowDaemon, sealed);
  }

  /** Never prints the sealed secrets. */
  @Override
  public String toString() {
    return "Dispatch[" + taskId + " lease " + leaseId + " attempt " + attempt + ", " + secrets.size() + " secret(s)]";
  }

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
        .put("speed", speed)
        .put("limits", limits.toJson())
        .put("run_as", runAs)
        .put("allow_daemon", allowDaemon)
        .put("secrets", Fields.toObject(secrets));
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
    String runAs = Fields.optString(j, "run_as", 32);
    if (runAs != null && !USER_NAME.matcher(runAs).matches()) {
      throw new InvalidInputException("run_as", "run_as must be a user name (lower-case letters, digits, _ and -)");
    }
    // why: a sealed value is the value (up to 64 KiB) plus its nonce and tag, in base64
    Map<String, String> secrets = Fields.optStringMap(j, "secrets", SecretRefs.MAX_PER_TASK, ENV_NAME, 96 * 1024);
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
        speed,
        Limits.fromJson(j, "limits"),
        runAs,
        Fields.optBool(j, "allow_daemon", false),
        secrets);
  }
}
