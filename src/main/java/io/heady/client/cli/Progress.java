package io.heady.client.cli;

import io.heady.client.Submission;
import io.heady.client.TaskInfo;
import io.heady.client.TaskListener;
import io.heady.client.TaskStatus;

/**
 * {@code run --wait}'s view of a task: a status line on stderr that updates in place while the task is
 * queued and running (only on a terminal), then the task's output on stdout and stderr as it arrives.
 */
final class Progress implements TaskListener {
  private final CliContext ctx;
  private final boolean show;
  private final long start = System.nanoTime();
  private String waitingReason;
  private boolean lineShown;
  private volatile boolean done;
  private boolean printedOutput;
  private String toldUnplaceable;

  Progress(CliContext ctx, boolean show, Submission s) {
    this.ctx = ctx;
    this.show = show;
    this.waitingReason = s == null ? null : s.waitingReason();
    if (s != null && s.json().getBoolean("unplaceable", false)) {
      unplaceable(s.waitingReason());
    }
  }

  /**
   * A task no node of the cluster could take is said once, in full, on stderr (terminal or not): it waits,
   * and nobody should wait for it without knowing why.
   */
  private void unplaceable(String why) {
    if (why == null || why.equals(toldUnplaceable)) {
      return;
    }
    toldUnplaceable = why;
    clear();
    ctx.err().println("heady: " + why + " (it stays queued and runs when such a node registers)");
    ctx.err().flush();
  }

  @Override
  public boolean wantsOutput() {
    return true;
  }

  @Override
  public synchronized void update(TaskInfo t) {
    if (t.status().terminal()) {
      done = true;
    }
    if (t.status() == TaskStatus.QUEUED && t.json() != null && t.json().getBoolean("unplaceable", false)) {
      waitingReason = t.json().getString("waiting_reason");
      unplaceable(waitingReason);
    }
    if (!show || printedOutput || t.status().terminal()) {
      return;
    }
    if (t.status() != TaskStatus.QUEUED) {
      waitingReason = null;
    }
    String line = line(t, waitingReason, (System.nanoTime() - start) / 1_000_000);
    ctx.err().print("\r\033[2K" + line);
    ctx.err().flush();
    lineShown = true;
  }

  static String line(TaskInfo t, String waitingReason, long elapsedMs) {
    StringBuilder sb = new StringBuilder("heady: ").append(t.taskId()).append(' ').append(t.status().wire());
    String node = t.nodeName() != null ? t.nodeName() : t.nodeId();
    if (node != null && t.status() != TaskStatus.QUEUED && t.status() != TaskStatus.WAITING) {
      sb.append(" on ").append(node);
    }
    if (waitingReason != null && t.status() == TaskStatus.QUEUED) {
      sb.append(": ").append(Table.cut(waitingReason, 60));
    }
    if (t.attempts() > 1) {
      sb.append(" (attempt ").append(t.attempts()).append(')');
    }
    return sb.append("  ").append(Durations.format(elapsedMs)).toString();
  }

  @Override
  public synchronized void stdout(String text) {
    clear();
    printedOutput = true;
    ctx.out().print(text);
    ctx.out().flush();
  }

  @Override
  public synchronized void stderr(String text) {
    clear();
    printedOutput = true;
    ctx.err().print(text);
    ctx.err().flush();
  }

  @Override
  public synchronized void attempt(int attempt, String nodeId) {
    clear();
    ctx.err().println("heady: attempt " + attempt + (nodeId == null ? "" : " on " + nodeId)
        + " starts over; its output follows");
    ctx.err().flush();
  }

  /** Removes the status line. */
  synchronized void clear() {
    if (lineShown) {
      ctx.err().print("\r\033[2K");
      ctx.err().flush();
      lineShown = false;
    }
  }

  /** Ctrl-C while waiting: the task goes on; say so. */
  void interrupted(String taskId) {
    if (!done) {
      clear();
      ctx.err().println("heady: stopped waiting; task " + taskId + " goes on ('heady logs -f " + taskId
          + "' to follow it, 'heady cancel " + taskId + "' to stop it)");
      ctx.err().flush();
    }
  }
}
