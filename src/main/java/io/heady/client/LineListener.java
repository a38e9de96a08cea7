package io.heady.client;

import java.util.function.Consumer;

/**
 * A {@link TaskListener} that cuts each stream's output into lines as it arrives and hands each whole line on
 * at once; what is left without a line break is handed on by {@link #flush()} (when the task has ended).
 */
final class LineListener implements TaskListener {
  private final Consumer<OutputLine> sink;
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder err = new StringBuilder();

  LineListener(Consumer<OutputLine> sink) {
    this.sink = sink;
  }

  @Override
  public boolean wantsOutput() {
    return true;
  }

  @Override
  public void stdout(String text) {
    feed(out, OutputLine.STDOUT, text);
  }

  @Override
  public void stderr(String text) {
    feed(err, OutputLine.STDERR, text);
  }

  private void feed(StringBuilder pending, String stream, String text) {
    pending.append(text);
    int start = 0;
    for (int nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n", start)) {
      int end = nl > start && pending.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      sink.accept(new OutputLine(stream, pending.substring(start, end)));
      start = nl + 1;
    }
    pending.delete(0, start);
  }

  @Override
  public void attempt(int attempt, String nodeId) {
    // why: an unfinished line of the attempt before is not continued by the new attempt's output
    flush();
  }

  /** Hands on each stream's last line that had no line break. */
  void flush() {
    if (out.length() > 0) {
      sink.accept(new OutputLine(OutputLine.STDOUT, out.toString()));
      out.setLength(0);
    }
    if (err.length() > 0) {
      sink.accept(new OutputLine(OutputLine.STDERR, err.toString()));
      err.setLength(0);
    }
  }
}
