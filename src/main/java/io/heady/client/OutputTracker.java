package io.heady.client;

/**
 * Hands a task's output to a {@link TaskListener} once, whether it arrives as streamed chunks or as the
 * whole (possibly tail-trimmed) text of a task record read again and again.
 */
final class OutputTracker {
  private final TaskListener listener;
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder err = new StringBuilder();

  OutputTracker(TaskListener listener) {
    this.listener = listener;
  }

  /** A streamed chunk: all of it is new. */
  void append(boolean stderr, String chunk) {
    if (chunk == null || chunk.isEmpty()) {
      return;
    }
    (stderr ? err : out).append(chunk);
    emit(stderr, chunk);
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
      seen.append(fresh);
      emit(stderr, fresh);
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
