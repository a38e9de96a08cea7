package io.heady.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the test's own, on a free loopback port, in a temporary directory: never the
 * machine's Redis on 6379. It can be killed (SIGKILL, by its PID), frozen (SIGSTOP) and restarted on the
 * same port, with the same data directory, to test outages and durability.
 *
 * <pre>
 * try (RedisServer redis = RedisServer.start()) { … redis.url() … redis.stop(); redis.restart(); }
 * </pre>
 */
public final class RedisServer implements AutoCloseable {
  /** The Debian package's binary; {@code HEADY_REDIS_SERVER} points elsewhere. */
  public static final String BINARY = System.getenv().getOrDefault("HEADY_REDIS_SERVER", "/usr/bin/redis-server");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final boolean appendOnly;
  private final String fsync;
  private final String password;
  private int port;
  private Process process;

  private RedisServer(Path dir, boolean appendOnly, String fsync, String password) {
    this.dir = dir;
    this.appendOnly = appendOnly;
    this.fsync = fsync;
    this.password = password;
  }

  /** An in-memory server: no snapshots, no AOF. */
  public static RedisServer start() throws IOException {
    return start(false, null);
  }

  /**
   * A server; with {@code appendOnly} it writes an AOF with {@code appendfsync always} into its temporary
   * directory, so what it acknowledged survives {@link #stop()} and {@link #restart()}. With a password it
   * requires it ({@code requirepass}).
   */
  public static RedisServer start(boolean appendOnly, String password) throws IOException {
    return start(appendOnly, "always", password);
  }

  /**
   * A server with an AOF and the given {@code appendfsync} policy. Note that {@code everysec} does not
   * keep every acknowledged write across a SIGKILL of the server: while a background fsync is running it
   * postpones writing the AOF (up to 2 s) but still answers clients.
   */
  public static RedisServer start(boolean appendOnly, String fsync, String password) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install the redis-server package (.ci/run does)");
    }
    RedisServer s = new RedisServer(Files.createTempDirectory("heady-redis-"), appendOnly, fsync, password);
    IOException last = null;
    // why: the free port is found by binding and releasing it; another process may take it in between
    for (int attempt = 0; attempt < 5; attempt++) {
      s.port = freePort();
      try {
        s.launch();
        Runtime.getRuntime().addShutdownHook(new Thread(s::kill, "redis-server-" + s.port + "-cleanup"));
        return s;
      } catch (IOException e) {
        last = e;
      }
    }
    s.deleteDir();
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://[:password@]127.0.0.1:port/0}. */
  public String url() {
    return url(0);
  }

  public String url(int db) {
    return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port + "/" + db;
  }

  public Path dir() {
    return dir;
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(BINARY,
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--dir", dir.toString(),
        "--daemonize", "no",
        "--save", "",
        "--logfile", dir.resolve("redis.log").toString()));
    if (appendOnly) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", fsync));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server on port " + port + " exited with " + process.exitValue() + ": "
            + tail());
      }
      if (answersPing()) {
        return;
      }
      pause(20);
    }
    kill();
    throw new IOException("redis-server on port " + port + " did not answer PING within " + START_TIMEOUT
        + ": " + tail());
  }

  /** Whether the server answers PING within a second (a frozen one does not). */
  public boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      if (password != null) {
        out.write(command("AUTH", password));
      }
      out.write(command("PING"));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256];
      StringBuilder got = new StringBuilder();
      while (!got.toString().contains("PONG") && !got.toString().contains("-")) {
        int n = in.read(buf);
        if (n < 0) {
          return false;
        }
        got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      return got.toString().contains("PONG") && !got.toString().contains("-LOADING");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends one command over a fresh connection and returns the reply as text (simple, integer and bulk
   * replies; errors come back starting with {@code -}). For tests to look at or poke the server directly.
   */
  public String call(String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
      if (password != null) {
        out.write(command("AUTH", password));
        out.flush();
        readLine(in);
      }
      out.write(command(args));
      out.flush();
      String line = readLine(in);
      if (line.startsWith("$")) {
        int n = Integer.parseInt(line.substring(1));
        if (n < 0) {
          return null;
        }
        byte[] body = new byte[n + 2];
        in.readFully(body);
        return new String(body, 0, n, StandardCharsets.UTF_8);
      }
      return line.startsWith("+") || line.startsWith(":") ? line.substring(1) : line;
    }
  }

  /** How many clients are connected, not counting the one asking. */
  public int clients() throws IOException {
    for (String line : call("INFO", "clients").split("\r?\n")) {
      if (line.startsWith("connected_clients:")) {
        return Integer.parseInt(line.substring("connected_clients:".length()).trim()) - 1;
      }
    }
    throw new IOException("INFO clients has no connected_clients");
  }

  private static String readLine(java.io.DataInputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        in.read();
        return b.toString();
      }
      b.append((char) c);
    }
    throw new IOException("the server closed the connection");
  }

  private static byte[] command(String... args) {
    StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Kills the server with SIGKILL (by its PID) and waits until it is gone. Data in the AOF stays. */
  public void stop() {
    kill();
  }

  private void kill() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    resume(); // why: a stopped process dies of SIGKILL too, but say it plainly
    p.destroyForcibly(); // SIGKILL on Unix, to this PID only
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + p.pid() + " survived SIGKILL for 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes the server (SIGSTOP): it keeps its connections but answers nothing, like a hung host. */
  public void freeze() {
    signal("STOP");
  }

  /** Undoes {@link #freeze()} (SIGCONT). */
  public void resume() {
    if (process != null && process.isAlive()) {
      signal("CONT");
    }
  }

  private void signal(String sig) {
    try {
      Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + sig + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port and directory (killing it first if it still runs). */
  public void restart() throws IOException {
    kill();
    launch();
  }

  /** Kills the server and deletes its directory. */
  @Override
  public void close() {
    kill();
    deleteDir();
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  private String tail() {
    try {
      String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
      log += Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
      return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms); // why: the poll interval of a wait with a deadline, not a synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
