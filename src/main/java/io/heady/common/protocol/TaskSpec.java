package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A task as a client submits it. Parsing validates every field and names the first bad one.
 *
 * @param id a client-chosen id (submission is idempotent on it), or {@code null}
 * @param node pin to a node id or name (relayq's {@code run_on_mac})
 * @param timeoutMs 0: the type's default
 * @param maxAttempts 0: the default (1, no retries)
 * @param onStagnation what the watchdog does when the task shows no progress; {@code null}: its type's setting
 * @param stagnationSec seconds without progress before the watchdog acts; 0: its type's or priority's limit
 * @param limits what each attempt may use, enforced by its node; over the type's defaults of the policy
 *     ({@link Limits#NONE}: the type's)
 * @param runAs the user the task asks to run as (a node runs it so only when its operator allows that user), or
 *     {@code null} for the node's task user
 * @param secrets variable → the name of the cluster's secret whose value it takes ({@link SecretRefs}); only the
 *     names: values are resolved when an attempt is dispatched, never kept with the task
 */
public record TaskSpec(
    String id,
    String type,
    Priority priority,
    String command,
    List<String> argv,
    Map<String, String> env,
    String cwd,
    long timeoutMs,
    int maxAttempts,
    List<String> dependsOn,
    String node,
    Requirements requires,
    JsonObject payload,
    JsonObject metadata,
    long estimatedDurationMs,
    StagnationAction onStagnation,
    long stagnationSec,
    Limits limits,
    String runAs,
    Map<String, String> secrets) {

  public static final long MAX_TIMEOUT_MS = 30L * 24 * 3600 * 1000;
  public static final int MAX_COMMAND = 256 * 1024;
  /**
   * The most entries {@code depends_on} may hold as parsed: the top of {@code --max-dag-tasks}. The manager holds a
   * task to its own {@code --max-dag-tasks}, so a DAG at that limit may end in one task that waits for all others.
   */
  public static final int MAX_DEPENDS_ON = 1_000_000;
  /** How deep {@code payload} and {@code metadata} may nest (the stored record wraps them a few levels more). */
  public static final int MAX_DEPTH = 32;

  public TaskSpec {
    limits = limits == null ? Limits.NONE : limits;
    secrets = secrets == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secrets));
  }

  public static TaskSpec fromJson(JsonObject j) {
    String type = Fields.optString(j, "type", 64);
    if (type == null || type.isEmpty()) {
      type = j.containsKey("command") || j.containsKey("argv") ? "shell" : null;
    }
    if (type == null) {
      throw new InvalidInputException("type", "type is required (or give a command, which makes it a shell task)");
    }
    if (!type.matches("[a-z0-9_.-]{1,64}")) {
      throw new InvalidInputException("type", "type must match [a-z0-9_.-]{1,64}");
    }
    String cwd = Fields.optString(j, "cwd", 4096);
    if (cwd != null && (cwd.isEmpty() || cwd.indexOf('\0') >= 0)) {
      throw new InvalidInputException("cwd", "cwd must be a non-empty path");
    }
    String command = Fields.optString(j, "command", MAX_COMMAND);
    if (command != null && command.indexOf('\0') >= 0) {
      throw new InvalidInputException("command", "command must not contain NUL");
    }
    List<String> argv = Fields.optStrings(j, "argv", 4096, 65536);
    if (command != null && !argv.isEmpty()) {
      throw new InvalidInputException("argv", "give command or argv, not both");
    }
    if (!argv.isEmpty() && argv.get(0).isEmpty()) {
      throw new InvalidInputException("argv", "argv[0] must name a program");
    }
    argv.forEach(a -> Fields.noNul(a, "argv"));
    String node = Fields.optString(j, "node", 128);
    if (node != null && node.isBlank()) {
      throw new InvalidInputException("node", "node must name a node id or name");
    }
    JsonObject payload = Fields.optObject(j, "payload");
    JsonObject metadata = Fields.optObject(j, "metadata");
    Fields.checkDepth(payload, "payload", MAX_DEPTH);
    Fields.checkDepth(metadata, "metadata", MAX_DEPTH);
    Map<String, String> secrets = SecretRefs.parse(j);
    JsonObject plainEnv = SecretRefs.plainEnv(j);
    Map<String, String> env = Fields.optStringMap(plainEnv == null ? j : new JsonObject().put("env", plainEnv), "env",
        256, Dispatch.ENV_NAME, 65536);
    env.values().forEach(v -> Fields.noNul(v, "env"));
    for (String var : secrets.keySet()) {
      if (env.containsKey(var)) {
        throw new InvalidInputException("secrets", "the variable " + var + " is given both a value in env and the "
            + "secret " + secrets.get(var) + "; give one");
      }
    }
    if (env.size() + secrets.size() > 256) {
      throw new InvalidInputException("env", "env and secrets together have more than 256 entries");
    }
    String runAs = Fields.optString(j, "run_as", 32);
    if (runAs != null && !Dispatch.USER_NAME.matcher(runAs).matches()) {
      throw new InvalidInputException("run_as", "run_as must be a user name: a lower-case letter or _, then up to"
          + " 31 lower-case letters, digits, _ or -");
    }
    List<String> dependsOn = Fields.optStrings(j, "depends_on", MAX_DEPENDS_ON, 64);
    for (String d : dependsOn) {
      if (!Fields.ID.matcher(d).matches()) {
        throw new InvalidInputException("depends_on", "depends_on entries must be task ids ([A-Za-z0-9._-]{1,64})");
      }
    }
    return new TaskSpec(
        Fields.optId(j, "id"),
        type,
        Priority.parse(Fields.optString(j, "priority", 8)),
        command,
        argv,
        env,
        cwd,
        Fields.optLong(j, "timeout_ms", 0, 0, MAX_TIMEOUT_MS),
        (int) Fields.optLong(j, "max_attempts", 0, 0, 100),
        dependsOn,
        node,
        Requirements.fromJson(Fields.optObject(j, "requires")),
        payload == null ? new JsonObject() : payload,
        metadata == null ? new JsonObject() : metadata,
        Fields.optLong(j, "estimated_duration_ms", 0, 0, MAX_TIMEOUT_MS),
        StagnationAction.parse("on_stagnation", Fields.optString(j, "on_stagnation", 16)),
        Fields.optLong(j, "stagnation_sec", 0, 0, MAX_TIMEOUT_MS / 1000),
        Limits.fromJson(j, "limits"),
        runAs,
        secrets);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("priority", priority.name())
        .put("command", command)
        .put("argv", Fields.toArray(argv))
        .put("env", Fields.toObject(env))
        .put("cwd", cwd)
        .put("timeout_ms", timeoutMs)
        .put("max_attempts", maxAttempts)
        .put("depends_on", Fields.toArray(dependsOn))
        .put("node", node)
        .put("requires", requires.toJson())
        .put("payload", payload)
        .put("metadata", metadata)
        .put("estimated_duration_ms", estimatedDurationMs)
        .put("on_stagnation", onStagnation == null ? null : onStagnation.wire())
        .put("stagnation_sec", stagnationSec == 0 ? null : stagnationSec)
        .put("limits", limits.none() ? null : limits.toJson())
        .put("run_as", runAs)
        .put("secrets", secrets.isEmpty() ? null : Fields.toObject(secrets));
  }

  /** Whether this task starts a process (or argv); false means the type must supply one or it is noop. */
  public boolean hasCommand() {
    return (command != null && !command.isBlank()) || !argv.isEmpty();
  }
}
