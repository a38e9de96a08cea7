package io.heady.common.hardware;

import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.SystemStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * What this node is made of ({@link #detect()}, {@link #capabilities(Hardware)}) and how loaded it is
 * ({@link #sample()}).
 *
 * <p>All methods block: call them on a worker thread. {@code detect()} starts the external probes
 * (nvidia-smi, docker, uname) in parallel and the following {@code capabilities()} call reuses them, so the
 * pair takes about as long as the slowest probe's timeout (3 s for {@code docker info}) even when one hangs.
 *
 * <p>GPU means a discrete NVIDIA GPU that nvidia-smi reports. OSHI's graphics cards are deliberately not
 * used: on a mini-PC they are an Intel UHD or a Radeon APU, on a Pi the VideoCore, and none of those can
 * take GPU work.
 */
public final class HardwareProbe {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private final CommandProbe commands;
  private final Path dataDir;
  private final ProbeTimeouts timeouts;
  /** Null where OSHI does not support the platform; every use goes through {@link #safely}. */
  private final SystemInfo oshi = safely(SystemInfo::new, null);
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "heady-hw-probe");
    t.setDaemon(true); // why: a probe stuck past its timeout must not keep the JVM alive
    return t;
  });
  /** Probes started by {@link #detect()} and not yet consumed by {@link #capabilities(Hardware)}. */
  private final AtomicReference<ProbeRound> pending = new AtomicReference<>();
  private final Object ticksLock = new Object();
  /** CPU ticks at the previous {@link #sample()}; null before the first. Guarded by {@link #ticksLock}. */
  private long[] previousTicks;

  /**
   * @param commands how external programs are run (real or fake)
   * @param dataDir the agent's data directory: storage figures are for the file system holding it (it need
   *     not exist yet; its nearest existing parent is used)
   */
  public HardwareProbe(CommandProbe commands, Path dataDir) {
    this(commands, dataDir, ProbeTimeouts.DEFAULT);
  }

  HardwareProbe(CommandProbe commands, Path dataDir, ProbeTimeouts timeouts) {
    this.commands = commands;
    this.dataDir = dataDir.toAbsolutePath();
    this.timeouts = timeouts;
  }

  /** Real OSHI and real commands. */
  public static HardwareProbe system(Path dataDir) {
    return new HardwareProbe(CommandProbe.system(), dataDir);
  }

  /** Detects the hardware. Blocking: OSHI, nvidia-smi and {@code uname -m}; about 0.5 s, at most ~3 s. */
  public Hardware detect() {
    ProbeRound round = ProbeRound.start(commands, pool, timeouts);
    pending.set(round);

    int logical = Math.max(1, Runtime.getRuntime().availableProcessors());
    CentralProcessor cpu = safely(() -> oshi.getHardware().getProcessor(), null);
    int physical = logical;
    String cpuModel = null;
    if (cpu != null) {
      physical = physicalCores(logical, safely(cpu::getLogicalProcessorCount, 0),
          safely(cpu::getPhysicalProcessorCount, 0));
      cpuModel = safely(() -> cpuModel(cpu.getProcessorIdentifier().getName(),
          cpu.getProcessorIdentifier().getVendor(), cpu.getProcessorIdentifier().getMicroarchitecture()), null);
    }
    long ramBytes = safely(() -> oshi.getHardware().getMemory().getTotal(), 0L);
    if (ramBytes <= 0) {
      ramBytes = mxTotalMemory();
    }
    long storageBytes = store().map(s -> space(s::getTotalSpace)).orElse(0L);

    GpuInfo gpu = NvidiaSmi.parseQuery(round.gpuQuery().orElse(null));
    String arch = normalizeArch(System.getProperty("os.arch"), round.unameM().map(String::strip).orElse(null));
    return new Hardware(
        cpuModel == null ? "unknown" : cpuModel,
        logical,
        physical,
        round1(ramBytes / GIB),
        gpu.model(),
        gpu.vramGb(),
        round1(storageBytes / GIB),
        osName(),
        arch);
  }

  /**
   * The node's capabilities: sorted names from {@link Capabilities#VOCABULARY}. Blocking; reuses the probes
   * the last {@link #detect()} started, or starts its own.
   *
   * @param hw what {@link #detect()} returned; {@code gpu} and {@code cuda} follow its GPU
   */
  public List<String> capabilities(Hardware hw) {
    ProbeRound round = pending.getAndSet(null);
    if (round == null) {
      round = ProbeRound.start(commands, pool, timeouts);
    }
    boolean docker = round.dockerInfo().isPresent();
    boolean cuda = hw.hasGpu() && round.smiSummary().flatMap(NvidiaSmi::parseCudaVersion).isPresent();
    long usable = store().map(s -> space(s::getUsableSpace)).orElse(0L);
    return Capabilities.decide(hw, commands::onPath, docker, cuda, usable);
  }

  /**
   * The node's load now. Blocking but cheap (reads /proc on Linux). {@code cpu_usage_pct} is the whole
   * machine's CPU use since the previous call (since boot on the first).
   */
  public SystemStats sample() {
    double cpuPct = 0;
    double load = 0;
    CentralProcessor cpu = safely(() -> oshi.getHardware().getProcessor(), null);
    if (cpu != null) {
      synchronized (ticksLock) {
        long[] now = safely(cpu::getSystemCpuLoadTicks, null);
        if (now != null) {
          long[] before = previousTicks == null ? new long[now.length] : previousTicks;
          cpuPct = pct(safely(() -> cpu.getSystemCpuLoadBetweenTicks(before), 0.0) * 100);
          previousTicks = now;
        }
      }
      double[] avg = safely(() -> cpu.getSystemLoadAverage(1), new double[] {-1});
      load = avg.length > 0 && avg[0] > 0 ? avg[0] : 0; // negative where unsupported (Windows)
    }
    double ramPct = 0;
    GlobalMemory mem = safely(() -> oshi.getHardware().getMemory(), null);
    if (mem != null) {
      long total = safely(mem::getTotal, 0L);
      long available = safely(mem::getAvailable, 0L);
      ramPct = total > 0 ? pct(100.0 * (total - available) / total) : 0;
    }
    double diskPct = store().map(s -> diskUsagePct(space(s::getTotalSpace), space(s::getUnallocatedSpace),
        space(s::getUsableSpace))).orElse(0.0);
    long uptime = safely(() -> oshi.getOperatingSystem().getSystemUptime(), 0L);
    if (uptime <= 0) {
      uptime = 0;
    }
    return new SystemStats(round1(cpuPct), round1(ramPct), round1(diskPct), Math.round(load * 100) / 100.0,
        uptime);
  }

  /**
   * One name per architecture on every OS: x86_64, aarch64, armv7, armv6, riscv64, ppc64le, s390x (x86 and
   * ppc64 for 32-bit x86 and big-endian POWER). Java's {@code os.arch} wins, as it names the userland tasks
   * run in; {@code uname -m} refines Java's bare {@code arm} (32-bit Pi OS) into armv6 or armv7.
   *
   * @param osArch {@code System.getProperty("os.arch")}
   * @param unameM what {@code uname -m} printed; null where there is no uname
   */
  public static String normalizeArch(String osArch, String unameM) {
    return ArchNames.normalize(osArch, unameM);
  }

  /**
   * Reads {@code nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits}.
   *
   * @return the GPUs it lists, {@link GpuInfo#NONE} for empty output, an error message or garbage
   */
  public static GpuInfo parseNvidiaSmi(String csv) {
    return NvidiaSmi.parseQuery(csv);
  }

  /** Disk use as {@code df} shows it: used / (used + available to unprivileged users), in percent. */
  static double diskUsagePct(long total, long free, long usable) {
    long used = Math.max(0, total - free);
    long denominator = used + Math.max(0, usable);
    return denominator <= 0 ? 0 : pct(100.0 * used / denominator);
  }

  /**
   * Physical cores this JVM may use. When the JVM sees fewer logical processors than the machine has (a
   * container or a CPU affinity mask), the machine's cores-per-thread ratio is applied, so a 2-CPU slice of
   * a 32-thread Ryzen does not claim 16 physical cores.
   */
  static int physicalCores(int usableLogical, int machineLogical, int machinePhysical) {
    if (machinePhysical <= 0) {
      return usableLogical;
    }
    if (machineLogical <= usableLogical) {
      return Math.min(machinePhysical, usableLogical);
    }
    long scaled = Math.round((double) usableLogical * machinePhysical / machineLogical);
    return (int) Math.max(1, Math.min(usableLogical, scaled));
  }

  /** The CPU's marketing name, whitespace tidied; vendor and microarchitecture where it has none (ARM). */
  static String cpuModel(String name, String vendor, String microarchitecture) {
    String n = tidy(name);
    if (n != null) {
      return n;
    }
    return OsNames.join(tidy(vendor), tidy(microarchitecture));
  }

  private static String tidy(String s) {
    if (s == null) {
      return null;
    }
    String t = s.replaceAll("\\s+", " ").strip();
    return t.isEmpty() || "unknown".equalsIgnoreCase(t) ? null : t;
  }

  private String osName() {
    String javaName = System.getProperty("os.name", "");
    if (javaName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      for (String file : List.of("/etc/os-release", "/usr/lib/os-release")) {
        try {
          Optional<String> pretty = OsNames.prettyName(Files.readString(Path.of(file)));
          if (pretty.isPresent()) {
            return pretty.get();
          }
        } catch (IOException | RuntimeException e) {
          // try the next one, then OSHI
        }
      }
    }
    String fromOshi = safely(() -> OsNames.join(oshi.getOperatingSystem().getFamily(),
        oshi.getOperatingSystem().getVersionInfo().getVersion()), null);
    if (fromOshi != null) {
      return fromOshi;
    }
    String fallback = OsNames.join(javaName, System.getProperty("os.version"));
    return fallback == null ? "unknown" : fallback;
  }

  /** The file store holding the data directory, or its nearest existing parent. */
  private Optional<FileStore> store() {
    for (Path p = dataDir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        try {
          return Optional.of(Files.getFileStore(p));
        } catch (IOException | RuntimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private interface IoLong {
    long get() throws IOException;
  }

  private static long space(IoLong size) {
    try {
      return Math.max(0, size.get());
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * why: OSHI reaches into native code through JNA; on an odd platform (a new ARM board, a trimmed JRE) it
   * can throw an Error rather than an exception. Detection degrades to Java's own figures instead of failing
   * the agent's start.
   */
  private static <T> T safely(Supplier<T> call, T fallback) {
    try {
      T v = call.get();
      return v == null ? fallback : v;
    } catch (RuntimeException | LinkageError e) {
      return fallback;
    }
  }

  private static long mxTotalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  private static double pct(double v) {
    if (Double.isNaN(v) || v < 0) {
      return 0;
    }
    return Math.min(100, v);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
