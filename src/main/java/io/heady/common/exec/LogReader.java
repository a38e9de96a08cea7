package io.heady.common.exec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a slice of a task's full log file: what the log endpoints and {@code logs -f} page through. The slice
 * comes as one text ({@code data}, stdout and stderr in the order they were written) and as {@code segments},
 * the same bytes cut where the stream changes, each with its stream (see {@link StreamIndex}).
 */
public final class LogReader {
  /** The most one read returns. */
  public static final int MAX_CHUNK = 256 * 1024;
  /** The most segments one read returns; a slice with more switches stops at the first one past it. */
  static final int MAX_SEGMENTS = 2048;

  private LogReader() {}

  /** The length of {@code buf[0..n)} without a trailing, incomplete UTF-8 character. */
  static int completeUtf8(byte[] buf, int n) {
    return completeUtf8(buf, 0, n);
  }

  /** The length of {@code buf[off..off+n)} without a trailing, incomplete UTF-8 character. */
  static int completeUtf8(byte[] buf, int off, int n) {
    int lead = n - 1;
    while (lead >= 0 && n - lead <= 4 && (buf[off + lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0) {
      return n;
    }
    int b = buf[off + lead] & 0xFF;
    int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return lead + len > n ? lead : n;
  }

  /**
   * Bytes from {@code offset} (at most {@code max}) as {@code {task_id, offset, next_offset, size, data,
   * segments: [{stream, offset, text}]}}, or {@code null} when the node has no log for that task. Blocking: call
   * on a worker thread.
   */
  public static JsonObject read(Path logDir, String taskId, long offset, int max) throws IOException {
    if (!taskId.matches("[A-Za-z0-9._-]{1,64}")) {
      return null;
    }
    Path f = logDir.resolve(taskId + ".log");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    byte[] buf;
    long from;
    long size;
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      size = raf.length();
      from = Math.max(0, Math.min(offset, size));
      int n = (int) Math.min(Math.min(Math.max(1, max), MAX_CHUNK), size - from);
      buf = new byte[n];
      raf.seek(from);
      raf.readFully(buf);
    }
    // why: the size was taken before the index is read, and a switch is written before its bytes
    List<StreamIndex.Switch> runs = StreamIndex.covering(f, from, from + buf.length, MAX_SEGMENTS + 1);
    int n = buf.length;
    if (runs.size() > MAX_SEGMENTS) {
      n = (int) (runs.remove(MAX_SEGMENTS).offset() - from); // why: bounded answers; the rest comes next read
    }
    // why: never cut a UTF-8 character in two; the next read starts where this one stopped
    int end = completeUtf8(buf, n);
    JsonArray segments = new JsonArray();
    for (int i = 0; i < runs.size(); i++) {
      int a = (int) (runs.get(i).offset() - from);
      int b = i + 1 < runs.size() ? (int) (runs.get(i + 1).offset() - from) : end;
      b = Math.min(b, end);
      if (b > a) {
        segments.add(new JsonObject().put("stream", runs.get(i).stderr() ? "stderr" : "stdout")
            .put("offset", from + a).put("text", new String(buf, a, b - a, StandardCharsets.UTF_8)));
      }
    }
    return new JsonObject().put("task_id", taskId).put("offset", from).put("next_offset", from + end)
        .put("size", size).put("data", new String(buf, 0, end, StandardCharsets.UTF_8)).put("segments", segments);
  }
}
