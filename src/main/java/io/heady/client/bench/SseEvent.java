package io.heady.client.bench;

import io.vertx.core.buffer.Buffer;

/**
 * One server-sent event of {@code GET /api/cluster/events}, reduced to what the bench needs: its id, its
 * type ({@code task.succeeded} …) and the task it is about. Parsed without building a JSON tree, because a
 * busy run brings several events per task and the bench shares the machine with what it measures.
 *
 * @param id the {@code id:} line, or -1
 * @param type the {@code event:} line, or null
 * @param taskId the first {@code "task_id":"…"} in the data, or null
 */
public record SseEvent(long id, String type, String taskId) {
  private static final String TASK_ID = "\"task_id\":\"";

  /** Parses one event: the text between two blank lines. Null for a comment-only block (pings). */
  public static SseEvent parse(Buffer block) {
    return parse(block.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static SseEvent parse(String text) {
    long id = -1;
    String type = null;
    String taskId = null;
    boolean any = false;
    int at = 0;
    int len = text.length();
    while (at < len) {
      int nl = text.indexOf('\n', at);
      int end = nl < 0 ? len : nl;
      if (end > at && text.charAt(end - 1) == '\r') {
        end--;
      }
      if (text.startsWith("id:", at)) {
        try {
          id = Long.parseLong(text.substring(at + 3, end).trim());
          any = true;
        } catch (NumberFormatException e) {
          id = -1;
        }
      } else if (text.startsWith("event:", at)) {
        type = text.substring(at + 6, end).trim();
        any = true;
      } else if (text.startsWith("data:", at)) {
        any = true;
        if (taskId == null) {
          int k = text.indexOf(TASK_ID, at);
          if (k >= 0 && k < end) {
            int s = k + TASK_ID.length();
            int q = text.indexOf('"', s);
            if (q > s && q <= end) {
              taskId = text.substring(s, q);
            }
          }
        }
      }
      at = nl < 0 ? len : nl + 1;
    }
    return any ? new SseEvent(id, type, taskId) : null;
  }

  /** Whether the event ends a task (succeeded, failed, timed out, cancelled or skipped). */
  public boolean terminal() {
    return type != null && switch (type) {
      case "task.succeeded", "task.failed", "task.timed_out", "task.cancelled", "task.skipped" -> true;
      default -> false;
    };
  }
}
