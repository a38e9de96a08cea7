package io.heady.manager;

import io.heady.common.protocol.Hardware;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The manager machine's size, for its local executor's tier and slots. */
final class LocalHardware {
  private LocalHardware() {}

  static Hardware detect(Path dataDir) {
    int cores = Runtime.getRuntime().availableProcessors();
    double ram = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      ram = Math.round(os.getTotalMemorySize() / (double) (1L << 30) * 10) / 10.0;
    }
    double storage = 0;
    try {
      storage = Math.round(Files.getFileStore(dataDir).getTotalSpace() / (double) (1L << 30));
    } catch (java.io.IOException e) {
      storage = 0;
    }
    String arch = System.getProperty("os.arch");
    arch = arch.equals("amd64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
    return new Hardware(null, cores, cores, ram, null, 0, storage, System.getProperty("os.name"), arch);
  }
}
