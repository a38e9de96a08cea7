package io.heady.common.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogRetention} to one node's task-log folder: lists it, asks the decision, removes what it
 * chose. Used by the agent and by the manager's local executor; {@link #every} runs it at once and then
 * periodically on a thread of its own (file work, never on an event loop).
 *
 * <p>It never leaves the folder: it lists only the folder's own entries (no walk into sub-folders), reads
 * them without following links, considers only regular files, and removes a name of that folder, which for a
 * link put there meanwhile removes the link, never what it points to. Just before removing a file it reads it
 * again and keeps it when it changed since the listing (a new attempt of the same task writes it again), and
 * it asks once more which tasks run, after deciding.
 */
public final class LogSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogSweeper.class);

  private final Path dir;
  private final LogRetention retention;
  private final Supplier<? extends Collection<String>> running;
  private final Clock clock;
  private ScheduledExecutorService timer;

  /**
   * @param dir the log folder
   * @param running the ids of the tasks running now; a supplier that throws skips the sweep (nothing is removed
   *     without knowing what runs)
   */
  public LogSweeper(Path dir, LogRetention retention, Supplier<? extends Collection<String>> running, Clock clock) {
    this.dir = dir;
    this.retention = retention;
    this.running = running;
    this.clock = clock;
  }

  /** What one sweep removed. */
  public record Swept(List<LogRetention.Removal> removed, int kept) {
    public long bytes() {
      return removed.stream().mapToLong(LogRetention.Removal::bytes).sum();
    }
  }

  /** One pass over the folder. Blocking. A missing folder is an empty one. */
  public Swept sweep() throws IOException {
    List<Listed> listed = list();
    List<LogRetention.LogFile> files = new ArrayList<>(listed.size());
    Map<String, Listed> byName = new HashMap<>();
    listed.forEach(l -> {
      files.add(l.file());
      byName.put(l.file().name(), l);
    });
    List<LogRetention.Removal> chosen = retention.decide(files, Set.copyOf(running.get()), clock.instant());
    if (chosen.isEmpty()) {
      return new Swept(List.of(), files.size());
    }
    // why: a task may have started since the listing; its file is its own again
    Set<String> now = Set.copyOf(running.get());
    List<LogRetention.Removal> removed = new ArrayList<>();
    for (LogRetention.Removal r : chosen) {
      Listed was = byName.get(r.name());
      if (now.contains(LogRetention.taskOf(r.name())) || !unchanged(was)) {
        continue;
      }
      Path p = dir.resolve(r.name());
      if (!dir.equals(p.getParent())) {
        throw new IllegalStateException("not a name of " + dir + ": " + r.name());
      }
      try {
        // why: removes the entry itself: were it replaced by a link since, the link goes, not its target
        if (Files.deleteIfExists(p)) {
          removed.add(r);
        }
      } catch (IOException e) {
        LOG.warn("log retention: cannot remove {}: {}", p, e.getMessage());
      }
    }
    return new Swept(removed, files.size() - removed.size());
  }

  /** A file as listed, with what tells whether it changed since. */
  private record Listed(LogRetention.LogFile file, Object key) {}

  private List<Listed> list() throws IOException {
    List<Listed> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (LogRetention.taskOf(name) == null) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed meanwhile
        }
        if (a.isRegularFile()) {
          out.add(new Listed(new LogRetention.LogFile(name, a.size(), a.lastModifiedTime().toInstant()),
              a.fileKey()));
        }
      }
    }
    return out;
  }

  private boolean unchanged(Listed was) {
    try {
      BasicFileAttributes a = Files.readAttributes(dir.resolve(was.file().name()), BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() == was.file().bytes()
          && a.lastModifiedTime().toInstant().equals(was.file().modified())
          && java.util.Objects.equals(a.fileKey(), was.key());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sweeps now and then every {@code period} on a daemon thread of its own, until {@link #close}. A failed
   * sweep is logged and the next one runs on time.
   */
  public LogSweeper every(Duration period, String threadName) {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, threadName);
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    synchronized (this) {
      if (timer != null) {
        throw new IllegalStateException("already sweeping");
      }
      timer = t;
    }
    t.scheduleWithFixedDelay(this::sweepAndLog, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One sweep that never throws: what it removed (or why it could not) goes to the log. */
  void sweepAndLog() {
    try {
      Swept s = sweep();
      if (!s.removed().isEmpty()) {
        long age = s.removed().stream().filter(r -> r.why() == LogRetention.Why.AGE).count();
        LOG.info("log retention: removed {} task log files ({} KB) from {}: {} older than {} days, {} over the {} MB"
            + " cap; {} kept", s.removed().size(), s.bytes() >> 10, dir, age,
            retention.settings().maxAge().toDays(), s.removed().size() - age, retention.settings().maxBytes() >> 20,
            s.kept());
      }
    } catch (Exception e) {
      LOG.warn("log retention: cannot sweep {}: {}", dir, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
