package io.heady.common.exec;

import io.heady.common.protocol.TaskProgress;
import java.nio.file.Path;

/**
 * The progress of one running attempt as running totals that never go down: output bytes, CPU time and I/O
 * of its process group (the largest value sampled so far, since a member reaped outside the group takes its
 * share out of the group's sum), and its explicit reports. Thread-safe.
 */
final class AttemptMeter {
  private final RunningProcess process;
  private final ProgressFile reports;
  private long cpuMs = -1;
  private long ioBytes = -1;

  /**
   * @param process the attempt's process; {@code null} for a task that runs none
   * @param progressFile the attempt's progress file, {@code null} when it has none
   */
  AttemptMeter(RunningProcess process, Path progressFile) {
    this.process = process;
    this.reports = progressFile == null ? null : new ProgressFile(progressFile);
  }

  /** The process-group id to sample, or -1 while there is none (not spawned yet, or no process at all). */
  long pgid() {
    return process == null ? -1 : process.pid();
  }

  /** Takes in one sample of the group ({@code null}: none taken) and the progress file; the totals now. */
  synchronized TaskProgress measure(ProcessSampler.Usage usage) {
    if (usage != null) {
      cpuMs = Math.max(cpuMs, usage.cpuMs());
      ioBytes = Math.max(ioBytes, usage.ioBytes());
    }
    if (reports != null) {
      reports.poll();
    }
    return new TaskProgress(process == null ? 0 : process.outputBytes(), cpuMs, ioBytes,
        reports == null ? 0 : reports.reports(), reports == null ? null : reports.note());
  }
}
