package io.heady.client;

import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task to submit, built fluently and sent as the JSON body of {@code POST /api/cluster/tasks/route}:
 *
 * <pre>{@code
 * TaskRequest.command("ffmpeg -i in.mp4 out.webm").type("transcode").priority(Priority.P1)
 *     .timeout(Duration.ofMinutes(30)).label("site", "home").memoryMb(2048).cpus(2).build();
 * }</pre>
 *
 * Only what was set is sent; the manager fills in the rest (type {@code shell}, priority P2, the type's timeout).
 */
public final class TaskRequest {
  private final JsonObject json;

  private TaskRequest(JsonObject json) {
    this.json = json;
  }

  /** A shell task: {@code command} runs under {@code /bin/sh -c}. */
  public static Builder command(String command) {
    return new Builder().command(command);
  }

  /** A task that runs a program directly, without a shell. */
  public static Builder argv(String... argv) {
    return new Builder().argv(List.of(argv));
  }

  /** An empty builder: set a command, argv or a type. */
  public static Builder builder() {
    return new Builder();
  }

  /** The client-chosen id, or null. */
  public String id() {
    return json.getString("id");
  }

  /** The JSON body, a copy. */
  public JsonObject toJson() {
    return json.copy();
  }

  @Override
  public String toString() {
    return json.encode();
  }

  /** Collects a task's fields; {@link #build()} checks them. */
  public static final class Builder {
    private String id;
    private String type;
    private Priority priority;
    private String command;
    private List<String> argv;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private String cwd;
    private Long timeoutMs;
    private Integer maxAttempts;
    private final List<String> dependsOn = new ArrayList<>();
    private String node;
    private final JsonObject requires = new JsonObject();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> capabilities = new ArrayList<>();
    private JsonObject payload;
    private final JsonObject metadata = new JsonObject();
    private Long estimatedMs;
    private final JsonObject limits = new JsonObject();
    private String runAs;

    private Builder() {}

    /** A client-chosen id: submitting the same id twice creates one task. */
    public Builder id(String id) {
      if (id != null && !Fields.ID.matcher(id).matches()) {
        throw new IllegalArgumentException("id must match [A-Za-z0-9._-]{1,64}: " + id);
      }
      this.id = id;
      return this;
    }

    /** The task type, which picks the routing policy ({@code shell}, {@code transcode}, {@code build}, …). */
    public Builder type(String type) {
      if (type != null && !type.matches("[a-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("type must match [a-z0-9_.-]{1,64}: " + type);
      }
      this.type = type;
      return this;
    }

    public Builder priority(Priority p) {
      this.priority = p;
      return this;
    }

    /** {@code P0} (most urgent) to {@code P3}. */
    public Builder priority(String p) {
      try {
        this.priority = p == null ? null : Priority.parse(p.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("priority must be one of P0, P1, P2, P3: " + p, e);
      }
      return this;
    }

    public Builder command(String command) {
      this.command = command;
      return this;
    }

    public Builder argv(List<String> argv) {
      this.argv = argv == null ? null : List.copyOf(argv);
      return this;
    }

    /** Pins the task to a node, by id or name (relayq's {@code run_on_mac}). */
    public Builder node(String node) {
      this.node = node;
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> vars) {
      env.putAll(vars);
      return this;
    }

    /**
     * The cluster's secret {@code name} as the variable of the same name ({@code heady secret set NAME} makes one).
     * The manager gives the value to the node that runs each attempt; the task keeps only the name.
     */
    public Builder secret(String name) {
      return secret(name, name);
    }

    /** The cluster's secret {@code secretName} as the variable {@code variable}. */
    public Builder secret(String variable, String secretName) {
      if (variable == null || !Dispatch.ENV_NAME.matcher(variable).matches()) {
        throw new IllegalArgumentException("'" + variable + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      if (!io.heady.common.protocol.SecretRefs.validName(secretName)) {
        throw new IllegalArgumentException("'" + secretName + "' is not a secret name: "
            + io.heady.common.protocol.SecretRefs.NAME_RULE);
      }
      secrets.put(variable, secretName);
      return this;
    }

    public Builder cwd(String cwd) {
      this.cwd = cwd;
      return this;
    }

    /** Kills the task's process tree after this long; rounded to milliseconds. */
    public Builder timeout(Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeoutMs = timeout == null ? null : timeout.toMillis();
      return this;
    }

    /** How many times the task may run in all (1: no retries). */
    public Builder maxAttempts(int n) {
      if (n < 1 || n > 100) {
        throw new IllegalArgumentException("max attempts must be 1 to 100: " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    /** How many times a failed task is tried again (0: none). */
    public Builder retries(int n) {
      return maxAttempts(n + 1);
    }

    /** Runs only after these tasks (ids in the same DAG or existing tasks) have succeeded. */
    public Builder dependsOn(String... ids) {
      dependsOn.addAll(List.of(ids));
      return this;
    }

    /** Only on nodes with this operator label ({@code --label k=v} on the agent). */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> more) {
      labels.putAll(more);
      return this;
    }

    /** Only on nodes with this capability ({@code docker}, {@code ffmpeg}, {@code gpu}, …). */
    public Builder capability(String capability) {
      capabilities.add(capability);
      return this;
    }

    public Builder cores(int cores) {
      requires.put("cores", cores);
      return this;
    }

    public Builder ramGb(double ramGb) {
      requires.put("ram_gb", ramGb);
      return this;
    }

    public Builder gpu(boolean gpu) {
      requires.put("gpu", gpu);
      return this;
    }

    /** {@code x86_64}, {@code aarch64}, {@code armv7}, … */
    public Builder arch(String arch) {
      requires.put("arch", arch);
      return this;
    }

    public Builder payload(JsonObject payload) {
      this.payload = payload == null ? null : payload.copy();
      return this;
    }

    public Builder metadata(String key, Object value) {
      metadata.put(key, value);
      return this;
    }

    /**
     * The most memory the task's processes may hold together, in MiB (at least 4), enforced by its node: over
     * it the task fails with reason {@code out_of_memory}. Unlike {@link #ramGb}, which picks a node with that
     * much memory, this is a ceiling.
     */
    public Builder memoryMb(long mb) {
      limits.put("memory_mb", mb);
      return this;
    }

    /** How many CPUs' worth of time the task may use (1.5: one and a half; 0.5: half of one). */
    public Builder cpus(double cpus) {
      limits.put("cpus", cpus);
      return this;
    }

    /** How many processes and threads the task may have at once. */
    public Builder pids(long pids) {
      limits.put("pids", pids);
      return this;
    }

    /** How much stdout and stderr its node keeps, in MiB; past it the task fails with {@code output_limit}. */
    public Builder outputMb(long mb) {
      limits.put("output_mb", mb);
      return this;
    }

    /** Sets every limit that {@code l} sets (its zeros leave the others as they are). */
    public Builder limits(Limits l) {
      if (l != null) {
        limits.mergeIn(l.toJson());
      }
      return this;
    }

    /** The user the task runs as on its node; the node runs it only when its operator allows that user. */
    public Builder runAs(String user) {
      if (user != null && !Dispatch.USER_NAME.matcher(user).matches()) {
        throw new IllegalArgumentException("run as must be a user name (a lower-case letter or _, then lower-case"
            + " letters, digits, _ or -): " + user);
      }
      this.runAs = user;
      return this;
    }

    public Builder estimatedDuration(Duration d) {
      this.estimatedMs = d == null ? null : d.toMillis();
      return this;
    }

    public TaskRequest build() {
      boolean hasCommand = command != null && !command.isBlank();
      boolean hasArgv = argv != null && !argv.isEmpty();
      if (hasCommand && hasArgv) {
        throw new IllegalArgumentException("give a command or argv, not both");
      }
      if (!hasCommand && !hasArgv && type == null) {
        throw new IllegalArgumentException("a task needs a command, argv or a type");
      }
      if (node != null && node.isBlank()) {
        throw new IllegalArgumentException("node must name a node id or name");
      }
      JsonObject j = new JsonObject();
      put(j, "id", id);
      put(j, "type", type);
      put(j, "priority", priority == null ? null : priority.name());
      if (hasCommand) {
        j.put("command", command);
      }
      if (hasArgv) {
        j.put("argv", new JsonArray(new ArrayList<>(argv)));
      }
      put(j, "node", node);
      if (!env.isEmpty()) {
        j.put("env", new JsonObject(new LinkedHashMap<>(env)));
      }
      if (!secrets.isEmpty()) {
        j.put("secrets", new JsonObject(new LinkedHashMap<>(secrets)));
      }
      put(j, "cwd", cwd);
      put(j, "timeout_ms", timeoutMs);
      put(j, "max_attempts", maxAttempts);
      if (!dependsOn.isEmpty()) {
        j.put("depends_on", new JsonArray(new ArrayList<>(dependsOn)));
      }
      JsonObject req = requires.copy();
      if (!labels.isEmpty()) {
        req.put("labels", new JsonObject(new LinkedHashMap<>(labels)));
      }
      if (!capabilities.isEmpty()) {
        req.put("capabilities", new JsonArray(new ArrayList<>(capabilities)));
      }
      if (!req.isEmpty()) {
        j.put("requires", req);
      }
      put(j, "payload", payload);
      if (!metadata.isEmpty()) {
        j.put("metadata", metadata.copy());
      }
      put(j, "estimated_duration_ms", estimatedMs);
      if (!limits.isEmpty()) {
        try {
          Limits.fromJson(new JsonObject().put("limits", limits), "limits");
        } catch (InvalidInputException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        j.put("limits", limits.copy());
      }
      put(j, "run_as", runAs);
      return new TaskRequest(j);
    }

    private static void put(JsonObject j, String k, Object v) {
      if (v != null) {
        j.put(k, v);
      }
    }
  }
}
