package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcInfoTest {
  @Test
  void rssFromProcStatus() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  131072 kB\nThreads:\t40\n";
    assertEquals(131072, ProcInfo.parseRssKb(status));
    assertEquals(128.0, ProcInfo.mb(131072));
    assertEquals(-1, ProcInfo.parseRssKb("Name:\tjava\n"));
  }

  @Test
  void heapFromJstatColumnsByName() {
    String g1 = " S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC"
        + "     YGCT    FGC    FGCT    CGC    CGCT     GCT   \n"
        + "  0.0    0.0    0.0    0.0   6144.0   1024.0   59392.0    30720.0  41216.0 40000.0 5376.0 5000.0     10"
        + "    0.050     1    0.100     2    0.002    0.152\n";
    assertEquals(31744, ProcInfo.parseJstatUsedKb(g1));
    assertEquals(-1, ProcInfo.parseJstatUsedKb("garbage"));
  }

  @Test
  void cpuTicksFromProcStat() {
    String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 40 0 100 0 0";
    assertEquals(325, ProcInfo.parseCpuTicks(stat));
    assertTrue(ProcInfo.cpuSeconds(ProcessHandle.current().pid()) > 0);
  }

  @Test
  void ourOwnProcessHasAResidentSize() {
    assertTrue(ProcInfo.rssMb(ProcessHandle.current().pid()) > 1);
    assertEquals(-1, ProcInfo.rssMb(Long.MAX_VALUE));
    assertTrue(ProcInfo.loadAverage() >= 0);
  }
}
