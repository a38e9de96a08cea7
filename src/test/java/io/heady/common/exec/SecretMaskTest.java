package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Masking of secret values in output that arrives in chunks: every split of the output into two and three reads
 * gives the same masked text as the whole, nothing that could begin a value is let out early, and what is held back
 * comes out at the end.
 */
class SecretMaskTest {
  /** The stream fed in pieces cut at the given offsets, then flushed. */
  private static String streamed(SecretMask m, String text, int... cuts) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    SecretMask.Stream s = m.stream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    for (int c : cuts) {
      out.writeBytes(s.feed(b, from, c - from));
      from = c;
    }
    out.writeBytes(s.feed(b, from, b.length - from));
    out.writeBytes(s.flush());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aValueIsMaskedWhereverTheReadsSplitIt() {
    SecretMask m = SecretMask.of(List.of("hunter2-s3cret"));
    String text = "token=hunter2-s3cret; again hunter2-s3cret and hunter2-s3cre (not whole) end";
    String want = "token=***; again *** and hunter2-s3cre (not whole) end";
    assertEquals(want, m.mask(text));
    int n = text.length();
    for (int i = 0; i <= n; i++) {
      assertEquals(want, streamed(m, text, i), "split at " + i);
      for (int j = i; j <= n; j += 3) {
        assertEquals(want, streamed(m, text, i, j), "split at " + i + " and " + j);
      }
    }
  }

  @Test
  void byteByByteAndAcrossManyChunks() {
    SecretMask m = SecretMask.of(List.of("abcab", "zz"));
    String text = "abcabcabzzabcab-abcabcab-zzz";
    int[] every = new int[text.length() - 1];
    for (int i = 0; i < every.length; i++) {
      every[i] = i + 1;
    }
    String whole = m.mask(text);
    assertEquals(whole, streamed(m, text, every));
    // abcab at 0, then "cab" stays, zz masked, abcab, "-", abcab then "cab-", zz then "z"
    assertEquals("***cab******-***cab-***z", whole);
  }

  @Test
  void onlyWhatCouldBeginAValueIsHeldBack() {
    SecretMask m = SecretMask.of(List.of("SECRET"));
    SecretMask.Stream s = m.stream();
    byte[] a = "output SEC".getBytes(StandardCharsets.UTF_8);
    assertEquals("output ", new String(s.feed(a, 0, a.length), StandardCharsets.UTF_8));
    assertEquals(3, s.held(), "SEC may begin the value");
    byte[] b = "OND line\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("SECOND line\n", new String(s.feed(b, 0, b.length), StandardCharsets.UTF_8),
        "let out as soon as it cannot be the value");
    byte[] c = "SECRE".getBytes(StandardCharsets.UTF_8);
    assertEquals("", new String(s.feed(c, 0, c.length), StandardCharsets.UTF_8));
    assertEquals("SECRE", new String(s.flush(), StandardCharsets.UTF_8), "the end lets the rest out");
    assertEquals(0, s.held());
  }

  @Test
  void aLongerValueThatContainsAShorterOneIsMaskedWhole() {
    SecretMask m = SecretMask.of(List.of("pass", "my-pass-word"));
    assertEquals("*** and ***", m.mask("my-pass-word and pass"));
    assertEquals("*** and ***", streamed(m, "my-pass-word and pass", 5));
  }

  @Test
  void multiByteValuesAndNoValuesAtAll() {
    SecretMask m = SecretMask.of(List.of("pässwörd✓"));
    String text = "x pässwörd✓ y";
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i <= b.length; i++) {
      assertEquals("x *** y", streamed(m, text, i), "split at byte " + i);
    }
    assertTrue(SecretMask.of(List.of("", "")).none());
    assertEquals("as is", SecretMask.NONE.mask("as is"));
    assertEquals(null, m.mask(null));
    assertFalse(m.none());
  }

  @Test
  void randomOutputMatchesTheWholeTextMasked() {
    Random r = new Random(42);
    SecretMask m = SecretMask.of(List.of("aab", "abaab", "b"));
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(40);
      for (int i = 0; i < len; i++) {
        sb.append("abc".charAt(r.nextInt(3)));
      }
      String text = sb.toString();
      String want = naive(text, List.of("abaab", "aab", "b"));
      assertEquals(want, m.mask(text), text);
      int cut = len == 0 ? 0 : r.nextInt(len + 1);
      int cut2 = cut + (len - cut == 0 ? 0 : r.nextInt(len - cut + 1));
      assertEquals(want, streamed(m, text, cut, cut2), text + " cut at " + cut + ", " + cut2);
    }
  }

  /** The same rule done plainly: each value in turn (longest first), leftmost, not overlapping. */
  private static String naive(String text, List<String> longestFirst) {
    String t = text;
    for (String v : longestFirst) {
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < t.length()) {
        if (t.startsWith(v, i)) {
          out.append("***");
          i += v.length();
        } else {
          out.append(t.charAt(i++));
        }
      }
      t = out.toString();
    }
    return t;
  }

  @Test
  void aTextCutThroughAValueHidesTheStartOfIt() {
    SecretMask m = SecretMask.of(List.of("hunter2-long-secret"));
    assertEquals("step 3 key=***", m.maskCut("step 3 key=hunter2-lo"), "the cut went through the value");
    assertEquals("step 3 key=***", m.maskCut("step 3 key=hunter2-long-secret"));
    assertEquals("step 3 hun", m.maskCut("step 3 hun"), "three characters tell nothing");
    assertEquals("all done", m.maskCut("all done"));
  }
}
