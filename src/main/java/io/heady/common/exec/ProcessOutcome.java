package io.heady.common.exec;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Usage;

/**
 * How one process ended.
 *
 * @param status {@code "succeeded"} (exit 0), {@code "failed"} (non-zero exit, or it could not run),
 *     {@code "timed_out"} or {@code "cancelled"}
 * @param exitCode the exit status; -1 when heady killed it (timeout, cancel) or it never started. A
 *     process that died of a signal nobody at heady sent reports what the JDK reports: 128 + the signal
 * @param durationMs from the start of the spawn to the end, by {@link System#nanoTime()}
 * @param stdout the last {@code tailBytes} of stdout, cut on a UTF-8 character boundary
 * @param stderr the last {@code tailBytes} of stderr, cut the same way
 * @param truncated whether stdout or stderr above is shorter than what the process wrote
 * @param error {@code null}, or why the process could not run (for example {@code "cwd does not exist: /x"}) or
 *     was stopped by the node (out of memory, too much output)
 * @param reason a short code of why a failed attempt failed when the node knows ({@code out_of_memory},
 *     {@code output_limit}), or {@code null}
 * @param usage what the attempt used as its control group measured it ({@link Usage#UNKNOWN} without one)
 * @param enforcement how the attempt was contained, or {@code null} when it never started
 * @param outputBytes every byte the attempt wrote to stdout and stderr, however much of it the tails kept
 */
public record ProcessOutcome(
    String status,
    int exitCode,
    long durationMs,
    String stdout,
    String stderr,
    boolean truncated,
    String error,
    String reason,
    Usage usage,
    Enforcement enforcement,
    long outputBytes) {

  public ProcessOutcome {
    usage = usage == null ? Usage.UNKNOWN : usage;
  }

  /** Without the count of output bytes (taken as what the tails kept). */
  public ProcessOutcome(String status, int exitCode, long durationMs, String stdout, String stderr, boolean truncated,
      String error, String reason, Usage usage, Enforcement enforcement) {
    this(status, exitCode, durationMs, stdout, stderr, truncated, error, reason, usage, enforcement,
        Completion.keptBytes(stdout, stderr));
  }

  /** Without reason, usage or enforcement. */
  public ProcessOutcome(String status, int exitCode, long durationMs, String stdout, String stderr, boolean truncated,
      String error) {
    this(status, exitCode, durationMs, stdout, stderr, truncated, error, null, Usage.UNKNOWN, null);
  }

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String TIMED_OUT = "timed_out";
  public static final String CANCELLED = "cancelled";
}
