package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One attempt's group in a fake v2 and a fake v1 tree: the limit files, placement, usage, OOM, removal. */
class CgroupGroupsTest {
  private static final Limits LIMITS = new Limits(64, 0.5, 32, 5);
  @TempDir
  Path tmp;

  private Cgroup2Confiner v2(FakeCgroupTree fs) throws IOException {
    fs.unified("/system.slice/heady-agent.service", "cpu io memory pids", "10\n");
    return (Cgroup2Confiner) new ContainmentProbe(fs).detect("n1", null).confiner();
  }

  private Cgroup1Confiner v1(FakeCgroupTree fs, List<String> ctls) throws IOException {
    fs.hybrid(ctls);
    return (Cgroup1Confiner) new ContainmentProbe(fs).detect("n1", null).confiner();
  }

  @Test
  void v2GroupWritesEveryLimitAndPlacesTheTaskThroughItsProcsFile() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup2Group g = (Cgroup2Group) v2(fs).confine("t1-a", LIMITS, 0, false);
    Path d = g.dir();
    assertEquals(Long.toString(64L << 20), fs.get(d.resolve("memory.max")));
    assertEquals("0", fs.get(d.resolve("memory.swap.max")), "no swap: over the limit is killed, not swapped");
    assertEquals("1", fs.get(d.resolve("memory.oom.group")));
    assertEquals("32", fs.get(d.resolve("pids.max")));
    assertEquals("50000 100000", fs.get(d.resolve("cpu.max")));
    assertEquals(LIMITS, g.applied());
    List<String> prefix = g.prefix();
    assertEquals(List.of("/bin/sh", "-c", Placement.SCRIPT, "heady-contain", "1", d.resolve("cgroup.procs").toString()),
        prefix);
  }

  @Test
  void v2UsageOomAndRemoval() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup2Group g = (Cgroup2Group) v2(fs).confine("t1-a", Limits.NONE, 0, false);
    Path d = g.dir();
    Files.writeString(d.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
    Files.writeString(d.resolve("memory.current"), "1048576\n");
    Files.writeString(d.resolve("memory.peak"), "73400320\n");
    Files.writeString(d.resolve("io.stat"), "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
        + "8:16 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
    assertEquals(new Usage(2.0, 0.5, 73400320, 4196, 8192), g.usage());
    // a kernel without memory.peak: the largest memory.current sampled
    Files.delete(d.resolve("memory.peak"));
    Files.writeString(d.resolve("memory.current"), "500\n");
    assertEquals(1048576, g.usage().peakMemoryBytes());
    assertFalse(g.outOfMemory());
    Files.writeString(d.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
    assertTrue(g.outOfMemory());
    fs.setPids(d, 555L);
    assertFalse(g.remove(), "a daemon still runs there");
    fs.setPids(d);
    assertTrue(g.remove());
    assertFalse(Files.exists(d));
  }

  @Test
  void v2GroupWithoutTheCpuControllerLeavesCpusOut() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    fs.unified("/a", "memory pids", "1\n");
    Confined g = new ContainmentProbe(fs).detect("n1", null).confiner().confine("x", LIMITS, 0, false);
    assertEquals(new Limits(64, 0, 32, 5), g.applied());
  }

  @Test
  void v1GroupIsMadeInEveryHierarchyWithItsLimits() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup1Group g = (Cgroup1Group) v1(fs, List.of("memory", "pids", "cpu", "cpuacct", "freezer", "blkio"))
        .confine("t1-a", LIMITS, 0, false);
    Map<String, Path> dirs = g.dirs();
    assertEquals(Long.toString(64L << 20), fs.get(dirs.get("memory").resolve("memory.limit_in_bytes")));
    assertEquals(Long.toString(64L << 20), fs.get(dirs.get("memory").resolve("memory.memsw.limit_in_bytes")));
    assertEquals("32", fs.get(dirs.get("pids").resolve("pids.max")));
    assertEquals("100000", fs.get(dirs.get("cpu").resolve("cpu.cfs_period_us")));
    assertEquals("50000", fs.get(dirs.get("cpu").resolve("cpu.cfs_quota_us")));
    assertEquals(fs.at("/sys/fs/cgroup/memory/heady/n1/t1-a"), dirs.get("memory"));
    List<String> prefix = g.prefix();
    assertEquals("6", prefix.get(4), "one procs file per hierarchy: " + prefix);
    assertTrue(prefix.contains(fs.at("/sys/fs/cgroup/freezer/heady/n1/t1-a/cgroup.procs").toString()), prefix.toString());
    assertEquals(LIMITS, g.applied());
  }

  @Test
  void v1UsageFromCpuacctMemoryAndBlkio() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup1Group g = (Cgroup1Group) v1(fs, List.of("memory", "pids", "cpuacct", "blkio")).confine("a", Limits.NONE,
        0, false);
    Map<String, Path> d = g.dirs();
    Files.writeString(d.get("cpuacct").resolve("cpuacct.usage_user"), "1500000000\n");
    Files.writeString(d.get("cpuacct").resolve("cpuacct.usage_sys"), "250000000\n");
    Files.writeString(d.get("memory").resolve("memory.max_usage_in_bytes"), "67108864\n");
    Files.writeString(d.get("blkio").resolve("blkio.throttle.io_service_bytes_recursive"),
        "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Total 4608\nTotal 4608\n");
    assertEquals(new Usage(1.5, 0.25, 67108864, 4096, 512), g.usage());
    // an older kernel: no usage_user/usage_sys, only cpuacct.stat in USER_HZ ticks
    Files.delete(d.get("cpuacct").resolve("cpuacct.usage_user"));
    Files.writeString(d.get("cpuacct").resolve("cpuacct.stat"), "user 150\nsystem 25\n");
    assertEquals(1.5, g.usage().cpuUserSec());
    assertEquals(0.25, g.usage().cpuSystemSec());
  }

  @Test
  void v1OomFromTheKillCounterOrOnOlderKernelsTheFailCount() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup1Group g = (Cgroup1Group) v1(fs, List.of("memory", "pids")).confine("a", LIMITS, 0, false);
    Path m = g.dirs().get("memory");
    Files.writeString(m.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    Files.writeString(m.resolve("memory.failcnt"), "3\n");
    assertFalse(g.outOfMemory(), "the limit was hit and reclaimed, nobody was killed");
    Files.writeString(m.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    assertTrue(g.outOfMemory());
    Files.writeString(m.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");
    assertTrue(g.outOfMemory(), "no kill counter: the fail count is all there is");
  }

  @Test
  void v1FreezeAndMembersAcrossHierarchies() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup1Group g = (Cgroup1Group) v1(fs, List.of("memory", "pids", "freezer")).confine("a", LIMITS, 0, false);
    fs.setPids(g.dirs().get("memory"), 7L, 8L);
    fs.setPids(g.dirs().get("freezer"), 8L, 9L);
    assertEquals(Set.of(7L, 8L, 9L), g.members());
    assertTrue(g.freeze(true));
    assertEquals("FROZEN", fs.get(g.dirs().get("freezer").resolve("freezer.state")));
    assertTrue(g.freeze(false));
    assertEquals("THAWED", fs.get(g.dirs().get("freezer").resolve("freezer.state")));
    assertFalse(g.killAll(), "v1 has no cgroup.kill");
  }

  @Test
  void aFailedLimitWriteRemovesWhatWasMade() throws Exception {
    FakeCgroupTree fs = new FakeCgroupTree(tmp);
    Cgroup1Confiner c = v1(fs, List.of("memory", "pids"));
    FakeCgroupTree broken = new FakeCgroupTree(tmp) {
      @Override
      public void mkdir(Path dir) throws IOException {
        fs.mkdir(dir);
        if (dir.toString().contains("/pids/")) {
          Files.delete(dir.resolve("pids.max")); // this kernel lacks the file
        }
      }
    };
    Cgroup1Confiner other = new Cgroup1Confiner(broken, c.parents(), 100, null);
    assertThrows(IOException.class, () -> other.confine("a", LIMITS, 0, false));
    assertFalse(Files.exists(fs.at("/sys/fs/cgroup/memory/heady/n1/a")));
    assertFalse(Files.exists(fs.at("/sys/fs/cgroup/pids/heady/n1/a")));
  }
}
