package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {
  @Test
  void oneRowARunWithMemory() {
    JsonObject h = SvgChartTest.heady().put("tasks", 20000).put("concurrency", 4).put("lost", 0)
        .put("duplicates", 0).put("rss_mb", new JsonObject().put("manager", 300.5)
            .put("agents", new JsonArray().add(120.0).add(110.0)));
    JsonObject c = SvgChartTest.celery().put("tasks", 5000).put("lost", 0)
        .put("worker_rss_kb", new JsonArray().add(125148).add(125016));
    String t = MarkdownTable.render(List.of(h, c));
    String[] lines = t.split("\n");
    assertEquals(4, lines.length, t);
    assertTrue(lines[2].startsWith("| heady noop 2x2 memory/eventbus | 20,000 | 4 | 12,001 |"), lines[2]);
    assertTrue(lines[2].contains("manager 300.5, agents 120 110"), lines[2]);
    assertTrue(lines[3].startsWith("| celery noop 2x2 prefetch 1 | 5,000 | 4 | 54.2 | 900 |"), lines[3]);
    assertTrue(lines[3].contains("workers 122.2 122.1"), lines[3]);
  }
}
