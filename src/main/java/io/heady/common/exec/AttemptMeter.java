package io.heady.common.exec;

import io.heady.common.exec.contain.AttemptBox;
import io.heady.common.protocol.TaskProgress;
import io.heady.common.protocol.Usage;
import java.nio.file.Path;

/**
 * The progress of one running attempt as running totals that never go down: output bytes, CPU time and I/O
 * of its process group (the largest value sampled so far, since a member reaped outside the group takes its
 * share out of the group's sum) or of its control group when it has one (which also counts processes that
 * left the process group), and its explicit reports. Thread-safe.
 */
final class AttemptMeter {
  private final RunningProcess process;
  private final Path requestedProgressFile;
  private ProgressFile reports;
  private long cpuMs = -1;
  private long userMs = -1;
  private long ioBytes = -1;

  /**
   * @param process the attempt's process; {@code null} for a task that runs none
   * @param progressFile the attempt's progress file as asked for, {@code null} when it has none (the process
   *     may keep it elsewhere: its user's private folder)
   */
  AttemptMeter(RunningProcess process, Path progressFile) {
    this.process = process;
    this.requestedProgressFile = progressFile;
  }

  /** The process-group id to sample, or -1 while there is none (not spawned yet, or no process at all). */
  long pgid() {
    return process == null ? -1 : process.pid();
  }

  /** Takes in one sample of the group ({@code null}: none taken) and the progress file; the totals now. */
  synchronized TaskProgress measure(ProcessSampler.Usage usage) {
    if (usage != null) {
      if (usage.cpuMs() > cpuMs) {
        cpuMs = usage.cpuMs();
        userMs = usage.userMs();
      }
      ioBytes = Math.max(ioBytes, usage.ioBytes());
    }
    AttemptBox box = process == null ? null : process.box();
    if (box != null && box.whole()) {
      Usage u = box.group().usage();
      if (u.cpuUserSec() >= 0 && u.cpuSystemSec() >= 0) {
        cpuMs = Math.max(cpuMs, Math.round((u.cpuUserSec() + u.cpuSystemSec()) * 1000));
      }
      if (u.readBytes() >= 0 && u.writeBytes() >= 0) {
        ioBytes = Math.max(ioBytes, u.readBytes() + u.writeBytes());
      }
    }
    ProgressFile r = reports();
    if (r != null) {
      r.poll();
    }
    // why: a task may write its secret into its progress file too; the note is shown with the task, and it
    // was cut to its length before, perhaps through a value
    String note = r == null ? null : process == null ? r.note() : process.mask().maskCut(r.note());
    return new TaskProgress(process == null ? 0 : process.outputBytes(), cpuMs, ioBytes,
        r == null ? 0 : r.reports(), note);
  }

  /**
   * What the {@code /proc} samples of its process group saw, for an attempt without a control group: CPU time
   * (-1 before the first sample), nothing else.
   */
  synchronized Usage sampled() {
    if (userMs < 0) {
      return Usage.UNKNOWN;
    }
    return new Usage(userMs / 1000.0, Math.max(0, cpuMs - userMs) / 1000.0, -1, -1, -1);
  }

  private ProgressFile reports() {
    if (reports == null && requestedProgressFile != null) {
      Path p = process == null || process.progressFile() == null ? requestedProgressFile : process.progressFile();
      if (process == null || process.box() != null) {
        // why: only once the attempt is opened is it known where its progress file really lives
        reports = new ProgressFile(p);
      }
    }
    return reports;
  }
}
