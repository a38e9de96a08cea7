package io.heady.client.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one phase of the {@link LoadDriver} knows of each of its tasks: when it was submitted, dispatched,
 * started and finished, and how it ended; and from that, the phase's {@link LoadDriver.Outcome}. Plain state,
 * no Vert.x: the phase feeds it times in nanoseconds, all from one thread.
 */
final class PhaseTally {
  private static final byte OPEN = 0;
  private static final byte SUCCEEDED = 1;
  private static final byte FAILED = 2;
  private static final byte REFUSED = 3;

  private final int n;
  private final long[] sub;
  private final long[] start;
  private final long[] disp;
  private final long[] done;
  private final byte[] state;
  private final boolean[] readBack;
  private int finished;
  private int ok;
  private int failed;
  private int submitErrors;
  private int readBackCount;
  private int running;
  private long firstSubmit = -1;
  private long submitEnd;
  private long lastDone;
  private long lastProgressNs;

  PhaseTally(int n, long now) {
    this.n = n;
    sub = new long[n];
    start = new long[n];
    disp = new long[n];
    done = new long[n];
    state = new byte[n];
    readBack = new boolean[n];
    lastProgressNs = now;
  }

  /** Tasks {@code from} to {@code from + k - 1} were sent at {@code now}. */
  void submitted(int from, int k, long now) {
    if (firstSubmit < 0) {
      firstSubmit = now;
    }
    for (int i = from; i < from + k; i++) {
      sub[i] = now;
    }
  }

  /** The last task was sent at {@code now}. */
  void allSubmitted(long now) {
    submitEnd = now;
  }

  /** The submission of these tasks failed: those not already finished count as refused. */
  void submitFailed(int from, int k, long now) {
    for (int i = from; i < from + k; i++) {
      if (state[i] == OPEN) {
        state[i] = REFUSED;
        submitErrors++;
        finish(i, now);
      }
    }
  }

  void dispatched(int i, long now) {
    if (disp[i] == 0) {
      disp[i] = now;
    }
  }

  void running(int i, long now) {
    if (start[i] == 0) {
      start[i] = now;
      running++;
    }
  }

  /** Its terminal event arrived; {@code false} when it had finished already. */
  boolean ended(int i, boolean succeeded, long now) {
    if (state[i] != OPEN) {
      return false;
    }
    end(i, succeeded);
    finish(i, now);
    return true;
  }

  /** Its record, read back, says it ended (its event was missed): counted, but not timed. */
  void endedReadBack(int i, boolean succeeded, long now) {
    if (state[i] != OPEN) {
      return;
    }
    end(i, succeeded);
    readBack[i] = true;
    readBackCount++;
    finish(i, now);
  }

  private void end(int i, boolean succeeded) {
    state[i] = succeeded ? SUCCEEDED : FAILED;
    if (succeeded) {
      ok++;
    } else {
      failed++;
    }
  }

  private void finish(int i, long now) {
    done[i] = now;
    finished++;
    lastDone = Math.max(lastDone, now);
    lastProgressNs = now;
  }

  boolean open(int i) {
    return state[i] == OPEN;
  }

  /** The first {@code max} tasks not finished yet. */
  List<Integer> firstOpen(int max) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n && out.size() < max; i++) {
      if (state[i] == OPEN) {
        out.add(i);
      }
    }
    return out;
  }

  int finished() {
    return finished;
  }

  long lastProgressNs() {
    return lastProgressNs;
  }

  /** Something happened at {@code now}: the stall clock starts again. */
  void progressed(long now) {
    lastProgressNs = now;
  }

  /**
   * The phase's outcome. Start latency is to {@code task.running} when nine in ten succeeded tasks reported
   * it, else to {@code task.dispatched} (a type that runs no process); tasks read back are not timed.
   */
  LoadDriver.Outcome outcome(String tag, String prefix, String firstError, long now) {
    Samples lat = new Samples();
    Samples st = new Samples();
    boolean useRunning = running * 10L >= ok * 9L && running > 0;
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
      if (state[i] == SUCCEEDED && !readBack[i]) {
        lat.add(done[i] - sub[i]);
        long s = useRunning ? start[i] : disp[i];
        if (s > 0) {
          st.add(s - sub[i]);
        }
      }
    }
    return new LoadDriver.Outcome(tag, n, ok, failed, submitErrors, readBackCount, firstSubmit < 0 ? 0 : firstSubmit,
        lastDone == 0 ? now : lastDone, submitEnd, lat, st, useRunning ? "task.running" : "task.dispatched", ids,
        firstError);
  }
}
