package io.heady.agent.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Refusal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The free-space decision, table first, and the disk asked through a fake. */
class DiskGuardTest {
  private static final long MB = 1L << 20;
  private static final long GB = 1L << 30;
  private static final Path DATA = Path.of("/var/lib/heady-agent");

  /** One case: the thresholds, the disk, and whether the node refuses (and the flag it names). */
  private record Case(String name, long minFreeMb, int minFreePct, long usable, long total, String names) {}

  @Test
  void refusesBelowEitherThresholdAndTakesWorkAtOrAboveThem() {
    List<Case> cases = List.of(
        new Case("plenty free", 1024, 0, 50 * GB, 100 * GB, null),
        new Case("just under the MB floor", 1024, 0, 1024 * MB - 1, 100 * GB, "--min-free-mb"),
        new Case("exactly at the MB floor takes work", 1024, 0, 1024 * MB, 100 * GB, null),
        new Case("a full disk", 1024, 0, 0, 100 * GB, "--min-free-mb"),
        new Case("a negative answer counts as nothing free", 1, 0, -5, 100 * GB, "--min-free-mb"),
        new Case("under the percentage", 0, 5, 4 * GB, 100 * GB, "--min-free-pct"),
        new Case("exactly at the percentage takes work", 0, 5, 5 * GB, 100 * GB, null),
        new Case("the MB floor is named first when both hold", 1024, 5, 100 * MB, 100 * GB, "--min-free-mb"),
        new Case("a big disk over the MB floor but under the percentage", 1024, 10, 50 * GB, 1000 * GB,
            "--min-free-pct"),
        new Case("both off", 0, 0, 0, 100 * GB, null),
        new Case("a disk of unknown size: the percentage cannot apply", 0, 5, 0, 0, null),
        new Case("a huge floor (the e2e test's way to fill a disk)", 1L << 40, 0, 78 * GB, 250 * GB,
            "--min-free-mb"));
    for (Case c : cases) {
      Refusal r = DiskGuard.decide(c.usable(), c.total(), new DiskGuard.Settings(c.minFreeMb(), c.minFreePct()), DATA);
      if (c.names() == null) {
        assertNull(r, c.name());
      } else {
        assertEquals(Refusal.DISK_FULL, r.reason(), c.name());
        assertTrue(r.message().contains(c.names()), c.name() + ": " + r.message());
        assertTrue(r.message().contains(DATA.toString()), c.name() + ": names the disk by the data dir");
      }
    }
  }

  @Test
  void theMessageSaysHowMuchIsFreeAndWhatItTakes() {
    Refusal r = DiskGuard.decide(812 * MB, 60 * GB, new DiskGuard.Settings(1024, 0), DATA);
    assertEquals("only 812 MB free on the disk under /var/lib/heady-agent; this node takes new tasks again with"
        + " 1024 MB free (--min-free-mb)", r.message());
    Refusal pct = DiskGuard.decide(3 * GB, 100 * GB, new DiskGuard.Settings(0, 5), DATA);
    assertEquals("only 3072 MB (3.0%) free on the disk under /var/lib/heady-agent; this node takes new tasks again"
        + " with 5% free (--min-free-pct)", pct.message());
  }

  @Test
  void checkAsksTheDiskEachTimeAndPassesOnAFailure() throws IOException {
    long[] free = {10 * GB};
    DiskGuard.Space space = new DiskGuard.Space() {
      @Override
      public long usableBytes() throws IOException {
        if (free[0] < 0) {
          throw new IOException("the disk is gone");
        }
        return free[0];
      }

      @Override
      public long totalBytes() {
        return 100 * GB;
      }
    };
    DiskGuard g = new DiskGuard(new DiskGuard.Settings(1024, 0), space, DATA);
    assertNull(g.check());
    free[0] = 10 * MB;
    assertEquals(Refusal.DISK_FULL, g.check().reason());
    free[0] = -1;
    assertThrows(IOException.class, g::check);
  }

  @Test
  void theRealDiskUnderATempFolderAnswers(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    DiskGuard.Space s = DiskGuard.Space.of(dir);
    assertTrue(s.totalBytes() > 0 && s.usableBytes() >= 0 && s.usableBytes() <= s.totalBytes());
    assertNull(new DiskGuard(new DiskGuard.Settings(0, 0), s, dir).check(), "both off never refuses");
  }

  @Test
  void settingsRefuseValuesOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> new DiskGuard.Settings(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new DiskGuard.Settings(0, 100));
    assertThrows(IllegalArgumentException.class, () -> new DiskGuard.Settings(0, -1));
  }
}
