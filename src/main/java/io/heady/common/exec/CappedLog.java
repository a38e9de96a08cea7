package io.heady.common.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The full combined output of one task in a file, at most {@code maxBytes} of it followed by one marker line
 * saying it was cut. Thread-safe (both output readers write here). A write error stops logging; it never
 * fails the task, whose tails are still kept.
 */
final class CappedLog {
  private final OutputStream out;
  private final long maxBytes;
  private long written;
  private boolean cut;
  private boolean closed;

  private CappedLog(OutputStream out, long maxBytes) {
    this.out = out;
    this.maxBytes = maxBytes;
  }

  /** Creates (or replaces) the file and its missing parent directories. {@code maxBytes} 0: no cap. */
  static CappedLog open(Path file, long maxBytes) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // why: unbuffered, so a follower (GET …/log?follow=true) sees output as soon as the task writes it
    return new CappedLog(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), maxBytes);
  }

  static String marker(long maxBytes) {
    return "\n[heady: log cut at " + maxBytes + " bytes; later output was dropped]\n";
  }

  synchronized void write(byte[] b, int off, int len) {
    if (closed || cut) {
      return;
    }
    try {
      long room = maxBytes == 0 ? Long.MAX_VALUE : maxBytes - written;
      if (len <= room) {
        out.write(b, off, len);
        written += len;
        return;
      }
      out.write(b, off, (int) room);
      written += room;
      out.write(marker(maxBytes).getBytes(StandardCharsets.UTF_8));
      cut = true;
    } catch (IOException e) {
      cut = true;
    }
  }

  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      // why: nothing left to save; the outcome does not depend on the log
    }
  }
}
