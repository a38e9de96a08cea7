package io.heady.common.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stream each byte of a task's log came from: a sidecar file next to the log ({@code <task>.streams}) with
 * one fixed 8-byte record per stream switch, {@code offset << 1 | 1} for stderr and {@code offset << 1} for
 * stdout (big-endian). A byte belongs to the stream of the last switch at or before its offset; a log without an
 * index (an older node's, or one whose index could not be written) is all stdout.
 *
 * <p>why: fixed-size records let a reader find the stream at any offset by binary search without reading the
 * whole index; a switch is written before the bytes it covers, so a reader that took the log's size first sees
 * every switch inside it.
 */
final class StreamIndex {
  static final int RECORD = 8;

  /** One run of bytes of one stream, from {@code offset} to the next switch. */
  record Switch(long offset, boolean stderr) {}

  private StreamIndex() {}

  /** The index file of a log: {@code x.log} → {@code x.streams}. */
  static Path of(Path log) {
    String name = log.getFileName().toString();
    String base = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
    return log.resolveSibling(base + ".streams");
  }

  /** Creates (or empties) the index of {@code log}. */
  static OutputStream create(Path log) throws IOException {
    return Files.newOutputStream(of(log), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  static byte[] record(long offset, boolean stderr) {
    return ByteBuffer.allocate(RECORD).putLong(offset << 1 | (stderr ? 1 : 0)).array();
  }

  /**
   * The switches that cover {@code [from, to)}, in order, the first one moved to {@code from}; at most
   * {@code limit} of them. Without an index: one stdout switch at {@code from}.
   */
  static List<Switch> covering(Path log, long from, long to, int limit) throws IOException {
    List<Switch> out = new ArrayList<>();
    Path idx = of(log);
    if (!Files.isRegularFile(idx)) {
      out.add(new Switch(from, false));
      return out;
    }
    try (RandomAccessFile raf = new RandomAccessFile(idx.toFile(), "r")) {
      long n = raf.length() / RECORD;
      // binary search: the last record whose offset is <= from
      long lo = 0;
      long hi = n - 1;
      long first = -1;
      while (lo <= hi) {
        long mid = (lo + hi) >>> 1;
        if (at(raf, mid).offset() <= from) {
          first = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      out.add(new Switch(from, first >= 0 && at(raf, first).stderr()));
      for (long i = first + 1; i < n && out.size() < limit; i++) {
        Switch s = at(raf, i);
        if (s.offset() >= to) {
          break;
        }
        Switch last = out.get(out.size() - 1);
        if (s.offset() == last.offset()) {
          out.set(out.size() - 1, new Switch(last.offset(), s.stderr())); // why: an empty run says nothing
        } else if (s.stderr() != last.stderr()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Switch at(RandomAccessFile raf, long i) throws IOException {
    raf.seek(i * RECORD);
    long v = raf.readLong();
    return new Switch(v >>> 1, (v & 1) == 1);
  }
}
