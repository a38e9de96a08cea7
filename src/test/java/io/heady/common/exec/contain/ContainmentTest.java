package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's per-attempt answer: group placement, then the user switch, then process limits. */
class ContainmentTest {
  @TempDir
  Path tmp;

  /** A uid the private folder can be given to: nobody's as root, else this test's own (not 0, so it switches). */
  private static long taskUid() {
    long me = new com.sun.security.auth.module.UnixSystem().getUid();
    return me == 0 ? 65534 : me;
  }

  @Test
  void aCgroupAttemptIsPlacedThenSwitchedToItsUser() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp.resolve("root"));
    fs.hybrid(List.of("memory", "pids", "cpu", "cpuacct", "freezer", "blkio"));
    Confiner c = new ContainmentProbe(fs).detect("n1", null).confiner();
    long uid = taskUid();
    UserEntry me = new UserEntry("tasker", uid, uid, "/home/tasker");
    TaskUser user = TaskUser.configure(true, "root", "tasker", List.of(), n -> n.equals("tasker") ? me : null);
    Files.createDirectories(tmp.resolve("tmp"));
    Containment k = new Containment(c, user, "/usr/bin/setpriv", null, tmp.resolve("tmp"));
    AttemptBox b = k.open("t1", "l1", new Limits(64, 0, 32, 0), null, 0);
    assertNull(b.error());
    List<String> p = b.prefix();
    assertEquals("/bin/sh", p.get(0));
    int sp = p.indexOf("/usr/bin/setpriv");
    assertTrue(sp > 4, "placement first, as root, then the switch: " + p);
    assertEquals(List.of("--reuid=" + uid, "--regid=" + uid, "--init-groups", "--inh-caps=-all", "--bounding-set=-all",
        "--no-new-privs", "--"), p.subList(sp + 1, p.size()));
    assertEquals(Map.of("HOME", "/home/tasker", "USER", "tasker", "LOGNAME", "tasker"), b.env());
    assertTrue(Files.isDirectory(b.privateDir()));
    assertEquals("rwx------", DataDirGuard.mode(b.privateDir()));
    assertEquals(new Enforcement(Enforcement.CGROUP1, "tasker", new Limits(64, 0, 32, 0), null), b.enforcement());
    assertEquals(new Enforcement(Enforcement.CGROUP1, "tasker", Limits.NONE, null), k.capability());
    assertTrue(b.close());
    assertFalse(Files.exists(b.privateDir()));
  }

  @Test
  void processLimitsComeAfterTheSwitchAndAnUnlistedUserIsRefused() {
    TaskUser user = TaskUser.configure(false, "alice", "", List.of(), n -> null);
    Containment k = new Containment(new RlimitConfiner("/usr/bin/prlimit", true, "no control groups"), user,
        "/usr/bin/setpriv", null, tmp);
    AttemptBox b = k.open("t1", "l1", new Limits(64, 0, 32, 0), null, 0);
    assertEquals(List.of("/usr/bin/prlimit", "--as=" + (64L << 20) + ":" + (64L << 20), "--"), b.prefix(),
        "no RLIMIT_NPROC for tasks that share the node's user");
    assertNull(b.privateDir());
    assertEquals("rlimit", b.enforcement().method());
    assertTrue(b.enforcement().note().startsWith("no control groups; this node runs as alice"), b.enforcement().note());
    AttemptBox refused = k.open("t1", "l1", Limits.NONE, "bob", 0);
    assertTrue(refused.error().contains("--task-users"), refused.error());
  }

  @Test
  void aGroupThatCannotBeMadeRefusesTheAttemptInsteadOfRunningItLoose() {
    Confiner broken = new Confiner() {
      @Override
      public String method() {
        return Enforcement.CGROUP2;
      }

      @Override
      public String note() {
        return null;
      }

      @Override
      public Confined confine(String name, Limits limits, long timeoutMs, boolean sharedUser)
          throws java.io.IOException {
        throw new java.io.IOException("No space left on device");
      }
    };
    AttemptBox b = new Containment(broken, TaskUser.self("me"), null, null, tmp).open("t", "l", Limits.NONE, null, 0);
    assertEquals("cannot make the task's control group: No space left on device", b.error());
  }

  @Test
  void noneRunsEverythingAsBefore() {
    AttemptBox b = Containment.none().open("t", "l", new Limits(64, 1, 10, 1), null, 1000);
    assertEquals(List.of(), b.prefix());
    assertEquals(new Limits(0, 0, 0, 1), b.enforcement().limits(), "only the output limit, which the runner enforces");
    assertEquals("none", b.enforcement().method());
    assertFalse(b.whole());
  }
}
