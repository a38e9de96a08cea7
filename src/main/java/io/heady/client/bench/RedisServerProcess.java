package io.heady.client.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The redis-server a {@link LocalCluster} with a Redis store runs for itself: on loopback, a free port, an AOF
 * with {@code appendfsync always} in the cluster's folder (so a restart on the same port reloads everything
 * acknowledged), logged to {@code redis.log}.
 */
final class RedisServerProcess {
  private final ClusterProcesses processes;
  private final int port;
  private final List<String> cmd;
  private volatile Process process;

  RedisServerProcess(ClusterProcesses processes, Path dir, int port) throws IOException {
    this.processes = processes;
    this.port = port;
    Path rd = Files.createDirectories(dir.resolve("redis"));
    this.cmd = List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", rd.toString(),
        "--daemonize", "no");
  }

  /** Starts it (again) and waits until it answers PING. */
  void start() throws IOException, InterruptedException {
    process = processes.command("redis", cmd);
    awaitPong();
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  private void awaitPong() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + processes.tail("redis"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        OutputStream o = s.getOutputStream();
        o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        byte[] b = new byte[7];
        int n = in.read(b);
        if (n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      ClusterProcesses.pause(deadline, "redis-server on port " + port);
    }
  }
}
