package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** What a task needs of a node beyond its type's policy. Zero and empty mean "no requirement". */
public record Requirements(int cores, double ramGb, boolean gpu, String arch, List<String> capabilities,
    Map<String, String> labels) {

  public static final Requirements NONE = new Requirements(0, 0, false, null, List.of(), Map.of());

  public JsonObject toJson() {
    return new JsonObject()
        .put("cores", cores)
        .put("ram_gb", ramGb)
        .put("gpu", gpu)
        .put("arch", arch)
        .put("capabilities", Fields.toArray(capabilities))
        .put("labels", Fields.toObject(labels));
  }

  public static Requirements fromJson(JsonObject j) {
    if (j == null) {
      return NONE;
    }
    String arch = Fields.optString(j, "arch", 16);
    if (arch != null && !arch.matches("x86_64|aarch64|armv7|armv6|riscv64|ppc64le|s390x")) {
      throw new InvalidInputException("requires.arch", "requires.arch must be one of x86_64, aarch64, armv7,"
          + " armv6, riscv64, ppc64le, s390x");
    }
    try {
      return new Requirements(
          (int) Fields.optLong(j, "cores", 0, 0, 4096),
          Fields.optDouble(j, "ram_gb", 0, 0, 65536),
          Fields.optBool(j, "gpu", false),
          arch,
          Fields.optStrings(j, "capabilities", 32, 64),
          Fields.optStringMap(j, "labels", 32, Registration.LABEL_KEY, 128));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("requires." + e.field(), "requires." + e.getMessage());
    }
  }
}
