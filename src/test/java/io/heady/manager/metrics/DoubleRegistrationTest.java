package io.heady.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The manager's registry, wired to Vert.x as the manager wires it, logs no double registration for what a manager
 * does at start (event-bus consumers by the dozen, an HTTP server, HTTP clients): Vert.x's repeats of its own
 * gauges are dropped ({@link VertxGaugeRepeats}), and a double registration of a gauge of heady's is still told.
 */
class DoubleRegistrationTest {
  @Test
  void vertxsRepeatsAreQuietAndHeadysOwnDoubleIsStillTold() throws Exception {
    Logger micrometer = (Logger) LoggerFactory.getLogger(VertxGaugeRepeats.LOGGER);
    Level was = micrometer.getLevel();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    micrometer.addAppender(seen);
    micrometer.setLevel(Level.DEBUG); // why: after its first warning Micrometer says the same at debug level
    HeadyMetrics metrics = HeadyMetrics.create();
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(metrics.vertxOptions()));
    try {
      for (int i = 0; i < 5; i++) {
        vertx.eventBus().consumer("test.address." + i, m -> m.reply("ok"));
      }
      vertx.eventBus().consumer("test.address.0", m -> { }); // a second consumer of one address
      assertEquals("ok", vertx.eventBus().request("test.address.1", "ping").await(10, TimeUnit.SECONDS).body());
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(r -> r.response().end("pong")).listen().await(20, TimeUnit.SECONDS);
      HttpClient client = vertx.createHttpClient();
      for (int i = 0; i < 3; i++) {
        assertEquals("pong", client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
            .compose(q -> q.send().compose(HttpClientResponse::body)).await(20, TimeUnit.SECONDS).toString());
      }
      assertEquals(List.of(), repeats(seen), "Vert.x's repeats are not logged");
      String text = metrics.scrape();
      assertTrue(text.contains("vertx_eventbus_handlers") && text.contains("vertx_http_server_active_connections"),
          "Vert.x's gauges are still served");

      Gauge.builder("heady.test.gauge", () -> 1).register(metrics.registry());
      Gauge.builder("heady.test.gauge", () -> 2).register(metrics.registry());
      assertEquals(1, repeats(seen).size(), "a gauge of heady's registered twice is told: " + repeats(seen));
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
      metrics.close();
      micrometer.detachAppender(seen);
      micrometer.setLevel(was);
    }
  }

  private static List<String> repeats(ListAppender<ILoggingEvent> seen) {
    return seen.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("already registered"))
        .toList();
  }
}
