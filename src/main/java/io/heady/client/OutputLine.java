package io.heady.client;

/**
 * One line a task wrote, as {@link TaskHandle#follow} hands it on: its stream ({@code stdout} or {@code stderr})
 * and its text without the line break. A last line without a line break is handed on when the task ends.
 */
public record OutputLine(String stream, String text) {
  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";

  public boolean stderr() {
    return STDERR.equals(stream);
  }
}
