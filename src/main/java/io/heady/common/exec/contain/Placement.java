package io.heady.common.exec.contain;

import java.util.ArrayList;
import java.util.List;

/**
 * The launch prefix that moves a task's first process into its control groups before anything of the user's
 * runs: a shell writes its own pid into each {@code cgroup.procs}, then execs the rest of the command line in
 * place (same pid, now inside the groups). A failed write stops the launch with exit status 125 and a line on
 * stderr, so a task never runs outside the group it was given.
 */
final class Placement {
  static final String SHELL = "/bin/sh";
  static final int FAILED = 125;
  // why: paths arrive as arguments, never pasted into the script, so no path can change what the shell runs
  static final String SCRIPT = "n=$1; shift; while [ \"$n\" -gt 0 ]; do "
      + "echo $$ > \"$1\" || { echo \"heady: cannot put the task into its control group $1\" >&2; exit "
      + FAILED + "; }; shift; n=$((n-1)); done; exec \"$@\"";

  private Placement() {}

  /** The prefix for these {@code cgroup.procs} files. */
  static List<String> prefix(List<String> procsFiles) {
    List<String> out = new ArrayList<>(List.of(SHELL, "-c", SCRIPT, "heady-contain",
        Integer.toString(procsFiles.size())));
    out.addAll(procsFiles);
    return out;
  }
}
