package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {
  static JsonObject heady() {
    return new JsonObject("{\"system\":\"heady\",\"kind\":\"noop\",\"agents\":2,\"slots\":2,\"store\":\"memory\","
        + "\"transport\":\"eventbus\",\"in_flight\":\"all\",\"throughput_per_s\":12000.5,"
        + "\"latency_ms\":{\"p50\":0.8,\"p90\":1.5,\"p99\":4.2,\"max\":9.0}}");
  }

  static JsonObject celery() {
    return new JsonObject("{\"system\":\"celery-redis\",\"kind\":\"noop\",\"workers\":2,\"concurrency\":2,"
        + "\"throughput_per_s\":54.2,\"prefetch_multiplier\":1,\"inflight\":\"all\","
        + "\"latency_ms\":{\"p50\":900,\"p90\":1500,\"p99\":2000,\"max\":2100}}");
  }

  @Test
  void isWellFormedSvgWithOneRowARun() throws Exception {
    JsonObject spawn = new JsonObject("{\"system\":\"processbuilder-baseline\",\"tasks\":2000,\"concurrency\":4,"
        + "\"throughput_per_s\":870.1}");
    String svg = SvgChart.render("a <title> & more", List.of(heady(), celery(), spawn));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", d.getDocumentElement().getTagName());
    assertTrue(svg.contains("heady noop 2x2 memory/eventbus"), svg);
    assertTrue(svg.contains("celery noop 2x2 prefetch 1"), svg);
    assertTrue(svg.contains("spawn baseline sh -c true, 4 at once"), svg);
    assertTrue(svg.contains("a &lt;title&gt; &amp; more"));
    assertTrue(svg.contains("12,000") || svg.contains("12,001"), svg);
  }

  @Test
  void labelsAndScales() {
    assertEquals("mine", SvgChart.label(heady().put("label", "mine")));
    assertEquals("heady shell 2x2 redis/http in-flight 1", SvgChart.label(heady().put("kind", "shell")
        .put("store", "redis").put("transport", "http").put("in_flight", "1")));
    assertEquals(0.0, SvgChart.logPos(0.1));
    assertEquals(1.0, SvgChart.logPos(10_000));
    assertEquals(0.4, SvgChart.logPos(10), 1e-9);
    assertEquals(0.0, SvgChart.logPos(0.001));
    assertEquals(20000.0, SvgChart.niceCeil(12000.5), 1e-9);
    assertEquals(2500.0, SvgChart.niceCeil(2100), 1e-9);
    assertEquals(100.0, SvgChart.niceCeil(100), 1e-9);
  }
}
