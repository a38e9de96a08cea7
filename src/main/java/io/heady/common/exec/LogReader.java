package io.heady.common.exec;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a slice of a task's full log file: what the log endpoints and {@code logs -f} page through. */
public final class LogReader {
  /** The most one read returns. */
  public static final int MAX_CHUNK = 256 * 1024;

  private LogReader() {}

  /** The length of {@code buf[0..n)} without a trailing, incomplete UTF-8 character. */
  static int completeUtf8(byte[] buf, int n) {
    int lead = n - 1;
    while (lead >= 0 && n - lead <= 4 && (buf[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0) {
      return n;
    }
    int b = buf[lead] & 0xFF;
    int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return lead + len > n ? lead : n;
  }

  /**
   * Bytes from {@code offset} (at most {@code max}) as {@code {task_id, offset, next_offset, size, data}}, or
   * {@code null} when the node has no log for that task. Blocking: call on a worker thread.
   */
  public static JsonObject read(Path logDir, String taskId, long offset, int max) throws IOException {
    if (!taskId.matches("[A-Za-z0-9._-]{1,64}")) {
      return null;
    }
    Path f = logDir.resolve(taskId + ".log");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      long size = raf.length();
      long from = Math.max(0, Math.min(offset, size));
      int n = (int) Math.min(Math.min(max, MAX_CHUNK), size - from);
      byte[] buf = new byte[n];
      raf.seek(from);
      raf.readFully(buf);
      // why: never cut a UTF-8 character in two; the next read starts where this one stopped
      int end = completeUtf8(buf, n);
      return new JsonObject().put("task_id", taskId).put("offset", from).put("next_offset", from + end)
          .put("size", size).put("data", new String(buf, 0, end, StandardCharsets.UTF_8));
    }
  }
}
