package io.heady.client.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JFR profiles of one measured phase ({@code --profile DIR}): one recording in the manager and one in each
 * agent, stopped together and summarised as each process's hot methods (also written as {@code <who>-hot.txt}).
 */
final class Profiles {
  private final Path dir;
  private final List<JfrProfile> profiles;

  private Profiles(Path dir, List<JfrProfile> profiles) {
    this.dir = dir;
    this.profiles = profiles;
  }

  /** Starts recording the manager and the agents; none when {@code dir} is {@code null} or the manager unknown. */
  static Profiles start(Path dir, long mpid, List<Long> apids) throws IOException {
    List<JfrProfile> out = new ArrayList<>();
    if (dir == null || mpid < 0) {
      return new Profiles(dir, out);
    }
    Files.createDirectories(dir);
    out.add(new JfrProfile(mpid, dir.resolve("manager.jfr")));
    for (int i = 0; i < apids.size(); i++) {
      out.add(new JfrProfile(apids.get(i), dir.resolve("agent-" + (i + 1) + ".jfr")));
    }
    out.forEach(JfrProfile::start);
    return new Profiles(dir, out);
  }

  /** Stops every recording; the summaries, or {@code null} when nothing was recorded. */
  String stop() throws IOException {
    if (profiles.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < profiles.size(); i++) {
      String s = profiles.get(i).stopAndSummarise(15);
      String who = i == 0 ? "manager" : "agent-" + i;
      if (s != null) {
        sb.append("== ").append(who).append(": ").append(s);
        Files.writeString(dir.resolve(who + "-hot.txt"), s, StandardCharsets.UTF_8);
      }
    }
    return sb.toString();
  }
}
