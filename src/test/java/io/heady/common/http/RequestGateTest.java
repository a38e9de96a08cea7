package io.heady.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gate on a real Vert.x HTTP server, driven over raw sockets (so the test controls every byte and when it
 * is sent), with short limits: bodies of 4096 bytes with the token, 64 without; a head within 400 ms, idle
 * keep-alive for 600 ms, a body within 600 ms; three connections per address. Every wait has a deadline (a
 * socket read timeout); nothing sleeps.
 */
@ExtendWith(VertxExtension.class)
class RequestGateTest {
  static final long HEAD_MS = 400;
  static final long IDLE_MS = 600;
  static final long BODY_MS = 600;
  static final HttpLimits LIMITS = new HttpLimits(4096, 64, Duration.ofMillis(HEAD_MS), Duration.ofMillis(IDLE_MS),
      Duration.ofMillis(BODY_MS), 3);
  /** What a timeout may take beyond its setting on a busy machine (the sweep runs every 50 ms). */
  static final long SLACK_MS = 1500;

  private TestServer server;
  private Vertx vertx;

  /** A server with one route of each kind behind the gate. */
  static final class TestServer extends VerticleBase {
    final List<Long> bytesAtCheck = new CopyOnWriteArrayList<>();
    final List<HttpServerRequest> checked = new CopyOnWriteArrayList<>();
    final AtomicInteger handled = new AtomicInteger();
    RequestGate gate;
    HttpServer http;

    @Override
    public Future<?> start() {
      gate = new RequestGate(vertx, LIMITS, "test", Clock.systemUTC());
      Router r = Router.router(vertx);
      r.route().handler(gate.first());
      RequestGate.Check token = rc -> {
        note(rc);
        return "Bearer good".equals(rc.request().getHeader("Authorization")) ? Verdict.withCredential()
            : Verdict.unauthorized("this route needs the good token");
      };
      r.post("/guarded").handler(gate.guard(token)).handler(this::echo);
      r.post("/open").handler(gate.guard(rc -> {
        note(rc);
        return Verdict.anonymous();
      })).handler(this::echo);
      r.get("/ping").handler(gate.guard(rc -> Verdict.anonymous())).handler(rc -> rc.end("pong"));
      // a long answer that writes nothing until it ends, and one that streams: neither is idle
      r.get("/quiet").handler(gate.guard(token)).handler(rc -> vertx.setTimer(3 * IDLE_MS, id -> rc.end("late")));
      r.get("/stream").handler(gate.guard(token)).handler(rc -> {
        rc.response().setChunked(true);
        long[] n = {0};
        vertx.setPeriodic(100, id -> {
          if (++n[0] * 100 >= 3 * IDLE_MS) {
            vertx.cancelTimer(id);
            rc.response().end("end\n");
          } else {
            rc.response().write("tick\n");
          }
        });
      });
      r.route().last().handler(rc -> rc.response().setStatusCode(404).end("no such route"));
      r.route().failureHandler(rc -> rc.response().setStatusCode(rc.statusCode()).end("failed " + rc.statusCode()));
      http = gate.createServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0), r);
      return http.listen();
    }

    private void note(RoutingContext rc) {
      bytesAtCheck.add(rc.request().bytesRead());
      checked.add(rc.request());
    }

    private void echo(RoutingContext rc) {
      handled.incrementAndGet();
      rc.end("got " + (rc.body() == null || rc.body().buffer() == null ? 0 : rc.body().length()));
    }
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = new TestServer();
    vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
  }

  // ---- order and limits ----------------------------------------------------------------------------------

  @Test
  void theCheckRunsBeforeAnyBodyByteIsRead() throws Exception {
    byte[] body = "b".repeat(2000).getBytes(StandardCharsets.US_ASCII);
    try (Client c = new Client(null)) {
      c.send(head("POST", "/guarded", "good", body.length), body); // head and body in one write
      Response r = c.read();
      assertEquals(200, r.status(), r.toString());
      assertEquals("got 2000", r.body());
    }
    assertEquals(List.of(0L), server.bytesAtCheck, "no body byte was read when the check ran");
    assertEquals(2000, server.checked.get(0).bytesRead(), "then the whole body was read");
  }

  @Test
  void aRefusedRequestsLargeBodyIsNotReadAndTheConnectionCloses() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("POST", "/guarded", "bad", 1 << 20), new byte[16 * 1024]);
      Response r = c.read();
      assertEquals(401, r.status(), r.toString());
      assertTrue(r.body().contains("UNAUTHORIZED") && r.body().contains("good token"), r.body());
      assertEquals("Bearer realm=\"test\"", r.header("www-authenticate"));
      c.awaitClosed(SLACK_MS);
    }
    assertEquals(0, server.handled.get(), "the route's handler never ran");
    assertEquals(List.of(0L), server.bytesAtCheck);
    assertTrue(server.checked.get(0).bytesRead() <= LIMITS.anonymousBodyBytes(),
        "read " + server.checked.get(0).bytesRead() + " bytes of a refused body");
  }

  @Test
  void aSmallRefusedBodyIsReadSoTheClientSeesTheAnswerThenTheConnectionCloses() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("POST", "/guarded", null, 20), "{\"command\":\"true\"}  ".getBytes(StandardCharsets.US_ASCII));
      Response r = c.read();
      assertEquals(401, r.status());
      assertEquals("close", r.header("connection"));
      c.awaitClosed(SLACK_MS);
    }
    assertEquals(0, server.handled.get());
  }

  @Test
  void bodyLimitsDependOnTheCredential() throws Exception {
    assertEquals(200, post("/guarded", "good", 4096).status(), "the full limit with the token");
    assertEquals(413, post("/guarded", "good", 4097).status());
    assertEquals(200, post("/open", null, 64).status(), "an open route takes a small body without a token");
    try (Client c = new Client(null)) {
      c.send(head("POST", "/open", null, 65), new byte[65]);
      assertEquals(413, c.read().status(), "and refuses more");
      c.awaitClosed(SLACK_MS);
    }
    // a chunked body without a length is cut at the limit too
    try (Client c = new Client(null)) {
      c.send(("POST /open HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(
          StandardCharsets.US_ASCII));
      c.send(("40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "x".repeat(64) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      assertEquals(413, c.read().status());
      c.awaitClosed(SLACK_MS);
    }
  }

  @Test
  void aBodyDeclaredAsAFormIsRefused415OnItsHeadAndNeverDecoded() throws Exception {
    // what curl -d @file.json sends: a JSON body labelled as a form, larger than a form field may be
    byte[] body = ("{\"command\":\"echo " + "x".repeat(3000) + " 100%\"}").getBytes(StandardCharsets.US_ASCII);
    try (Client c = new Client(null)) {
      c.send(("POST /guarded HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer good\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII), body);
      Response r = c.read();
      assertEquals(415, r.status(), r.toString());
      io.vertx.core.json.JsonObject e = new io.vertx.core.json.JsonObject(r.body()).getJsonObject("error");
      assertEquals("UNSUPPORTED_MEDIA_TYPE", e.getString("code"));
      assertTrue(e.getString("message").contains("application/json"), e.encode());
      assertEquals("application/json", e.getJsonObject("details").getString("expected"));
      assertEquals("application/x-www-form-urlencoded", e.getJsonObject("details").getString("received"));
      // a caller with a credential may finish sending: the connection stays usable
      c.send(head("GET", "/ping", null, -1));
      assertEquals("pong", c.read().body());
    }
    assertEquals(0, server.handled.get(), "the route's handler never ran");
  }

  @Test
  void aBodyWithoutAContentTypeIsReadAsJson() throws Exception {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.US_ASCII);
    try (Client c = new Client(null)) {
      c.send(("POST /guarded HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer good\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
      Response r = c.read();
      assertEquals(200, r.status(), r.toString());
      assertEquals("got " + body.length, r.body());
    }
  }

  @Test
  void aRefusedCallerIsToldWhoItMustBeBeforeWhatItSends() throws Exception {
    try (Client c = new Client(null)) {
      c.send(("POST /guarded HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII), "{}".getBytes(StandardCharsets.US_ASCII));
      assertEquals(401, c.read().status(), "the token is checked first");
    }
  }

  @Test
  void keepAliveWorksForRequestsThatAreServed() throws Exception {
    try (Client c = new Client(null)) {
      for (int i = 0; i < 3; i++) {
        c.send(head("POST", "/guarded", "good", 5), "hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals("got 5", c.read().body());
        c.send(head("GET", "/ping", null, -1));
        assertEquals("pong", c.read().body());
      }
    }
  }

  // ---- connections ---------------------------------------------------------------------------------------

  @Test
  void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
    Client a = new Client("127.0.0.1");
    Client b = new Client("127.0.0.1");
    Client c = new Client("127.0.0.1");
    try (a; b; c; Client d = new Client("127.0.0.1")) {
      d.awaitClosed(SLACK_MS); // the fourth from one address is closed at once, without a request
      try (Client other = new Client("127.0.0.2")) {
        other.send(head("GET", "/ping", null, -1));
        assertEquals("pong", other.read().body(), "another address is served");
      }
      for (Client x : List.of(a, b, c)) {
        x.send(head("GET", "/ping", null, -1));
        assertEquals("pong", x.read().body(), "the first three are served");
      }
      assertTrue(server.gate.refusedConnections() >= 1);
    }
    // once they close, the address may connect again
    Client again = awaitServed("127.0.0.1");
    again.close();
  }

  /** A fresh connection from {@code local} that the server serves, tried until a deadline. */
  private Client awaitServed(String local) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Client c = new Client(local);
      try {
        c.send(head("GET", "/ping", null, -1));
        if ("pong".equals(c.read().body())) {
          return c;
        }
      } catch (IOException e) {
        // closed: the old connections are not counted out yet
      }
      c.close();
      if (System.nanoTime() > end) {
        throw new AssertionError("no connection from " + local + " was served within 10 s");
      }
    }
  }

  @Test
  void aConnectionThatSendsNoWholeHeadIsClosed() throws Exception {
    try (Client silent = new Client(null); Client partial = new Client(null)) {
      partial.send("POST /guarded HTTP/1.1\r\nHost: t\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
      long silentAfter = silent.awaitClosed(HEAD_MS + SLACK_MS);
      partial.awaitClosed(HEAD_MS + SLACK_MS);
      assertTrue(silentAfter >= HEAD_MS / 2, "closed after " + silentAfter + " ms, not at the head timeout");
    }
    assertTrue(server.gate.timedOutConnections() >= 2);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("GET", "/ping", null, -1));
      assertEquals("pong", c.read().body());
      long after = c.awaitClosed(IDLE_MS + SLACK_MS);
      assertTrue(after >= IDLE_MS / 2, "closed " + after + " ms after its answer, before the idle timeout");
    }
  }

  @Test
  void aBodyThatNeverEndsIsAnswered408AndClosed() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("POST", "/guarded", "good", 100), new byte[10]);
      Response r = c.read(BODY_MS + SLACK_MS);
      assertEquals(408, r.status(), r.toString());
      assertTrue(r.body().contains("REQUEST_TIMEOUT"), r.body());
      c.awaitClosed(SLACK_MS);
    }
    assertEquals(0, server.handled.get());
  }

  @Test
  void longAnswersAreNotIdle() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("GET", "/quiet", "good", -1));
      Response quiet = c.read(3 * IDLE_MS + SLACK_MS);
      assertEquals("late", quiet.body(), "an answer that writes nothing for 3 idle timeouts still arrives");
      c.send(head("GET", "/stream", "good", -1));
      Response stream = c.read(3 * IDLE_MS + SLACK_MS);
      assertEquals(200, stream.status());
      assertTrue(stream.body().endsWith("end\n") && stream.body().startsWith("tick\n"), stream.body());
    }
  }

  @Test
  void unknownRoutesLeaveNoBodyUnreadOnAnOpenConnection() throws Exception {
    try (Client c = new Client(null)) {
      c.send(head("POST", "/nowhere", "good", 1 << 20), new byte[1024]);
      assertEquals(404, c.read().status());
      c.awaitClosed(SLACK_MS); // no token was checked there: the caller gets no more than the anonymous limit
    }
    try (Client c = new Client(null)) {
      c.send(head("GET", "/nowhere", null, -1));
      assertEquals(404, c.read().status());
      c.send(head("GET", "/ping", null, -1));
      assertEquals("pong", c.read().body(), "a body-less request keeps its connection");
    }
  }

  // ---- a raw HTTP/1.1 client ----------------------------------------------------------------------------

  static byte[] head(String method, String path, String token, long length) {
    StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: test\r\n");
    if (token != null) {
      h.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (length >= 0) {
      h.append("Content-Type: application/json\r\nContent-Length: ").append(length).append("\r\n");
    }
    return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private Response post(String path, String token, int size) throws IOException {
    try (Client c = new Client(null)) {
      c.send(head("POST", path, token, size), new byte[size]);
      return c.read();
    }
  }

  record Response(int status, java.util.Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One connection to the test server. */
  final class Client implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    Client(String local) throws IOException {
      if (local != null) {
        socket.bind(new InetSocketAddress(local, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", server.http.actualPort()), 5000);
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void send(byte[]... parts) throws IOException {
      for (byte[] p : parts) {
        out.write(p);
      }
      out.flush();
    }

    Response read() throws IOException {
      return read(10_000);
    }

    Response read(long timeoutMs) throws IOException {
      socket.setSoTimeout((int) timeoutMs);
      String status = line();
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      for (String l = line(); !l.isEmpty(); l = line()) {
        int c = l.indexOf(':');
        headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
          body.write(in.readNBytes(n));
          line();
        }
        line();
      } else {
        body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
      }
      return new Response(Integer.parseInt(status.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("the server closed the connection");
        }
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      return sb.toString();
    }

    /** Waits for the server to close the connection; returns how long that took (ms). */
    long awaitClosed(long timeoutMs) throws IOException {
      long start = System.nanoTime();
      socket.setSoTimeout((int) timeoutMs);
      try {
        while (in.read() >= 0) {
          // drop whatever is still sent
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not close the connection within " + timeoutMs + " ms");
      } catch (SocketException reset) {
        // a reset is a close too
      }
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
