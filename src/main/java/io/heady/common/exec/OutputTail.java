package io.heady.common.exec;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes of one output stream. Memory grows with the output up to the capacity, then
 * stays there (a ring). Thread-safe: one reader appends while another takes a snapshot.
 */
final class OutputTail {
  private final int capacity;
  private byte[] buf;
  private int head;   // index of the oldest byte; stays 0 until the ring is full
  private int size;
  private long total;

  OutputTail(int capacity) {
    this.capacity = capacity;
    // why: most tasks print little; do not reserve the full (up to megabytes) tail for each of them
    this.buf = new byte[Math.min(capacity, 4096)];
  }

  synchronized void append(byte[] b, int off, int len) {
    total += len;
    if (capacity == 0 || len == 0) {
      return;
    }
    if (len >= capacity) {
      grow(capacity);
      System.arraycopy(b, off + len - capacity, buf, 0, capacity);
      head = 0;
      size = capacity;
      return;
    }
    grow(Math.min(capacity, Math.max(size + len, buf.length * 2)));
    int pos = (head + size) % capacity;
    int first = Math.min(len, capacity - pos);
    System.arraycopy(b, off, buf, pos, first);
    System.arraycopy(b, off + first, buf, 0, len - first);
    int overflow = size + len - capacity;
    if (overflow > 0) {
      head = (head + overflow) % capacity;
      size = capacity;
    } else {
      size += len;
    }
  }

  // why: growing only happens before the ring is full, while head is 0, so a plain copy keeps the order
  private void grow(int want) {
    if (buf.length < want) {
      byte[] n = new byte[want];
      System.arraycopy(buf, 0, n, 0, size);
      buf = n;
    }
  }

  /** Bytes written so far, kept or not. */
  synchronized long total() {
    return total;
  }

  /** Whether bytes were dropped from the front. */
  synchronized boolean truncated() {
    return total > size;
  }

  /** The kept bytes, oldest first. */
  synchronized byte[] bytes() {
    byte[] out = new byte[size];
    int first = Math.min(size, buf.length - head);
    System.arraycopy(buf, head, out, 0, first);
    System.arraycopy(buf, 0, out, first, size - first);
    return out;
  }

  /**
   * The kept bytes as text. When the front was cut, up to three leading UTF-8 continuation bytes are
   * dropped so the text starts on a character boundary; invalid sequences become U+FFFD.
   */
  synchronized String text() {
    byte[] b = bytes();
    int start = 0;
    if (truncated()) {
      while (start < 3 && start < b.length && (b[start] & 0xC0) == 0x80) {
        start++;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(b, start, b.length - start))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("cannot happen with REPLACE", e);
    }
  }
}
