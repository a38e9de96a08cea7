package io.heady.common.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The full output of one task in a file, stdout and stderr in the order they were read, at most {@code maxBytes}
 * of it followed by one marker line (on stderr) saying it was cut. Which stream each byte came from goes to a
 * {@link StreamIndex} next to it, which gets no more than {@code maxBytes} either (the log is cut when it is full).
 * Each stream's bytes are written in whole UTF-8 characters: the last one to
 * three bytes of a read that end in the middle of a character wait for that stream's next read, so no run of
 * one stream ends inside a character. Thread-safe (both output readers write here). A write error stops
 * logging; it never fails the task, whose tails are still kept.
 */
final class CappedLog {
  private final OutputStream out;
  private final OutputStream index;
  private final long maxBytes;
  private final byte[][] pending = {new byte[0], new byte[0]};
  private long written;
  private long indexBytes;
  private int stream = -1;
  private boolean cut;
  private boolean closed;

  private CappedLog(OutputStream out, OutputStream index, long maxBytes) {
    this.out = out;
    this.index = index;
    this.maxBytes = maxBytes;
  }

  /** Creates (or replaces) the file, its index and its missing parent directories. {@code maxBytes} 0: no cap. */
  static CappedLog open(Path file, long maxBytes) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // why: unbuffered, so a follower (GET …/log?follow=true) sees output as soon as the task writes it
    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    try {
      return new CappedLog(out, StreamIndex.create(file), maxBytes);
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }

  static String switchMarker(long switches) {
    return "\n[heady: log cut after " + switches + " switches between stdout and stderr; later output was dropped]\n";
  }

  static String marker(long maxBytes) {
    return "\n[heady: log cut at " + maxBytes + " bytes; later output was dropped]\n";
  }

  /** Appends {@code len} bytes that the task wrote to stdout ({@code stderr} false) or stderr. */
  synchronized void write(boolean stderr, byte[] b, int off, int len) {
    if (closed || cut || len == 0) {
      return;
    }
    int s = stderr ? 1 : 0;
    byte[] held = pending[s];
    byte[] all = b;
    int from = off;
    int n = len;
    if (held.length > 0) {
      all = new byte[held.length + len];
      System.arraycopy(held, 0, all, 0, held.length);
      System.arraycopy(b, off, all, held.length, len);
      from = 0;
      n = all.length;
    }
    int whole = LogReader.completeUtf8(all, from, n);
    pending[s] = java.util.Arrays.copyOfRange(all, from + whole, from + n);
    put(s, all, from, whole);
  }

  private void put(int s, byte[] b, int off, int len) {
    if (len == 0 || cut) {
      return;
    }
    try {
      if (s != stream) {
        // why: a task that switches stream at every byte would write eight bytes of index per byte of log; the
        // index gets no more room than the log, so the cap bounds the task's disk use at twice itself
        if (maxBytes != 0 && indexBytes + StreamIndex.RECORD > maxBytes) {
          cutHere(switchMarker(indexBytes / StreamIndex.RECORD));
          return;
        }
        index.write(StreamIndex.record(written, s == 1));
        indexBytes += StreamIndex.RECORD;
        stream = s;
      }
      long room = maxBytes == 0 ? Long.MAX_VALUE : maxBytes - written;
      if (len <= room) {
        out.write(b, off, len);
        written += len;
        return;
      }
      out.write(b, off, (int) room);
      written += room;
      cutHere(marker(maxBytes));
    } catch (IOException e) {
      cut = true;
    }
  }

  /** Ends the log with a marker line, on stderr. */
  private void cutHere(String marker) throws IOException {
    cut = true;
    if (stream != 1) {
      index.write(StreamIndex.record(written, true));
      stream = 1;
    }
    out.write(marker.getBytes(StandardCharsets.UTF_8));
  }

  synchronized void close() {
    if (closed) {
      return;
    }
    // why: what a stream left unfinished at its end is still its output (an invalid or cut character)
    put(0, pending[0], 0, pending[0].length);
    put(1, pending[1], 0, pending[1].length);
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      // why: nothing left to save; the outcome does not depend on the log
    }
    try {
      index.close();
    } catch (IOException e) {
      // as above
    }
  }
}
