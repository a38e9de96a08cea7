package io.heady.common.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep over a real folder: what it removes, and what it never touches (links, sub-folders, other files). */
class LogSweeperTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final LogRetention WEEK = new LogRetention(new LogRetention.Settings(Duration.ofDays(7), 0));

  @TempDir
  Path dir;
  @TempDir
  Path outside;

  private Path file(Path in, String name, int bytes, Duration age) throws IOException {
    Path p = Files.write(in.resolve(name), new byte[bytes]);
    Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    return p;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void removesOldLogsButNotARunningTasksNorAnythingThatIsNotATasksFile() throws IOException {
    file(dir, "old.log", 10, Duration.ofDays(8));
    file(dir, "old.progress", 1, Duration.ofDays(8));
    file(dir, "running.log", 10, Duration.ofDays(30));
    file(dir, "fresh.log", 10, Duration.ofHours(1));
    file(dir, "notes.txt", 10, Duration.ofDays(30));
    LogSweeper.Swept s = new LogSweeper(dir, WEEK, () -> List.of("running"), CLOCK).sweep();
    assertEquals(List.of("fresh.log", "notes.txt", "running.log"), names());
    assertEquals(Set.of("old.log", "old.progress"),
        Set.copyOf(s.removed().stream().map(LogRetention.Removal::name).toList()));
    assertEquals(11, s.bytes());
    assertEquals(2, s.kept(), "fresh.log and running.log; notes.txt is not a task's file");
  }

  @Test
  void neverFollowsALinkOutOfTheFolderNorWalksIntoASubFolder() throws IOException {
    Path target = file(outside, "precious.log", 10, Duration.ofDays(30));
    Files.createSymbolicLink(dir.resolve("evil.log"), target);
    Path sub = Files.createDirectory(dir.resolve("sub.log"));
    file(sub, "deep.log", 10, Duration.ofDays(30));
    Files.setLastModifiedTime(sub, FileTime.from(NOW.minus(Duration.ofDays(30))));
    LogSweeper.Swept s = new LogSweeper(dir, WEEK, List::of, CLOCK).sweep();
    assertEquals(List.of(), s.removed());
    assertTrue(Files.exists(target), "the link's target outside the folder");
    assertTrue(Files.isSymbolicLink(dir.resolve("evil.log")), "a link is not a task's log");
    assertTrue(Files.exists(sub.resolve("deep.log")), "a sub-folder is not walked");
  }

  @Test
  void theSizeCapRemovesTheOldestFirst() throws IOException {
    file(dir, "a.log", 400 * 1024, Duration.ofHours(3));
    file(dir, "b.log", 400 * 1024, Duration.ofHours(2));
    file(dir, "c.log", 400 * 1024, Duration.ofHours(1));
    LogRetention oneMb = new LogRetention(LogRetention.Settings.of(0, 1));
    new LogSweeper(dir, oneMb, List::of, CLOCK).sweep();
    assertEquals(List.of("b.log", "c.log"), names());
  }

  @Test
  void aTaskThatStartsOrAFileThatChangesAfterTheListingKeepsItsFile() throws IOException {
    file(dir, "started.log", 10, Duration.ofDays(9));
    Path rewritten = file(dir, "rewritten.log", 10, Duration.ofDays(9));
    file(dir, "gone.log", 10, Duration.ofDays(9));
    AtomicInteger asked = new AtomicInteger();
    // why: the sweep asks what runs before deciding and again before removing; the second answer plays a task
    // that started in between, and a new attempt of another task that wrote its log again meanwhile
    Supplier<List<String>> running = () -> {
      if (asked.incrementAndGet() == 1) {
        return List.of();
      }
      try {
        Files.writeString(rewritten, "a new attempt\n");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return List.of("started");
    };
    LogSweeper.Swept s = new LogSweeper(dir, WEEK, running, CLOCK).sweep();
    assertEquals(List.of("gone.log"), s.removed().stream().map(LogRetention.Removal::name).toList());
    assertEquals(List.of("rewritten.log", "started.log"), names());
    assertEquals(2, asked.get());
  }

  @Test
  void withoutKnowingWhatRunsNothingIsRemoved() throws IOException {
    file(dir, "old.log", 10, Duration.ofDays(9));
    LogSweeper sweeper = new LogSweeper(dir, WEEK, () -> {
      throw new IllegalStateException("the executor is not running");
    }, CLOCK);
    assertThrows(IllegalStateException.class, sweeper::sweep);
    sweeper.sweepAndLog(); // logs, never throws
    assertEquals(List.of("old.log"), names());
  }

  @Test
  void aMissingFolderIsEmpty() throws IOException {
    LogSweeper.Swept s = new LogSweeper(dir.resolve("nowhere"), WEEK, List::of, CLOCK).sweep();
    assertEquals(List.of(), s.removed());
    assertFalse(Files.exists(dir.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS));
  }
}
