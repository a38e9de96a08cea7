package io.heady.common.exec;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.ObjIntConsumer;

/**
 * Reads one output stream of a process to its end, handing each chunk to a sink, then completes
 * {@code done}. Blocks its thread while the stream is open, so it runs on a thread of its own.
 */
final class StreamPump implements Runnable {
  private final InputStream in;
  private final ObjIntConsumer<byte[]> sink;
  private final CompletableFuture<Void> done;
  private final Runnable atEnd;

  StreamPump(InputStream in, ObjIntConsumer<byte[]> sink, CompletableFuture<Void> done) {
    this(in, sink, () -> { }, done);
  }

  /** @param atEnd runs on this thread when the stream has ended, before {@code done} completes */
  StreamPump(InputStream in, ObjIntConsumer<byte[]> sink, Runnable atEnd, CompletableFuture<Void> done) {
    this.in = in;
    this.sink = sink;
    this.atEnd = atEnd;
    this.done = done;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try (InputStream s = in) {
      int n;
      while ((n = s.read(buf)) >= 0) {
        if (n > 0) {
          sink.accept(buf, n);
        }
      }
    } catch (IOException | RuntimeException e) {
      // why: a closed or broken pipe is the end of the output, nothing more
    } finally {
      try {
        atEnd.run();
      } catch (RuntimeException e) {
        // why: the end of the output must still be signalled
      }
      done.complete(null);
    }
  }
}
