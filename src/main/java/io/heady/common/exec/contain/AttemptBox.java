package io.heady.common.exec.contain;

import io.heady.common.protocol.Enforcement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One attempt's containment, made by {@link Containment#open} before the attempt starts: its group, the
 * user it runs as, the launch prefix that puts it there, and how it is enforced; or why it may not run.
 *
 * @param group the attempt's confinement ({@code null} when {@code error} is set)
 * @param prefix what the launch runs before the task's own command: group placement, user switch, limits
 * @param env variables for a task that runs as another user ({@code HOME}, {@code USER}, {@code LOGNAME})
 * @param privateDir a folder only the task's user may use, for its progress file; {@code null} when the task
 *     runs as the node's own user (its progress file stays with the node's logs)
 * @param enforcement what the attempt's record says about it
 * @param error why the attempt may not run, or {@code null}
 */
public record AttemptBox(Confined group, List<String> prefix, Map<String, String> env, Path privateDir,
    Enforcement enforcement, String error) {

  public static AttemptBox refused(String error) {
    return new AttemptBox(null, List.of(), Map.of(), null, null, error);
  }

  /** Whether the node can list and kill the attempt's processes as one group. */
  public boolean whole() {
    return group != null && group.whole();
  }

  /**
   * The prefix without the group placement at its head (what still runs when a spawner thread placed the task
   * in its groups itself, see {@link Confined#threadPlacement()}).
   */
  public List<String> afterPlacement() {
    if (whole()) {
      List<String> placement = group.prefix();
      if (!placement.isEmpty() && prefix.size() >= placement.size()
          && prefix.subList(0, placement.size()).equals(placement)) {
        return prefix.subList(placement.size(), prefix.size());
      }
    }
    return prefix;
  }

  /**
   * Removes what the attempt was given: its group once empty (a daemon it was allowed to leave keeps its
   * group), and its private folder. False when the group stays.
   */
  public boolean close() {
    boolean removed = group == null || group.remove();
    if (privateDir != null) {
      try (Stream<Path> s = Files.walk(privateDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            // why: best effort; a task's leftover file is its user's own
          }
        });
      } catch (IOException e) {
        // gone already
      }
    }
    return removed;
  }
}
