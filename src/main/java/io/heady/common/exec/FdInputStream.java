package io.heady.common.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;

/**
 * The read end of a pipe, read with {@code read(2)}. One reader thread only; {@link #close} closes the
 * descriptor once (call it from the reading thread, after end of file, so the number is never reused under a
 * read in progress). {@link #abandon()} (any thread) makes the reader see end of file within
 * {@link #POLL_MS}, so a process that escaped with the pipe cannot hold the reader thread for its whole life.
 */
final class FdInputStream extends InputStream {
  static final int POLL_MS = 500;
  private final Libc libc;
  private final int fd;
  private final Memory pollFd = new Memory(8);
  private boolean closed;
  private volatile boolean abandoned;

  FdInputStream(Libc libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    if (len == 0) {
      return 0;
    }
    // why: JNA copies an array argument in and out whole, so read into one at offset 0
    byte[] into = off == 0 ? b : new byte[len];
    while (true) {
      if (abandoned) {
        return -1;
      }
      try {
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) Libc.POLLIN);
        pollFd.setShort(6, (short) 0);
        if (libc.poll(pollFd, new NativeLong(1), POLL_MS) == 0) {
          continue;
        }
        int n = libc.read(fd, into, new NativeLong(len)).intValue();
        if (n == 0) {
          return -1;
        }
        if (into != b) {
          System.arraycopy(into, 0, b, off, n);
        }
        return n;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Libc.EINTR) {
          throw new IOException("read: errno " + e.getErrorCode());
        }
      }
    }
  }

  /** The output is no longer wanted: the reader ends at its next poll (it closes the descriptor itself). */
  void abandon() {
    abandoned = true;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      NativeSpawner.closeQuietly(libc, fd);
    }
  }
}
