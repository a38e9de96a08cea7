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
  private final String prefix;
  private long lastLineNs;
  private boolean drawn;

  public ProgressBar(PrintWriter err, boolean tty) {
    this(err, tty, "heady bench");
  }

  /** A bar whose plain lines and notes start with {@code <prefix>: }. */
  public ProgressBar(PrintWriter err, boolean tty, String prefix) {
    this.err = err;
    this.tty = tty;
    this.prefix = prefix;
  }

  @Override
  public synchronized void progress(String phase, int finished, int total, double perSecond) {
    if (tty) {
      err.print("\r\033[2K" + line(phase, finished, total, perSecond));
      err.flush();
      drawn = true;
    } else if (System.nanoTime() - lastLineNs > 10_000_000_000L && finished < total) {
      lastLineNs = System.nanoTime();
      err.println(prefix + ": " + line(phase, finished, total, perSecond));
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
    err.println(prefix + ": " + s);
    err.flush();
  }

  static String line(String phase, int finished, int total, double perSecond) {
    int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, (long) finished * WIDTH / total);
    return String.format(Locale.ROOT, "%-8s [%s%s] %,d/%,d  %,.0f/s", phase, "#".repeat(filled),
        ".".repeat(WIDTH - filled), finished, total, perSecond);
  }

  /** Whether stderr is a terminal (the system property {@code heady.stderr.tty} overrides). */
  public static boolean stderrTty() {
    String told = System.getProperty("heady.stderr.tty");
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    try {
      java.nio.file.Path fd2 = java.nio.file.Path.of("/proc/self/fd/2");
      if (java.nio.file.Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        String target = java.nio.file.Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (Exception e) {
      // not Linux
    }
    return false;
  }
}
