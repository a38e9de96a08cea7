package io.heady.client.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The bench's progress on stderr: on a terminal one bar redrawn in place
 * ({@code measure [#########.........] 4,512/10,000  8,960/s}); elsewhere (a log, a test) a plain line
 * every ten seconds, so logs stay short.
 */
public final class ProgressBar implements LoadDriver.Listener {
  static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean tty;
  private long lastLineNs;
  private boolean drawn;

  public ProgressBar(PrintWriter err, boolean tty) {
    this.err = err;
    this.tty = tty;
  }

  @Override
  public synchronized void progress(String phase, int finished, int total, double perSecond) {
    if (tty) {
      err.print("\r\033[2K" + line(phase, finished, total, perSecond));
      err.flush();
      drawn = true;
    } else if (System.nanoTime() - lastLineNs > 10_000_000_000L && finished < total) {
      lastLineNs = System.nanoTime();
      err.println("heady bench: " + line(phase, finished, total, perSecond));
      err.flush();
    }
  }

  /** Removes the bar (before other output). */
  public synchronized void clear() {
    if (drawn) {
      err.print("\r\033[2K");
      err.flush();
      drawn = false;
    }
  }

  /** A note line on stderr ({@code heady bench: …}), below the bar. */
  public synchronized void note(String s) {
    clear();
    err.println("heady bench: " + s);
    err.flush();
  }

  static String line(String phase, int finished, int total, double perSecond) {
    int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, (long) finished * WIDTH / total);
    return String.format(Locale.ROOT, "%-8s [%s%s] %,d/%,d  %,.0f/s", phase, "#".repeat(filled),
        ".".repeat(WIDTH - filled), finished, total, perSecond);
  }
}
