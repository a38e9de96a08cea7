package io.heady.client;

/**
 * Hands a task's output to a {@link TaskListener} once, whether it arrives as streamed chunks or as the
 * whole (possibly tail-trimmed) text of a task record read again and again.
 */
final class OutputTracker {
  /**
   * How much of each stream's handed-on text is remembered (characters). why: only the end of it is ever
   * compared with a record's tail (64 KiB by default), and a task may print gigabytes while it is followed.
   */
  static final int REMEMBERED = 8 << 20;
  private final TaskListener listener;
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder err = new StringBuilder();
  private int attempt;

  OutputTracker(TaskListener listener) {
    this.listener = listener;
  }

  /** A streamed chunk: all of it is new. */
  void append(boolean stderr, String chunk) {
    if (chunk == null || chunk.isEmpty()) {
      return;
    }
    remember(stderr ? err : out, chunk);
    emit(stderr, chunk);
  }

  /**
   * The attempt whose output comes next. A later attempt than the one handed on so far starts its output
   * over: what the earlier one printed is forgotten (so a retry that prints the same lines still shows them)
   * and the listener is told.
   */
  void attempt(int n, String nodeId) {
    if (n <= attempt) {
      return;
    }
    boolean retry = attempt > 0;
    attempt = n;
    if (retry) {
      out.setLength(0);
      err.setLength(0);
      listener.attempt(n, nodeId);
    }
  }

  /** The whole output as the record has it now: only what was not handed on yet is. */
  void offer(String stdout, String stderr) {
    offer(false, stdout);
    offer(true, stderr);
  }

  private void offer(boolean stderr, String full) {
    StringBuilder seen = stderr ? err : out;
    String fresh = fresh(seen, full);
    if (!fresh.isEmpty()) {
      remember(seen, fresh);
      emit(stderr, fresh);
    }
  }

  /** How many characters of stdout are remembered (for tests). */
  int rememberedStdout() {
    return out.length();
  }

  private static void remember(StringBuilder seen, String text) {
    seen.append(text);
    if (seen.length() > REMEMBERED) {
      seen.delete(0, seen.length() - REMEMBERED);
    }
  }

  private void emit(boolean stderr, String text) {
    if (stderr) {
      listener.stderr(text);
    } else {
      listener.stdout(text);
    }
  }

  /**
   * The part of {@code full} not yet in {@code emitted}. {@code full} may extend what was emitted, or be the
   * kept tail of a longer output, so it can start anywhere inside {@code emitted}.
   */
  static String fresh(CharSequence emitted, String full) {
    if (full == null || full.isEmpty()) {
      return "";
    }
    int n = emitted.length();
    if (n == 0) {
      return full;
    }
    String e = emitted.toString();
    if (full.startsWith(e)) {
      return full.substring(n);
    }
    // why: the earliest start wins, so the longest overlap is kept; a first-character scan keeps it cheap
    char first = full.charAt(0);
    for (int p = e.indexOf(first, Math.max(0, n - full.length())); p >= 0; p = e.indexOf(first, p + 1)) {
      if (full.regionMatches(0, e, p, n - p)) {
        return full.substring(n - p);
      }
    }
    return full;
  }
}
