package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's log keeps which stream each byte came from, and a read hands it back as ordered segments. */
class LogReaderTest {
  @TempDir
  Path dir;

  private CappedLog open(long max) throws Exception {
    return CappedLog.open(dir.resolve("t1.log"), max);
  }

  private static void put(CappedLog log, boolean stderr, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    log.write(stderr, b, 0, b.length);
  }

  /** "out:text" / "err:text" per segment. */
  private static List<String> segments(JsonObject read) {
    List<String> out = new ArrayList<>();
    for (Object o : read.getJsonArray("segments")) {
      JsonObject s = (JsonObject) o;
      out.add(("stderr".equals(s.getString("stream")) ? "err:" : "out:") + s.getString("text"));
    }
    return out;
  }

  @Test
  void interleavedOutputComesBackInOrderWithItsStream() throws Exception {
    CappedLog log = open(0);
    put(log, false, "one\n");
    put(log, false, "two\n");
    put(log, true, "oops\n");
    put(log, false, "three\n");
    log.close();
    JsonObject r = LogReader.read(dir, "t1", 0, 1 << 20);
    assertEquals("one\ntwo\noops\nthree\n", r.getString("data"));
    assertEquals(List.of("out:one\ntwo\n", "err:oops\n", "out:three\n"), segments(r));
    assertEquals(List.of(0L, 8L, 13L), r.getJsonArray("segments").stream()
        .map(o -> ((JsonObject) o).getLong("offset")).toList());
  }

  @Test
  void aReadFromInsideAStderrRunStartsOnStderr() throws Exception {
    CappedLog log = open(0);
    put(log, false, "ab");
    put(log, true, "cdef");
    put(log, false, "gh");
    log.close();
    JsonObject r = LogReader.read(dir, "t1", 4, 3);
    assertEquals(List.of("err:ef", "out:g"), segments(r));
    assertEquals(7, r.getLong("next_offset"));
  }

  @Test
  void aCharacterSplitAcrossTwoReadsOfOneStreamStaysWholeEvenWithTheOtherStreamBetween() throws Exception {
    CappedLog log = open(0);
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    log.write(false, new byte[] {'x', e[0]}, 0, 2);
    put(log, true, "E");
    log.write(false, new byte[] {e[1], 'y'}, 0, 2);
    log.close();
    JsonObject r = LogReader.read(dir, "t1", 0, 100);
    assertEquals(List.of("out:x", "err:E", "out:éy"), segments(r));
    assertFalse(r.getString("data").contains("\uFFFD"));
  }

  @Test
  void aReadThatEndsInsideACharacterStopsBeforeIt() throws Exception {
    CappedLog log = open(0);
    put(log, false, "aé");
    log.close();
    JsonObject r = LogReader.read(dir, "t1", 0, 2);
    assertEquals(List.of("out:a"), segments(r));
    assertEquals(1, r.getLong("next_offset"));
    assertEquals(List.of("out:é"), segments(LogReader.read(dir, "t1", 1, 10)));
  }

  @Test
  void whatAStreamLeftUnfinishedIsWrittenAtClose() throws Exception {
    CappedLog log = open(0);
    log.write(true, new byte[] {'z', (byte) 0xE2}, 0, 2);
    log.close();
    assertEquals(2, Files.size(dir.resolve("t1.log")));
  }

  @Test
  void aLogWithoutAnIndexIsAllStdout() throws Exception {
    Files.writeString(dir.resolve("old.log"), "from an older node\n");
    JsonObject r = LogReader.read(dir, "old", 0, 100);
    assertEquals(List.of("out:from an older node\n"), segments(r));
  }

  @Test
  void noLogIsNull() throws Exception {
    assertNull(LogReader.read(dir, "nope", 0, 100));
    assertNull(LogReader.read(dir, "../etc/passwd", 0, 100));
  }

  @Test
  void theCutMarkerIsOnStderr() throws Exception {
    CappedLog log = open(10);
    put(log, false, "0123456789abc");
    log.close();
    JsonObject r = LogReader.read(dir, "t1", 0, 1000);
    assertEquals(List.of("out:0123456789", "err:" + CappedLog.marker(10)), segments(r));
  }

  /**
   * The index gets no more room than the log: a task that switches stream at every byte wrote an index eight
   * times the size of its capped log (6.5 times in a real run), so a 10 MB cap let one task's files grow to
   * some 90 MB. Its log is cut, saying why.
   */
  @Test
  void aTaskSwitchingStreamsAtEveryByteStaysWithinTheCap() throws Exception {
    CappedLog log = open(1000);
    for (int i = 0; i < 4000; i++) {
      put(log, i % 2 == 1, "x");
    }
    log.close();
    long logBytes = Files.size(dir.resolve("t1.log"));
    long indexBytes = Files.size(dir.resolve("t1.streams"));
    String marker = CappedLog.switchMarker(125);
    assertTrue(indexBytes <= 1000 + StreamIndex.RECORD, "index " + indexBytes + " bytes for a cap of 1000");
    assertEquals(125 + marker.length(), logBytes, "one byte per switch, then the marker");
    JsonObject r = LogReader.read(dir, "t1", 0, 1 << 20);
    List<String> segs = segments(r);
    assertEquals("err:" + marker, segs.get(segs.size() - 1), "the log says it was cut");
    assertEquals("out:x", segs.get(0));
    assertEquals("err:x", segs.get(1));
  }

  @Test
  void aReadWithTooManySwitchesStopsAtOneAndTheNextGoesOn() throws Exception {
    CappedLog log = open(0);
    int switches = LogReader.MAX_SEGMENTS + 10;
    for (int i = 0; i < switches; i++) {
      put(log, i % 2 == 1, "x");
    }
    log.close();
    JsonObject first = LogReader.read(dir, "t1", 0, 1 << 20);
    JsonArray segs = first.getJsonArray("segments");
    assertEquals(LogReader.MAX_SEGMENTS, segs.size());
    assertEquals(LogReader.MAX_SEGMENTS, first.getLong("next_offset"));
    JsonObject rest = LogReader.read(dir, "t1", first.getLong("next_offset"), 1 << 20);
    assertEquals(10, rest.getJsonArray("segments").size());
    assertEquals("out:x", segments(rest).get(0), "byte 2048 came from an even-numbered (stdout) write");
    assertTrue(rest.getLong("next_offset") == switches);
  }

  @Test
  void anOlderAttemptsIndexIsReplaced() throws Exception {
    CappedLog log = open(0);
    put(log, true, "old attempt on stderr");
    log.close();
    log = open(0);
    put(log, false, "new");
    log.close();
    assertEquals(List.of("out:new"), segments(LogReader.read(dir, "t1", 0, 100)));
  }
}
