package io.heady.common.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.heady.common.retention.LogRetention.LogFile;
import io.heady.common.retention.LogRetention.Removal;
import io.heady.common.retention.LogRetention.Settings;
import io.heady.common.retention.LogRetention.Why;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retention decision, table first: ages against a fixed now, sizes against a cap, running tasks kept. */
class LogRetentionTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final long KB = 1024;
  private static final long MB = 1024 * KB;

  private static LogFile file(String name, long bytes, Duration age) {
    return new LogFile(name, bytes, NOW.minus(age));
  }

  private static Duration days(long d) {
    return Duration.ofDays(d);
  }

  private static Duration hours(long h) {
    return Duration.ofHours(h);
  }

  /** One case: the settings, the folder, what runs, and the removals expected in order. */
  private record Case(String name, Settings settings, List<LogFile> files, Set<String> running,
      List<Removal> expected) {}

  @Test
  void decidesByAgeThenBySizeOldestFirstAndNeverARunningTasksFile() {
    Settings week = new Settings(days(7), 0);
    Settings oneMb = new Settings(Duration.ZERO, MB);
    Settings both = new Settings(days(7), MB);
    List<Case> cases = List.of(
        new Case("nothing old, no cap: all kept", week,
            List.of(file("a.log", 10, days(6)), file("b.log", 10, hours(1))), Set.of(), List.of()),
        new Case("older than the retention goes, oldest first", week,
            List.of(file("new.log", 10, days(1)), file("old.log", 20, days(8)), file("older.log", 30, days(30))),
            Set.of(), List.of(new Removal("older.log", 30, Why.AGE), new Removal("old.log", 20, Why.AGE))),
        new Case("exactly at the retention is kept (strictly older goes)", week,
            List.of(file("edge.log", 10, days(7)), file("past.log", 10, days(7).plusSeconds(1))), Set.of(),
            List.of(new Removal("past.log", 10, Why.AGE))),
        new Case("a running task's old log and progress file stay", week,
            List.of(file("t1.log", 10, days(9)), file("t1.progress", 1, days(9)), file("t2.log", 10, days(9))),
            Set.of("t1"), List.of(new Removal("t2.log", 10, Why.AGE))),
        new Case("a log's stream index goes with it, never alone, and counts towards the cap", both,
            List.of(file("t3.log", 10, days(9)), file("t3.streams", 8, days(20)), file("t4.streams", 8, days(20)),
                file("t4.log", 10, days(1)), file("t5.log", MB - 30, hours(2)), file("t5.streams", 16, hours(2)),
                file("t6.log", 10, hours(1))), Set.of(),
            List.of(new Removal("t3.log", 10, Why.AGE), new Removal("t4.log", 10, Why.SIZE),
                new Removal("t3.streams", 8, Why.AGE), new Removal("t4.streams", 8, Why.SIZE))),
        new Case("under the cap: nothing goes", oneMb,
            List.of(file("a.log", 400 * KB, hours(3)), file("b.log", 400 * KB, hours(2))), Set.of(), List.of()),
        new Case("over the cap: oldest go until under it", oneMb,
            List.of(file("c.log", 400 * KB, hours(1)), file("a.log", 400 * KB, hours(3)),
                file("b.log", 400 * KB, hours(2))), Set.of(), List.of(new Removal("a.log", 400 * KB, Why.SIZE))),
        new Case("exactly at the cap is under it", oneMb,
            List.of(file("a.log", 512 * KB, hours(3)), file("b.log", 512 * KB, hours(2))), Set.of(), List.of()),
        new Case("a running task's bytes count but it is skipped over", oneMb,
            List.of(file("run.log", 900 * KB, hours(5)), file("a.log", 100 * KB, hours(4)),
                file("b.log", 100 * KB, hours(3)), file("c.log", 30 * KB, hours(1))), Set.of("run"),
            List.of(new Removal("a.log", 100 * KB, Why.SIZE), new Removal("b.log", 100 * KB, Why.SIZE))),
        new Case("only running tasks over the cap: nothing can go", oneMb,
            List.of(file("run.log", 2 * MB, hours(5))), Set.of("run"), List.of()),
        new Case("age first, then the cap counts what is left", both,
            List.of(file("ancient.log", 2 * MB, days(10)), file("a.log", 600 * KB, hours(3)),
                file("b.log", 600 * KB, hours(2))), Set.of(),
            List.of(new Removal("ancient.log", 2 * MB, Why.AGE), new Removal("a.log", 600 * KB, Why.SIZE))),
        new Case("same age: by name, so every sweep decides alike", oneMb,
            List.of(file("y.log", MB, hours(1)), file("x.log", MB, hours(1))), Set.of(),
            List.of(new Removal("x.log", MB, Why.SIZE))),
        new Case("files that are not a task's are neither removed nor counted", new Settings(days(1), 10),
            List.of(file("notes.txt", 100, days(30)), file(".log", 100, days(30)), file("x.log.1", 100, days(30)),
                file("a/b.log", 100, days(30)), file("ok.log", 5, hours(1))), Set.of(), List.of()),
        new Case("a future modification time (clock skew) is young", week,
            List.of(file("future.log", 10, Duration.ofDays(-3))), Set.of(), List.of()),
        new Case("both off: everything kept", new Settings(Duration.ZERO, 0),
            List.of(file("a.log", 10 * MB, days(400))), Set.of(), List.of()));
    for (Case c : cases) {
      assertEquals(c.expected(), new LogRetention(c.settings()).decide(c.files(), c.running(), NOW), c.name());
    }
  }

  @Test
  void aTasksFilesAreItsLogAndItsProgressFile() {
    assertEquals("t-1", LogRetention.taskOf("t-1.log"));
    assertEquals("a.b", LogRetention.taskOf("a.b.progress"));
    assertNull(LogRetention.taskOf("t-1.txt"));
    assertNull(LogRetention.taskOf(".log"));
    assertNull(LogRetention.taskOf("../x.log"));
    assertNull(LogRetention.taskOf("x".repeat(65) + ".log"));
  }

  @Test
  void settingsComeFromTheFlagsAndRefuseNegatives() {
    assertEquals(new Settings(days(7), 1024 * MB), Settings.of(7, 1024));
    assertEquals(new Settings(Duration.ZERO, 0), Settings.of(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofDays(-1), 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ZERO, -1));
  }
}
