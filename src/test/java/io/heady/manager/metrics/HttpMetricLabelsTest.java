package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} series are bounded: a client without a token who sends made-up methods, unknown paths and
 * ids does not add a single series. The manager's registry and Vert.x's HTTP server metrics, as the manager
 * wires them, over a real server and raw requests.
 */
class HttpMetricLabelsTest {
  @Test
  void madeUpMethodsPathsAndIdsAddNoSeries() throws Exception {
    HeadyMetrics metrics = HeadyMetrics.create();
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(metrics.vertxOptions()));
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
          .setHttp2ClearTextEnabled(false)).requestHandler(r -> r.response().setStatusCode(404).end())
          .listen().await(20, TimeUnit.SECONDS);
      send(server.actualPort(), "GET", "/api/cluster/tasks/first");
      int before = series(metrics.scrape());
      for (int i = 0; i < 40; i++) {
        send(server.actualPort(), "M" + i + "ETHOD", "/api/cluster/tasks/id-" + i + "?x=" + i);
        send(server.actualPort(), "GET", "/no/such/path/" + i);
      }
      String text = metrics.scrape();
      Set<String> methods = new TreeSet<>();
      Matcher m = Pattern.compile("method=\"([^\"]*)\"").matcher(text);
      while (m.find()) {
        methods.add(m.group(1));
      }
      assertEquals(Set.of("GET", HeadyMetrics.OTHER_METHOD), methods, "method label values");
      assertFalse(text.contains("id-") || text.contains("/no/such"), "no path or id is a label");
      assertTrue(series(text) <= before + 20, "made-up requests added " + (series(text) - before) + " series");
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
      metrics.close();
    }
  }

  /** Lines that are samples (not comments). */
  private static int series(String text) {
    return (int) text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
  }

  private static void send(int port, String method, String target) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // until the server closes
      }
    }
  }
}
