package io.heady.agent.housekeeping;

import io.heady.common.protocol.Refusal;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the disk under the agent's data dir (where task logs and the node's files live, and where tasks
 * usually write) has room for new work: below {@code --min-free-mb} free, or below {@code --min-free-pct} of the
 * disk, the node refuses new tasks with {@link Refusal#DISK_FULL} before the disk is full, and takes them again
 * as soon as there is more free than that. Running tasks are not touched.
 */
public final class DiskGuard {
  /** The free space of one disk, as the operating system tells it. */
  public interface Space {
    /** Bytes an unprivileged writer may still use (blocks reserved for root do not count). */
    long usableBytes() throws IOException;

    long totalBytes() throws IOException;

    /** The disk that holds {@code dir}, asked afresh on every call. */
    static Space of(Path dir) {
      return new Space() {
        @Override
        public long usableBytes() throws IOException {
          return store().getUsableSpace();
        }

        @Override
        public long totalBytes() throws IOException {
          return store().getTotalSpace();
        }

        private FileStore store() throws IOException {
          return Files.getFileStore(dir);
        }
      };
    }
  }

  /**
   * The thresholds; 0 turns either off.
   *
   * @param minFreeMb refuse below this many MiB free
   * @param minFreePct refuse below this percent of the disk free
   */
  public record Settings(long minFreeMb, int minFreePct) {
    public Settings {
      if (minFreeMb < 0 || minFreePct < 0 || minFreePct > 99) {
        throw new IllegalArgumentException("minFreeMb >= 0 and 0 <= minFreePct <= 99: " + minFreeMb + ", "
            + minFreePct);
      }
    }
  }

  private final Settings settings;
  private final Space space;
  private final Path where;

  /** @param where the folder the disk is named by in messages (the data dir) */
  public DiskGuard(Settings settings, Space space, Path where) {
    this.settings = settings;
    this.space = space;
    this.where = where;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Asks the disk now. Blocking (a file-system call): never on an event loop.
   *
   * @throws IOException when the disk cannot be asked (the caller keeps the node's standing as it was)
   */
  public Refusal check() throws IOException {
    return decide(space.usableBytes(), space.totalBytes(), settings, where);
  }

  /** The refusal for a disk with {@code usable} of {@code total} bytes free, or {@code null} when it has room. */
  public static Refusal decide(long usable, long total, Settings s, Path where) {
    long freeMb = Math.max(0, usable) >> 20;
    if (s.minFreeMb() > 0 && freeMb < s.minFreeMb()) {
      return Refusal.diskFull("only " + freeMb + " MB free on the disk under " + where + "; this node takes new"
          + " tasks again with " + s.minFreeMb() + " MB free (--min-free-mb)");
    }
    if (s.minFreePct() > 0 && total > 0 && usable * 100.0 / total < s.minFreePct()) {
      return Refusal.diskFull("only " + freeMb + " MB (" + percent(usable, total) + "%) free on the disk under "
          + where + "; this node takes new tasks again with " + s.minFreePct() + "% free (--min-free-pct)");
    }
    return null;
  }

  private static String percent(long usable, long total) {
    return String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, usable) * 100.0 / total);
  }
}
