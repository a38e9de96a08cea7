package io.heady.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an attacker without a token does to an HTTP server, from one NIO thread: many concurrent 1 MiB uploads
 * (a head announcing the body, then the body as fast as the server takes it; when the server ends one, that
 * slot starts another after a pause) and many half-open connections (a partial request head, then nothing),
 * spread over several loopback source addresses. It counts what the servers answered and when each half-open
 * connection was closed by the server. One shared read-only buffer is the body of every upload.
 */
final class Flood implements AutoCloseable {
  /** A server to attack and the path its uploads go to. */
  record Target(String name, int port, String path) {}

  /** What one target did with the attack so far. */
  static final class Tally {
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong answered401 = new AtomicLong();
    final AtomicLong answered2xx = new AtomicLong();
    final AtomicLong answeredOther = new AtomicLong();
    final AtomicLong endedWithoutAnswer = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong bodyBytesSent = new AtomicLong();
    final AtomicLong halfOpenSent = new AtomicLong();
    final AtomicLong halfOpenOpen = new AtomicLong();
    final List<Long> halfOpenClosedAfterMs = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public String toString() {
      return "uploads " + uploads + " (401: " + answered401 + ", 2xx: " + answered2xx + ", other answer: "
          + answeredOther + ", closed without an answer: " + endedWithoutAnswer + ", connect failures: "
          + connectFailures + ", body MiB sent: " + bodyBytesSent.get() / (1 << 20) + "); half-open: " + halfOpenSent
          + " sent a partial head, " + halfOpenOpen + " still open, " + halfOpenClosedAfterMs.size() + " closed";
    }
  }

  private static final int BODY = 1 << 20;
  private static final long REOPEN_AFTER_MS = 500;

  private final List<Target> targets;
  private final int uploadsPerTarget;
  private final int halfOpenPerTarget;
  private final List<String> sources;
  private final Map<Target, Tally> tallies = new ConcurrentHashMap<>();
  private final ByteBuffer body = ByteBuffer.allocateDirect(BODY).asReadOnlyBuffer();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024);
  private final ArrayDeque<long[]> reopen = new ArrayDeque<>(); // {due nanos, target index, source index}
  private final Selector selector;
  private final Thread thread;
  private volatile boolean uploading = true;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /** One connection's state. */
  private final class Conn {
    final Target target;
    final boolean upload;
    final int source;
    final ByteBuffer head;
    final ByteBuffer bodyLeft;
    final StringBuilder answer = new StringBuilder();
    long headSentAt;

    Conn(Target target, boolean upload, int source) {
      this.target = target;
      this.upload = upload;
      this.source = source;
      String h = upload
          ? "POST " + target.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.port()
              + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY + "\r\n\r\n"
          : "POST " + target.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.port() + "\r\nContent-Le";
      this.head = ByteBuffer.wrap(h.getBytes(StandardCharsets.US_ASCII));
      this.bodyLeft = upload ? body.duplicate() : null;
    }
  }

  Flood(List<Target> targets, int uploadsPerTarget, int halfOpenPerTarget, List<String> sources) throws IOException {
    this.targets = targets;
    this.uploadsPerTarget = uploadsPerTarget;
    this.halfOpenPerTarget = halfOpenPerTarget;
    this.sources = sources;
    targets.forEach(t -> tallies.put(t, new Tally()));
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "flood");
    this.thread.setDaemon(true);
  }

  Tally tally(Target t) {
    return tallies.get(t);
  }

  /** Opens every connection (half-open ones first) and keeps the uploads going. */
  void start() {
    thread.start();
  }

  /** No new uploads from now on (half-open connections stay until the servers close them). */
  void stopUploads() {
    uploading = false;
  }

  /** Whether the attack thread failed (it then stops). */
  Throwable failure() {
    return failure;
  }

  private void loop() {
    try {
      int s = 0;
      for (int i = 0; i < halfOpenPerTarget; i++) {
        for (int t = 0; t < targets.size(); t++) {
          open(targets.get(t), false, s++ % sources.size());
        }
        if (i % 100 == 99) {
          pump(0);
        }
      }
      for (int i = 0; i < uploadsPerTarget; i++) {
        for (int t = 0; t < targets.size(); t++) {
          open(targets.get(t), true, s++ % sources.size());
        }
        if (i % 100 == 99) {
          pump(0);
        }
      }
      while (running) {
        pump(50);
        long now = System.nanoTime();
        while (uploading && !reopen.isEmpty() && reopen.peek()[0] <= now) {
          long[] r = reopen.poll();
          open(targets.get((int) r[1]), true, (int) r[2]);
        }
      }
    } catch (Throwable e) {
      failure = e;
    }
  }

  private void open(Target t, boolean upload, int source) {
    Tally tally = tallies.get(t);
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      // why: the uploads must not pile megabytes into kernel buffers per socket on the test machine
      ch.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(sources.get(source), 0));
      ch.connect(new InetSocketAddress("127.0.0.1", t.port()));
      ch.register(selector, SelectionKey.OP_CONNECT, new Conn(t, upload, source));
      if (upload) {
        tally.uploads.incrementAndGet();
      }
    } catch (IOException e) {
      tally.connectFailures.incrementAndGet();
      closeQuietly(ch);
      if (upload) {
        later(t, source);
      }
    }
  }

  private void later(Target t, int source) {
    reopen.add(new long[] {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REOPEN_AFTER_MS),
        targets.indexOf(t), source});
  }

  private void pump(long timeoutMs) throws IOException {
    if (timeoutMs == 0) {
      selector.selectNow();
    } else {
      selector.select(timeoutMs);
    }
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey k = it.next();
      it.remove();
      Conn c = (Conn) k.attachment();
      SocketChannel ch = (SocketChannel) k.channel();
      try {
        if (k.isValid() && k.isConnectable()) {
          ch.finishConnect();
          k.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
        }
        if (k.isValid() && k.isReadable()) {
          read(k, c, ch);
        }
        if (k.isValid() && k.isWritable()) {
          write(k, c, ch);
        }
      } catch (IOException e) {
        ended(k, c);
      }
    }
  }

  private void write(SelectionKey k, Conn c, SocketChannel ch) throws IOException {
    if (c.head.hasRemaining()) {
      ch.write(c.head);
      if (!c.head.hasRemaining()) {
        c.headSentAt = System.nanoTime();
        if (!c.upload) {
          tallies.get(c.target).halfOpenSent.incrementAndGet();
          tallies.get(c.target).halfOpenOpen.incrementAndGet();
          k.interestOps(SelectionKey.OP_READ); // and then nothing
        }
      }
      return;
    }
    if (c.upload && c.bodyLeft.hasRemaining()) {
      tallies.get(c.target).bodyBytesSent.addAndGet(ch.write(c.bodyLeft));
    }
    if (c.upload && !c.bodyLeft.hasRemaining()) {
      k.interestOps(SelectionKey.OP_READ);
    }
  }

  private void read(SelectionKey k, Conn c, SocketChannel ch) throws IOException {
    scratch.clear();
    int n = ch.read(scratch);
    if (n < 0) {
      ended(k, c);
      return;
    }
    if (c.answer.length() < 64) {
      scratch.flip();
      while (scratch.hasRemaining() && c.answer.length() < 64) {
        c.answer.append((char) scratch.get());
      }
    }
  }

  /** The server ended the connection (EOF or reset). */
  private void ended(SelectionKey k, Conn c) {
    k.cancel();
    closeQuietly((SocketChannel) k.channel());
    Tally tally = tallies.get(c.target);
    if (!c.upload) {
      if (c.headSentAt > 0) {
        tally.halfOpenOpen.decrementAndGet();
        tally.halfOpenClosedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.headSentAt));
      }
      return;
    }
    String a = c.answer.toString();
    if (a.startsWith("HTTP/1.1 401")) {
      tally.answered401.incrementAndGet();
    } else if (a.startsWith("HTTP/1.1 2")) {
      tally.answered2xx.incrementAndGet();
    } else if (a.startsWith("HTTP/")) {
      tally.answeredOther.incrementAndGet();
    } else {
      tally.endedWithoutAnswer.incrementAndGet();
    }
    if (uploading) {
      later(c.target, c.source);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    uploading = false;
    running = false;
    thread.join(10_000);
    for (SelectionKey k : selector.keys()) {
      closeQuietly((SocketChannel) k.channel());
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // done
    }
  }
}
