package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputTailTest {

  @Test
  void keepsExactlyTheLastBytesWhateverTheChunking() {
    Random rnd = new Random(42);
    for (int round = 0; round < 300; round++) {
      int cap = rnd.nextInt(50);
      OutputTail tail = new OutputTail(cap);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      int chunks = rnd.nextInt(20);
      for (int i = 0; i < chunks; i++) {
        byte[] chunk = new byte[rnd.nextInt(cap * 2 + 3)];
        rnd.nextBytes(chunk);
        int off = chunk.length == 0 ? 0 : rnd.nextInt(chunk.length);
        int len = chunk.length - off;
        tail.append(chunk, off, len);
        all.write(chunk, off, len);
      }
      byte[] everything = all.toByteArray();
      byte[] expected = Arrays.copyOfRange(everything, Math.max(0, everything.length - cap), everything.length);
      assertArrayEquals(expected, tail.bytes(), "round " + round + " cap " + cap);
      assertEquals(everything.length, tail.total());
      assertEquals(everything.length > cap, tail.truncated());
    }
  }

  @Test
  void textStartsOnACharacterBoundaryWhenCut() {
    byte[] euro = "€€€".getBytes(StandardCharsets.UTF_8); // E2 82 AC, three bytes each
    for (int cap = 1; cap <= 9; cap++) {
      OutputTail tail = new OutputTail(cap);
      tail.append(euro, 0, euro.length);
      String expected = "€".repeat(cap / 3);
      assertEquals(expected, tail.text(), "cap " + cap);
    }
  }

  @Test
  void uncutTextIsDecodedAsIs() {
    OutputTail tail = new OutputTail(100);
    byte[] b = "héllo\n".getBytes(StandardCharsets.UTF_8);
    tail.append(b, 0, b.length);
    assertEquals("héllo\n", tail.text());
    assertFalse(tail.truncated());
  }

  @Test
  void zeroCapacityKeepsNothingButCounts() {
    OutputTail tail = new OutputTail(0);
    tail.append(new byte[] {1, 2, 3}, 0, 3);
    assertEquals("", tail.text());
    assertTrue(tail.truncated());
    assertEquals(3, tail.total());
  }
}
