package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Enforcement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainmentProbeTest {
  private static final List<String> V1 = List.of("memory", "pids", "cpu", "cpuacct", "freezer", "blkio");
  @TempDir
  Path tmp;

  @Test
  void delegatedV2TreeMovesTheNodeAsideAndEnablesControllersForItsTasks() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    String unit = "/system.slice/heady-agent.service";
    fs.unified(unit, "cpuset cpu io memory pids", "4242\n4243\n");
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", "/usr/bin/prlimit");
    assertEquals(Enforcement.CGROUP2, d.confiner().method(), d.tried().toString());
    assertNull(d.confiner().note());
    Path own = fs.at("/sys/fs/cgroup" + unit);
    assertEquals(List.of(4242L, 4243L), fs.pids(own.resolve("agent/cgroup.procs")), "the node's processes moved");
    assertEquals(List.of(), fs.pids(own.resolve("cgroup.procs")));
    assertEquals("memory pids cpu io", fs.get(own.resolve("cgroup.subtree_control")));
    assertEquals("memory pids cpu io", fs.get(own.resolve("heady/cgroup.subtree_control")));
    assertEquals(own.resolve("heady"), ((Cgroup2Confiner) d.confiner()).tasks());
  }

  @Test
  void v2WithoutTheCpuControllerSaysCpusIsNotEnforced() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.unified("/user.slice/user-1000.slice/user@1000.service/app.slice/heady.scope", "memory pids", "77\n");
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", null);
    assertEquals(Enforcement.CGROUP2, d.confiner().method());
    assertTrue(d.confiner().note().contains("cpus is not enforced"), d.confiner().note());
  }

  @Test
  void hybridMachineSkipsTheControllerlessUnifiedTreeAndUsesV1() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.hybrid(V1);
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("node-7", null);
    assertEquals(Enforcement.CGROUP1, d.confiner().method(), d.tried().toString());
    assertTrue(d.tried().get(0).contains("no memory and pids controllers") && d.tried().get(0).contains("hybrid"), d.tried().toString());
    for (String c : V1) {
      assertTrue(Files.isDirectory(fs.at("/sys/fs/cgroup/" + c + "/heady/node-7")), c);
    }
    assertNull(d.confiner().note());
  }

  @Test
  void v1WithoutFreezerOrCpuStillWorksAndSaysWhatIsMissing() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.hybrid(List.of("memory", "pids", "cpuacct"));
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", null);
    assertEquals(Enforcement.CGROUP1, d.confiner().method());
    assertTrue(d.confiner().note().contains("without freezing"), d.confiner().note());
    assertTrue(d.confiner().note().contains("cpus is not enforced"), d.confiner().note());
    assertEquals(List.of("cpuacct", "memory", "pids"),
        ((Cgroup1Confiner) d.confiner()).parents().keySet().stream().sorted().toList());
  }

  @Test
  void v1ThatRefusesNewGroupsFallsBackToProcessLimitsAndSaysWhy() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.hybrid(V1);
    fs.denyNewGroupsIn("/sys/fs/cgroup/memory");
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", "/usr/bin/prlimit");
    assertEquals(Enforcement.RLIMIT, d.confiner().method());
    assertInstanceOf(RlimitConfiner.class, d.confiner());
    assertTrue(d.confiner().note().contains("cgroup1: cannot make groups under /sys/fs/cgroup/memory"),
        d.confiner().note());
    assertTrue(d.confiner().note().contains("not killed with it"), d.confiner().note());
  }

  @Test
  void aV2GroupNotDelegatedToTheUserIsNotUsed() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.unified("/user.slice", "memory pids", "1\n");
    Path own = fs.at("/sys/fs/cgroup/user.slice");
    own.resolve("cgroup.subtree_control").toFile().setWritable(false, false);
    own.toFile().setWritable(false, false);
    try {
      ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", null);
      // root may write anyway; then the tree is in fact delegated to it
      if (!Files.isWritable(own)) {
        assertEquals(Enforcement.RLIMIT, d.confiner().method());
        assertTrue(d.tried().get(0).contains("Delegate=yes"), d.tried().toString());
      } else {
        assertEquals(Enforcement.CGROUP2, d.confiner().method());
      }
    } finally {
      own.toFile().setWritable(true, false);
    }
  }

  @Test
  void noControlGroupsAtAll() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    fs.put("/proc/self/cgroup", "");
    ContainmentProbe.Detection d = new ContainmentProbe(fs).detect("n1", null);
    assertEquals(Enforcement.RLIMIT, d.confiner().method());
    assertEquals(List.of("cgroup2: not mounted", "cgroup1: no memory and pids hierarchies mounted"), d.tried());
  }
}
