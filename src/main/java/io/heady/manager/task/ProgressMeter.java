package io.heady.manager.task;

import io.heady.common.protocol.TaskProgress;
import java.time.Instant;

/**
 * What a task's node measured of its running attempt (output, CPU time, bytes read or written, explicit
 * reports) and when any of it last grew: the watchdog's evidence that the task moves. Each attempt is measured
 * from zero, so a new attempt starts a new meter's worth of counters.
 */
final class ProgressMeter {
  Instant lastProgressAt;
  long outputBytes;
  long cpuMs = -1;
  long ioBytes = -1;
  long reports;
  String note;

  /** Forgets the last attempt's measures (the node measures the new one from zero). */
  void reset() {
    outputBytes = 0;
    cpuMs = -1;
    ioBytes = -1;
    reports = 0;
    note = null;
  }

  /**
   * Takes a measurement; returns whether anything grew, which is progress. Counters only move up: a node that
   * cannot tell a measure (-1) leaves it as it was.
   */
  boolean measure(TaskProgress p, Instant now) {
    boolean grew = false;
    if (p.outputBytes() > outputBytes) {
      outputBytes = p.outputBytes();
      grew = true;
    }
    if (p.cpuMs() > cpuMs) {
      // why: the first sample of a measure only sets its baseline; a task that used CPU before it could
      // be measured has not shown anything new yet
      grew |= cpuMs >= 0;
      cpuMs = p.cpuMs();
    }
    if (p.ioBytes() > ioBytes) {
      grew |= ioBytes >= 0;
      ioBytes = p.ioBytes();
    }
    if (p.reports() > reports) {
      reports = p.reports();
      note = p.note();
      grew = true;
    }
    if (grew) {
      lastProgressAt = now;
    }
    return grew;
  }
}
