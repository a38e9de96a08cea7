package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDK's follow cuts each stream into lines, whatever the chunks, and hands a last partial line on at the end. */
class LineListenerTest {
  @Test
  void chunksBecomeLinesPerStreamInArrivalOrder() {
    List<OutputLine> got = new ArrayList<>();
    LineListener l = new LineListener(got::add);
    l.stdout("one\ntw");
    l.stderr("warn");
    l.stdout("o\r\nthree");
    l.stderr("ing\n\n");
    assertEquals(List.of(new OutputLine("stdout", "one"), new OutputLine("stdout", "two"),
        new OutputLine("stderr", "warning"), new OutputLine("stderr", "")), got);
    l.flush();
    assertEquals(new OutputLine("stdout", "three"), got.get(got.size() - 1));
    assertEquals(5, got.size());
    l.flush();
    assertEquals(5, got.size(), "a flush hands each partial line on once");
  }
}
