package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void nearestRankLikeThePeer() {
    Samples s = new Samples();
    for (int i = 100; i >= 1; i--) {
      s.add(i * 1_000_000L); // 1..100 ms, added out of order
    }
    assertEquals(50_000_000L, s.percentileNanos(50));
    assertEquals(90_000_000L, s.percentileNanos(90));
    assertEquals(99_000_000L, s.percentileNanos(99));
    assertEquals(100_000_000L, s.maxNanos());
    JsonObject j = s.toJson();
    assertEquals(50.0, j.getDouble("p50"));
    assertEquals(100.0, j.getDouble("max"));
  }

  @Test
  void smallSetsAndRounding() {
    Samples s = new Samples();
    s.add(1_234_567L);
    assertEquals(1.23, s.toJson().getDouble("p50"));
    assertEquals(1.23, s.toJson().getDouble("p99"));
    s.add(2_000_000L);
    assertEquals(1_234_567L, s.percentileNanos(50));
    assertEquals(2_000_000L, s.percentileNanos(51));
  }

  @Test
  void growsPastItsFirstArray() {
    Samples s = new Samples();
    for (int i = 0; i < 5000; i++) {
      s.add(i);
    }
    assertEquals(5000, s.size());
    assertEquals(4999, s.maxNanos());
  }

  @Test
  void emptyGivesNulls() {
    JsonObject j = new Samples().toJson();
    assertNull(j.getValue("p50"));
    assertNull(j.getValue("max"));
    assertEquals(4, j.size());
  }
}
