package io.heady.common.exec;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Limits;

/**
 * What ended an attempt (the first of these wins) and the status it gets. Pure: {@link #verdict} takes the exit
 * value and what the node saw and returns the status, exit code, reason and message.
 */
enum AttemptEnd {
  EXITED, TIMED_OUT, CANCELLED, OUTPUT_LIMIT;

  /**
   * How an attempt ended, as reported.
   *
   * @param exitCode -1 when heady stopped it
   * @param reason {@link Completion#OUT_OF_MEMORY}, {@link Completion#OUTPUT_LIMIT} or {@code null}
   * @param error the message for a node-stopped attempt, or {@code null}
   */
  record Verdict(String status, int exitCode, String reason, String error) {}

  /**
   * @param end what ended it; {@code null} reads as {@link #CANCELLED} (it never spawned)
   * @param exitValue the process's exit value
   * @param outOfMemory the kernel killed a process of the attempt for its memory limit
   */
  static Verdict verdict(AttemptEnd end, int exitValue, boolean outOfMemory, Limits limits) {
    if (end == null || end == CANCELLED) {
      return new Verdict(ProcessOutcome.CANCELLED, -1, null, null);
    }
    if (end == TIMED_OUT) {
      return new Verdict(ProcessOutcome.TIMED_OUT, -1, null, null);
    }
    if (end == OUTPUT_LIMIT) {
      return new Verdict(ProcessOutcome.FAILED, -1, Completion.OUTPUT_LIMIT, "stopped: the task wrote more than its"
          + " output limit (limits.output_mb = " + limits.outputMb() + ")");
    }
    if (exitValue == 0) {
      return new Verdict(ProcessOutcome.SUCCEEDED, 0, null, null);
    }
    if (outOfMemory) {
      return new Verdict(ProcessOutcome.FAILED, exitValue, Completion.OUT_OF_MEMORY, "out of memory: the task went"
          + " over its memory limit (limits.memory_mb = " + limits.memoryMb() + ") and the kernel killed it (exit code "
          + exitValue + ")");
    }
    return new Verdict(ProcessOutcome.FAILED, exitValue, null, null);
  }
}
