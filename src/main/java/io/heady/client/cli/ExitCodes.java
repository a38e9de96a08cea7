package io.heady.client.cli;

import io.heady.client.TaskResult;
import io.heady.client.TaskStatus;

/** The CLI's exit codes, and how a finished task's outcome becomes one (as a shell would report it). */
final class ExitCodes {
  static final int OK = 0;
  /** The API refused, the manager was unreachable, or the task failed without an exit code. */
  static final int ERROR = 1;
  /** A bad command line or configuration. */
  static final int USAGE = 2;
  /** As timeout(1). */
  static final int TIMED_OUT = 124;
  /** As a shell after Ctrl-C (128 + SIGINT). */
  static final int CANCELLED = 130;

  private ExitCodes() {}

  static int of(TaskResult r) {
    return of(r.status(), r.exitCode());
  }

  static int of(TaskStatus status, Integer exitCode) {
    return switch (status) {
      case SUCCEEDED -> OK;
      case FAILED -> exitCode == null || exitCode == 0 ? ERROR : shell(exitCode);
      case TIMED_OUT -> TIMED_OUT;
      case CANCELLED -> CANCELLED;
      default -> ERROR;
    };
  }

  /** A process's exit code as a shell can return it: 1–255; a negative one is a signal (128 + n). */
  static int shell(int code) {
    if (code < 0) {
      return Math.min(255, 128 - code);
    }
    if (code > 255) {
      int low = code & 0xFF;
      return low == 0 ? ERROR : low;
    }
    return code;
  }
}
