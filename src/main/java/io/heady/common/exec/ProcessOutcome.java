package io.heady.common.exec;

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
 * @param error {@code null}, or why the process could not run (for example {@code "cwd does not exist: /x"})
 */
public record ProcessOutcome(
    String status,
    int exitCode,
    long durationMs,
    String stdout,
    String stderr,
    boolean truncated,
    String error) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String TIMED_OUT = "timed_out";
  public static final String CANCELLED = "cancelled";
}
