package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placement shell for real, with plain files standing in for cgroup.procs. */
class PlacementTest {
  @TempDir
  Path tmp;

  @Test
  void theShellWritesItsOwnPidEverywhereThenBecomesTheCommand() throws Exception {
    Path a = Files.writeString(tmp.resolve("a procs"), "");
    Path b = Files.writeString(tmp.resolve("b"), "");
    List<String> cmd = new ArrayList<>(Placement.prefix(List.of(a.toString(), b.toString())));
    cmd.addAll(List.of("/bin/sh", "-c", "echo $$; echo \"$1\"", "sh", "it's \"quoted\" $HOME"));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    String pid = Long.toString(p.pid());
    assertEquals(pid + "\nit's \"quoted\" $HOME\n", out, "same pid after exec; arguments pass untouched");
    assertEquals(pid, Files.readString(a).trim());
    assertEquals(pid, Files.readString(b).trim());
  }

  @Test
  void aGroupItCannotJoinStopsTheLaunch() throws Exception {
    List<String> cmd = new ArrayList<>(Placement.prefix(List.of(tmp.resolve("no/such/dir/cgroup.procs").toString())));
    Path ran = tmp.resolve("ran");
    cmd.addAll(List.of("/bin/sh", "-c", "touch " + ran));
    Process p = new ProcessBuilder(cmd).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(Placement.FAILED, p.waitFor());
    assertTrue(err.contains("heady: cannot put the task into its control group"), err);
    assertTrue(!Files.exists(ran), "the command never ran");
  }
}
