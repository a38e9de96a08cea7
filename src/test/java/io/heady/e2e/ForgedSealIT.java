package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.bench.JvmProfile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seal header is a credential only once its MAC is checked, and that happens on the request head: a stranger
 * who writes {@code Authorization: Heady f=manager, ts=<now>, n=…, sig=<anything>} (every field of which is
 * public: the sender is the manager's name on a node, an enrolled node's id on the manager) gets the body
 * limit of a caller without a credential, not the full one. Otherwise each such request may make the server
 * hold a whole 1 MiB body, and a few hundred of them at once exhaust the heap of a node on the launcher's
 * small-machine options.
 */
class ForgedSealIT {
  private static final int BODY = 1 << 20;

  /** A request head with a forged seal from {@code sender} announcing a 1 MiB body. */
  private static String forgedHead(String path, int port, String sender, int i) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
        + "Authorization: Heady f=" + sender + ", ts=" + System.currentTimeMillis() + ", n=forged" + i
        + ", sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nContent-Length: " + BODY + "\r\n\r\n";
  }

  /**
   * Sends the forged head and 16 KB of the announced body, then waits for the answer's status line: a server
   * that checks the seal on the head answers 401 at once; one that waits for the whole body answers nothing
   * until its body timeout.
   */
  private static String statusLineOfAForgedRequest(int port, String path, String sender) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(forgedHead(path, port, sender, 0).getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[16 * 1024]);
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      try {
        for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
          line.append((char) c);
        }
      } catch (java.net.SocketTimeoutException e) {
        return "no answer within 30 s";
      }
      return line.toString();
    }
  }

  @Test
  void aForgedSealIsRefusedOnTheHeadBeforeAnyBodyByteIsRead() throws Exception {
    int agentPort = HeadyProcess.freePort();
    try (Cluster c = new Cluster().startManager("--offload-cpu-pct=101", "--local-executor=false")) {
      c.startAgent("sealed-a", "--transport=http", "--port=" + agentPort);
      c.awaitNode("sealed-a", "active", Duration.ofSeconds(60));
      assertTrue(statusLineOfAForgedRequest(agentPort, "/api/node/task", "manager").startsWith("HTTP/1.1 401"),
          "the node API answers a forged manager's seal on its head");
      assertTrue(statusLineOfAForgedRequest(c.port, "/api/cluster/nodes/heartbeat", "sealed-a")
          .startsWith("HTTP/1.1 401"), "the manager answers a forged node's seal on its head");
    }
  }

  @Test
  void aNodeOnTheSmallOptionsOutlivesConcurrentUploadsWithForgedSeals() throws Exception {
    int agentPort = HeadyProcess.freePort();
    try (Cluster c = new Cluster()) {
      c.agentJvm = JvmProfile.options("agent-small");
      c.startManager("--offload-cpu-pct=101", "--local-executor=false");
      HeadyProcess agent = c.startAgent("sealed-b", "--transport=http", "--port=" + agentPort);
      c.awaitNode("sealed-b", "active", Duration.ofSeconds(60));
      int uploads = 300;
      ExecutorService pool = Executors.newFixedThreadPool(uploads);
      List<Future<?>> sent = new ArrayList<>();
      List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        for (int i = 0; i < uploads; i++) {
          int n = i;
          sent.add(pool.submit(() -> {
            // why: a few loopback addresses, so the per-address connection cap does not stop the attack early
            Socket s = new Socket();
            held.add(s);
            s.bind(new InetSocketAddress("127.0.3." + (2 + n % 10), 0));
            s.connect(new InetSocketAddress("127.0.0.1", agentPort), 10_000);
            OutputStream out = s.getOutputStream();
            out.write(forgedHead("/api/node/task", agentPort, "manager", n).getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[BODY]);
            out.flush();
            return null;
          }));
        }
        for (Future<?> f : sent) {
          try {
            f.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            // a server that refused on the head closes the connection: the rest of the body cannot be sent
          }
        }
        assertTrue(agent.alive(), "the node survived the uploads:\n" + agent.output());
        String id = c.submit(new JsonObject().put("command", "echo still-here").put("node", "sealed-b"));
        JsonObject done = c.awaitFinished(id, Duration.ofSeconds(90));
        assertTrue(agent.alive(), "the node survived the uploads:\n" + agent.output());
        assertEquals("succeeded", done.getString("status"), done.encodePrettily());
        assertEquals("still-here\n", done.getJsonObject("result").getString("stdout"));
      } finally {
        pool.shutdownNow();
        for (Socket s : held) {
          try {
            s.close();
          } catch (IOException e) {
            // closing what is left
          }
        }
      }
    }
  }
}
