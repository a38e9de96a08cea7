package io.heady.common.exec;

import io.heady.common.protocol.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: one attempt of one task on this machine.
 *
 * <p>The compact constructor normalises ({@code null} argv and env become empty, a {@code null} kill grace
 * becomes {@link #DEFAULT_KILL_GRACE}) and rejects values that are programming errors (negative numbers, an
 * unknown speed, {@code null} inside argv or env) with {@link IllegalArgumentException}. Whether the
 * program can actually run (cwd, executable) is checked when it starts and reported in the outcome.
 *
 * @param taskId the task this process belongs to (for messages only)
 * @param command run by {@code /bin/sh -c} when {@code argv} is empty
 * @param argv run directly, without any shell, when not empty
 * @param env added to the inherited environment, after every inherited {@code HEADY_*} variable was removed
 * @param cwd working directory; {@code null}: the runner's (the JVM's) working directory
 * @param timeoutMs after this the whole process tree is killed and the outcome is {@code timed_out}; 0: none
 * @param killGrace time between SIGTERM and SIGKILL when the tree is killed
 * @param tailBytes how many bytes of stdout and of stderr (each) the outcome keeps, the last ones
 * @param logMaxBytes cap of the full combined log file; 0: no cap
 * @param logFile where the full combined stdout+stderr goes (replaced if it exists); {@code null}: no log
 * @param speed {@code "MAX"} or {@code null}: normal priority; {@code "ON"}: {@code nice -n 5};
 *     {@code "OFF"}: {@code nice -n 10}
 * @param progressFile where the task may append progress reports, one line each: created empty before the
 *     task starts, named to the task in {@link #PROGRESS_FILE_ENV} (over any value of {@code env}), removed when
 *     the attempt ends; {@code null}: none
 * @param limits what the attempt may use, enforced by the runner's containment ({@link Limits#NONE}: nothing)
 * @param runAs the user the task asked to run as ({@code null}: the node's task user)
 * @param allowDaemon processes the task leaves behind may outlive it; otherwise they are killed when it ends
 * @param secrets variables whose values are the task's secrets: added to its environment over {@code env}, and
 *     masked ({@link SecretMask}) wherever its output is kept; {@link #toString()} never shows them
 */
public record ProcessSpec(
    String taskId,
    String command,
    List<String> argv,
    Map<String, String> env,
    String cwd,
    long timeoutMs,
    Duration killGrace,
    int tailBytes,
    long logMaxBytes,
    Path logFile,
    String speed,
    Path progressFile,
    Limits limits,
    String runAs,
    boolean allowDaemon,
    Map<String, String> secrets) {

  /** The kill grace used when none is given (the same as the {@code kill-grace-sec} default). */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  /**
   * The variable that gives a task the path of its progress file. Every line the task appends there is one
   * progress report ({@code echo "50%" >> "$HEADY_PROGRESS_FILE"}), and the last one is shown with the task:
   * the way a task that writes no output and uses little CPU tells the watchdog it is still alive.
   */
  public static final String PROGRESS_FILE_ENV = "HEADY_PROGRESS_FILE";

  /** A spec without a progress file. */
  public ProcessSpec(String taskId, String command, List<String> argv, Map<String, String> env, String cwd,
      long timeoutMs, Duration killGrace, int tailBytes, long logMaxBytes, Path logFile, String speed) {
    this(taskId, command, argv, env, cwd, timeoutMs, killGrace, tailBytes, logMaxBytes, logFile, speed, null);
  }

  /** A spec without limits, asked-for user or daemons. */
  public ProcessSpec(String taskId, String command, List<String> argv, Map<String, String> env, String cwd,
      long timeoutMs, Duration killGrace, int tailBytes, long logMaxBytes, Path logFile, String speed,
      Path progressFile) {
    this(taskId, command, argv, env, cwd, timeoutMs, killGrace, tailBytes, logMaxBytes, logFile, speed, progressFile,
        Limits.NONE, null, false, Map.of());
  }

  /** A spec without secrets. */
  public ProcessSpec(String taskId, String command, List<String> argv, Map<String, String> env, String cwd,
      long timeoutMs, Duration killGrace, int tailBytes, long logMaxBytes, Path logFile, String speed,
      Path progressFile, Limits limits, String runAs, boolean allowDaemon) {
    this(taskId, command, argv, env, cwd, timeoutMs, killGrace, tailBytes, logMaxBytes, logFile, speed, progressFile,
        limits, runAs, allowDaemon, Map.of());
  }

  /** Never shows the secrets' values (nor the plain env, which may hold what its owner thinks private). */
  @Override
  public String toString() {
    return "ProcessSpec[" + taskId + ", " + (argv.isEmpty() ? "sh -c" : argv.get(0)) + ", " + env.size() + " env, "
        + secrets.size() + " secret(s)]";
  }

  /** The cap of the log and of all output: the smaller of {@code logMaxBytes} and {@code limits.output_mb}; 0: none. */
  public long outputCapBytes() {
    long out = limits.outputMb() << 20;
    if (out == 0) {
      return logMaxBytes;
    }
    return logMaxBytes == 0 ? out : Math.min(out, logMaxBytes);
  }

  public ProcessSpec {
    Objects.requireNonNull(taskId, "taskId");
    argv = copyArgv(argv);
    env = copyEnv(env);
    secrets = copyEnv(secrets);
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0 (0: no timeout), got " + timeoutMs);
    }
    killGrace = killGrace == null ? DEFAULT_KILL_GRACE : killGrace;
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative, got " + killGrace);
    }
    if (tailBytes < 0) {
      throw new IllegalArgumentException("tailBytes must be >= 0, got " + tailBytes);
    }
    if (logMaxBytes < 0) {
      throw new IllegalArgumentException("logMaxBytes must be >= 0 (0: no cap), got " + logMaxBytes);
    }
    limits = limits == null ? Limits.NONE : limits;
    if (speed != null && !speed.equals("MAX") && !speed.equals("ON") && !speed.equals("OFF")) {
      throw new IllegalArgumentException("speed must be MAX, ON, OFF or null, got " + speed);
    }
  }

  private static List<String> copyArgv(List<String> argv) {
    if (argv == null) {
      return List.of();
    }
    List<String> copy = new ArrayList<>(argv.size());
    for (String a : argv) {
      if (a == null) {
        throw new IllegalArgumentException("argv must not contain null");
      }
      copy.add(a);
    }
    return Collections.unmodifiableList(copy);
  }

  private static Map<String, String> copyEnv(Map<String, String> env) {
    if (env == null) {
      return Map.of();
    }
    // why: LinkedHashMap, not Map.copyOf, so the order the caller gave is the order the child sees
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new IllegalArgumentException("env must have non-empty names and non-null values: " + e.getKey());
      }
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }
}
