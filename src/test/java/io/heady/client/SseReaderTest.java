package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static SseReader reader(String text) {
    return new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsEventsSkippingCommentsAndRetry() throws IOException {
    SseReader r = reader(": heady events\nretry: 2000\n\nid: 7\nevent: task.running\ndata: {\"a\":1}\n\n"
        + ": ping\n\ndata: one\ndata: two\n\n");
    assertEquals(new SseReader.Event("7", "task.running", "{\"a\":1}"), r.next());
    assertEquals(new SseReader.Event("7", "message", "one\ntwo"), r.next());
    assertNull(r.next());
    assertEquals("7", r.lastId());
  }

  @Test
  void aLastEventWithoutTheBlankLineStillCounts() throws IOException {
    SseReader r = reader("event: end\ndata:{}");
    assertEquals(new SseReader.Event(null, "end", "{}"), r.next());
    assertNull(r.next());
  }

  @Test
  void streamedTextIsJsonOrALine() {
    assertEquals("hi\n", HeadyClient.text("{\"text\":\"hi\\n\"}"));
    assertEquals("plain\n", HeadyClient.text("plain"));
    assertEquals("{not json\n", HeadyClient.text("{not json"));
  }
}
