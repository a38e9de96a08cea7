package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Output arrives as chunks or as the record's whole text, again and again; each byte is passed on once. */
class OutputTrackerTest {
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder err = new StringBuilder();
  private final StringBuilder attempts = new StringBuilder();
  private final OutputTracker tracker = new OutputTracker(new TaskListener() {
    @Override
    public void attempt(int attempt, String nodeId) {
      attempts.append(attempt).append('@').append(nodeId).append(';');
    }

    @Override
    public void stdout(String text) {
      out.append(text);
    }

    @Override
    public void stderr(String text) {
      err.append(text);
    }
  });

  @Test
  void aRetryThatPrintsTheSameLinesStillShowsThem() {
    tracker.attempt(1, "n1");
    tracker.offer("same\n", "oops\n");
    tracker.attempt(1, "n1");
    tracker.attempt(2, "n2");
    tracker.offer("same\n", null);
    tracker.attempt(2, "n2");
    tracker.append(false, "more\n");
    tracker.offer("same\nmore\n", "oops\n");
    assertEquals("same\nsame\nmore\n", out.toString());
    assertEquals("oops\noops\n", err.toString(), "the retry's own stderr too");
    assertEquals("2@n2;", attempts.toString(), "told once, for the retry only");
  }

  @Test
  void growingTextIsPassedOnOnce() {
    tracker.offer("a\n", null);
    tracker.offer("a\nb\n", "");
    tracker.offer("a\nb\n", "e\n");
    tracker.offer("a\nb\nc\n", "e\n");
    assertEquals("a\nb\nc\n", out.toString());
    assertEquals("e\n", err.toString());
  }

  @Test
  void streamedChunksAreNotRepeatedByTheFinalRecord() {
    tracker.append(false, "hel");
    tracker.append(false, "lo\n");
    tracker.offer("hello\n", null);
    assertEquals("hello\n", out.toString());
  }

  @Test
  void aKeptTailThatOverlapsWhatWasShownAddsOnlyTheRest() {
    tracker.append(false, "line1\nline2\nline3\n");
    tracker.offer("line2\nline3\nline4\n", null);
    assertEquals("line1\nline2\nline3\nline4\n", out.toString());
    tracker.offer("line4\n", null);
    assertEquals("line1\nline2\nline3\nline4\n", out.toString(), "a tail inside what was shown adds nothing");
  }

  @Test
  void aLongFollowKeepsOnlyTheEndInMemoryAndStillLinesUpWithTheRecordsTail() {
    String chunk = "x".repeat(1 << 20);
    for (int i = 0; i < OutputTracker.REMEMBERED / chunk.length() + 3; i++) {
      tracker.append(false, chunk);
    }
    tracker.append(false, "last line\n");
    assertEquals(OutputTracker.REMEMBERED, tracker.rememberedStdout());
    int before = out.length();
    tracker.offer("x".repeat(100) + "last line\n", null);
    assertEquals(before, out.length(), "the record's tail was all handed on already");
    tracker.offer("last line\nafter the stream broke\n", null);
    assertTrue(out.toString().endsWith("last line\nafter the stream broke\n"));
  }

  @Test
  void freshTable() {
    String[][] cases = {
        // emitted, full, fresh
        {"", "abc", "abc"},
        {"abc", "abc", ""},
        {"abc", "abcdef", "def"},
        {"abcdef", "def", ""},
        {"abcdef", "defgh", "gh"},
        {"abc", "xyz", "xyz"},
        {"abc", "", ""},
    };
    for (String[] c : cases) {
      assertEquals(c[2], OutputTracker.fresh(c[0], c[1]), () -> c[0] + " + " + c[1]);
    }
  }
}
