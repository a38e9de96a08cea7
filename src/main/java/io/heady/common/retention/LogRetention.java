package io.heady.common.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which task logs a node removes from its log folder: those older than the retention, then, while the folder
 * is still over its size cap, the oldest of the rest. A running task's files are never chosen, whatever their
 * age, but they count towards the folder's size. Only a task's own files ({@code <task id>.log}, its stream index
 * {@code <task id>.streams} and {@code <task id>.progress}) are considered; a log's index goes with it;
 * anything else in the folder is left alone and not counted.
 *
 * <p>A plain decision: it looks at a listing the caller made and returns names; it reads no file, and time
 * comes in as {@code now}.
 */
public final class LogRetention {
  /** A task's file name: its id (as {@code Fields.ID}) and the suffix the executor gives it. */
  private static final Pattern TASK_FILE = Pattern.compile("([A-Za-z0-9._-]{1,64})\\.(log|streams|progress)");

  /**
   * One regular file of the log folder, as listed.
   *
   * @param name its name in the folder (no path)
   * @param bytes its size
   * @param modified its last change
   */
  public record LogFile(String name, long bytes, Instant modified) {}

  /** Why a file goes. */
  public enum Why {
    /** older than {@code --log-retention-days} */
    AGE,
    /** the folder was over {@code --log-max-mb}, and this was the oldest file left */
    SIZE
  }

  /** One file to remove, and why. */
  public record Removal(String name, long bytes, Why why) {}

  /**
   * What a node keeps.
   *
   * @param maxAge files last changed longer ago than this go; {@link Duration#ZERO}: never by age
   * @param maxBytes the folder is brought under this size, oldest files first; 0: no cap
   */
  public record Settings(Duration maxAge, long maxBytes) {
    public Settings {
      if (maxAge == null || maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge must be zero or positive: " + maxAge);
      }
      if (maxBytes < 0) {
        throw new IllegalArgumentException("maxBytes must be zero or positive: " + maxBytes);
      }
    }

    /** From the flags: {@code --log-retention-days} and {@code --log-max-mb} (0 turns either off). */
    public static Settings of(long retentionDays, long maxMb) {
      return new Settings(Duration.ofDays(retentionDays), maxMb << 20);
    }
  }

  private static final Comparator<LogFile> OLDEST_FIRST =
      Comparator.comparing(LogFile::modified).thenComparing(LogFile::name);

  private final Settings settings;

  public LogRetention(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** The task a file of the log folder belongs to, or {@code null} when it is not a task's file. */
  public static String taskOf(String name) {
    var m = TASK_FILE.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The files to remove, in the order to remove them: those past the age limit (oldest first), then those
   * that bring the folder under its cap (oldest first).
   *
   * @param files the folder's regular files (others, such as links and folders, must not be listed)
   * @param running the ids of the tasks running on the node now: their files are kept
   * @param now the time the ages are measured from
   */
  public List<Removal> decide(List<LogFile> files, Set<String> running, Instant now) {
    List<LogFile> candidates = new ArrayList<>();
    List<LogFile> indexes = new ArrayList<>();
    long total = 0;
    for (LogFile f : files) {
      String task = taskOf(f.name());
      if (task == null) {
        continue;
      }
      total += f.bytes();
      if (f.name().endsWith(".streams")) {
        indexes.add(f); // why: an index goes with its log, never alone (its time is its last stream switch)
      } else if (!running.contains(task)) {
        candidates.add(f);
      }
    }
    candidates.sort(OLDEST_FIRST);
    List<Removal> out = new ArrayList<>();
    List<LogFile> left = new ArrayList<>();
    boolean byAge = !settings.maxAge().isZero();
    Instant cutoff = byAge ? now.minus(settings.maxAge()) : null;
    for (LogFile f : candidates) {
      if (byAge && f.modified().isBefore(cutoff)) {
        out.add(new Removal(f.name(), f.bytes(), Why.AGE));
        total -= f.bytes() + indexOf(f.name(), indexes).map(LogFile::bytes).orElse(0L);
      } else {
        left.add(f);
      }
    }
    if (settings.maxBytes() > 0) {
      // why: `left` is still oldest first; a running task's bytes stay counted but can never be removed
      for (LogFile f : left) {
        if (total <= settings.maxBytes()) {
          break;
        }
        out.add(new Removal(f.name(), f.bytes(), Why.SIZE));
        total -= f.bytes() + indexOf(f.name(), indexes).map(LogFile::bytes).orElse(0L);
      }
    }
    return withIndexes(out, indexes);
  }

  // why: a log without its index reads as all stdout; an index without its log is dead weight
  private static List<Removal> withIndexes(List<Removal> out, List<LogFile> indexes) {
    List<Removal> all = new ArrayList<>(out);
    for (Removal r : out) {
      if (r.name().endsWith(".log")) {
        indexOf(r.name(), indexes).ifPresent(f -> all.add(new Removal(f.name(), f.bytes(), r.why())));
      }
    }
    return all;
  }

  private static java.util.Optional<LogFile> indexOf(String log, List<LogFile> indexes) {
    String idx = log.endsWith(".log") ? log.substring(0, log.length() - 4) + ".streams" : null;
    return indexes.stream().filter(f -> f.name().equals(idx)).findFirst();
  }
}
