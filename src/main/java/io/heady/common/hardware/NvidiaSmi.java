package io.heady.common.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what nvidia-smi prints. Pure: no process is run here. */
final class NvidiaSmi {
  /** The query {@link #parseQuery} reads. */
  static final List<String> QUERY =
      List.of("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits");
  /** Plain {@code nvidia-smi}: its banner carries the CUDA version the driver supports. */
  static final List<String> SUMMARY = List.of("nvidia-smi");

  /** why: the wire record allows 200 characters for a GPU name. */
  private static final int MAX_MODEL = 200;
  private static final Pattern MIB = Pattern.compile("(\\d+(?:\\.\\d+)?)(?:\\s*MiB)?", Pattern.CASE_INSENSITIVE);
  /** What nvidia-smi prints where it cannot read a value: "[N/A]", "[Not Supported]", "[Unknown Error]". */
  private static final Pattern NOT_AVAILABLE = Pattern.compile("\\[[^\\]]*\\]|N/A", Pattern.CASE_INSENSITIVE);
  private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*(\\d+(?:\\.\\d+)*)");

  private NvidiaSmi() {}

  /**
   * Parses {@code nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits}: one line per GPU,
   * {@code "NVIDIA GeForce RTX 3090, 24576"}. Lines that are not a name and a memory size (error messages,
   * "No devices were found") are skipped; nothing usable gives {@link GpuInfo#NONE}.
   */
  static GpuInfo parseQuery(String csv) {
    if (csv == null || csv.isBlank()) {
      return GpuInfo.NONE;
    }
    Map<String, Integer> byName = new LinkedHashMap<>();
    double mib = 0;
    int count = 0;
    for (String raw : csv.split("\\R")) {
      String line = raw.strip();
      int comma = line.lastIndexOf(',');
      if (comma <= 0) {
        continue;
      }
      String name = line.substring(0, comma).strip();
      String memory = line.substring(comma + 1).strip();
      if (name.isEmpty() || name.indexOf(',') >= 0) {
        continue; // why: a second field means a different query, or prose; not a GPU line we asked for
      }
      Matcher m = MIB.matcher(memory);
      if (m.matches()) {
        mib += Double.parseDouble(m.group(1));
      } else if (!NOT_AVAILABLE.matcher(memory).matches()) {
        continue;
      }
      byName.merge(name, 1, Integer::sum);
      count++;
    }
    if (count == 0) {
      return GpuInfo.NONE;
    }
    List<String> parts = new ArrayList<>();
    byName.forEach((name, n) -> parts.add(n > 1 ? n + "x " + name : name));
    String model = String.join(" + ", parts);
    if (model.length() > MAX_MODEL) {
      model = model.substring(0, MAX_MODEL);
    }
    return new GpuInfo(model, Math.round(mib / 1024.0 * 10) / 10.0, count);
  }

  /** The CUDA version in plain {@code nvidia-smi}'s banner ("CUDA Version: 12.4"), if it names one. */
  static Optional<String> parseCudaVersion(String summary) {
    if (summary == null) {
      return Optional.empty();
    }
    Matcher m = CUDA.matcher(summary);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
