package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.common.protocol.TaskProgress;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit progress reports read from a task's progress file: what counts, what the note shows, the bounds. */
class ProgressFileTest {
  @TempDir
  Path tmp;

  private static void append(Path f, String s) throws Exception {
    Files.writeString(f, s, StandardOpenOption.APPEND);
  }

  @Test
  void eachAppendedLineIsOneReportAndTheLastNonEmptyLineIsTheNote() throws Exception {
    Path f = tmp.resolve("logs").resolve("t1.progress");
    ProgressFile.create(f);
    assertTrue(Files.isRegularFile(f));
    ProgressFile p = new ProgressFile(f);
    p.poll();
    assertEquals(0, p.reports());
    assertNull(p.note());

    append(f, "50%\n");
    p.poll();
    assertEquals(1, p.reports());
    assertEquals("50%", p.note());

    p.poll(); // nothing new: nothing counted
    assertEquals(1, p.reports());

    append(f, "  copying b \n\n\r\n");
    p.poll();
    assertEquals(4, p.reports()); // three line ends
    assertEquals("copying b", p.note());
  }

  @Test
  void aLineWithoutItsEndStillCountsAndControlCharactersAreRemoved() throws Exception {
    Path f = tmp.resolve("t.progress");
    ProgressFile.create(f);
    ProgressFile p = new ProgressFile(f);
    append(f, "step\t3 \u001b[31mred\u001b[0m\u0007");
    p.poll();
    assertEquals(1, p.reports());
    assertEquals("step 3 [31mred[0m", p.note());
  }

  @Test
  void theNoteIsCutToTheProtocolsLimit() throws Exception {
    Path f = tmp.resolve("t.progress");
    ProgressFile.create(f);
    ProgressFile p = new ProgressFile(f);
    append(f, "x".repeat(TaskProgress.MAX_NOTE - 1) + "\uD83D\uDE00" + "tail\n");
    p.poll();
    // the emoji would straddle the limit: it is left out whole, never cut in half
    assertEquals("x".repeat(TaskProgress.MAX_NOTE - 1), p.note());
    assertEquals(TaskProgress.MAX_NOTE, ProgressFile.clean("y".repeat(5000)).length());
  }

  @Test
  void aFileRewrittenInsteadOfAppendedStillCountsAsAReport() throws Exception {
    Path f = tmp.resolve("t.progress");
    ProgressFile.create(f);
    ProgressFile p = new ProgressFile(f);
    Files.writeString(f, "10%\n");
    p.poll();
    assertEquals(1, p.reports());
    // `echo 20% > file`: same size, newer time
    Files.writeString(f, "20%\n");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
    p.poll();
    assertEquals(2, p.reports());
    assertEquals("20%", p.note());
    // shorter than before
    Files.writeString(f, "3\n");
    p.poll();
    assertEquals(3, p.reports());
    assertEquals("3", p.note());
  }

  @Test
  void aHugeFileIsReadOnlyAtItsEnd() throws Exception {
    Path f = tmp.resolve("t.progress");
    ProgressFile.create(f);
    ProgressFile p = new ProgressFile(f);
    byte[] line = "noise noise noise noise noise noise\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
      for (int i = 0; i < 300_000; i++) { // about 10 MB
        out.write(line);
      }
      out.write("almost done\n\n".getBytes(StandardCharsets.UTF_8));
    }
    p.poll();
    assertTrue(p.bytesRead() <= ProgressFile.WINDOW, "read " + p.bytesRead());
    assertEquals("almost done", p.note());
    long seen = p.reports();
    // only the line ends in the window it read are counted: fewer than were written, but it grew
    assertTrue(seen >= 1 && seen <= ProgressFile.WINDOW, "reports " + seen);

    append(f, "done\n");
    p.poll();
    assertEquals(seen + 1, p.reports());
    assertEquals("done", p.note());
    assertTrue(p.bytesRead() <= 2L * ProgressFile.WINDOW, "read " + p.bytesRead());
  }

  @Test
  void aWindowThatStartsInsideACharacterSkipsItsRest() {
    byte[] b = "\u00e9abc\n".getBytes(StandardCharsets.UTF_8); // C3 A9 a b c
    byte[] cut = java.util.Arrays.copyOfRange(b, 1, b.length); // starts on the continuation byte A9
    assertEquals("abc", ProgressFile.lastLine(cut, cut.length, true));
    assertNull(ProgressFile.lastLine(new byte[] {'\n', ' ', '\n'}, 3, false));
  }

  @Test
  void aFifoOrALinkInItsPlaceIsIgnoredNotWaitedOn() throws Exception {
    Path f = tmp.resolve("t.progress");
    Path secret = tmp.resolve("elsewhere.txt");
    Files.writeString(secret, "not a report\n");
    Files.createSymbolicLink(f, secret);
    ProgressFile p = new ProgressFile(f);
    p.poll();
    assertEquals(0, p.reports());
    assertNull(p.note());

    Files.delete(f);
    Process mk = new ProcessBuilder("mkfifo", f.toString()).start();
    assumeTrue(mk.waitFor() == 0, "needs mkfifo");
    p.poll(); // returns at once: nothing opens the FIFO
    assertEquals(0, p.reports());

    // create() replaces whatever is there with an empty regular file
    ProgressFile.create(f);
    assertTrue(Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.size(f));
  }

  @Test
  void aRemovedFileChangesNothingAndRemovingTwiceIsQuiet() throws Exception {
    Path f = tmp.resolve("t.progress");
    ProgressFile.create(f);
    ProgressFile p = new ProgressFile(f);
    append(f, "1\n");
    p.poll();
    ProgressFile.remove(f);
    ProgressFile.remove(f);
    assertFalse(Files.exists(f));
    p.poll();
    assertEquals(1, p.reports());
    assertEquals("1", p.note());
  }
}
