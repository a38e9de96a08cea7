package io.heady.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.common.config.Config;
import io.heady.common.config.Keys;
import io.heady.common.http.HttpLimits;
import io.heady.manager.api.ApiSettings;
import io.heady.manager.placement.PlacementSettings;
import io.heady.manager.scheduler.SchedulerSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each settings section has one set of defaults: what {@code --help} documents ({@link Keys}). A record's own
 * {@code defaults()} (what tests and embedders use) must be what the manager builds from a config that sets
 * nothing, so the two can never drift apart.
 */
class SettingsDefaultsTest {
  private final Config none = Config.defaults("manager");

  @Test
  void theSchedulersDefaultsAreTheDocumentedOnes() {
    assertEquals(SchedulerSettings.defaults(), ManagerSettings.scheduler(none));
  }

  @Test
  void placementHttpAndApiDefaultsAreTheDocumentedOnes() {
    assertEquals(PlacementSettings.DEFAULTS, PlacementSettings.from(none));
    assertEquals(HttpLimits.defaults(none.longValue(Keys.MAX_BODY_KB) * 1024), HttpLimits.fromConfig(none));
    ApiSettings api = ApiSettings.from(none, io.heady.common.tls.ServerTls.NONE);
    assertEquals(new ApiSettings(api.host(), api.port(), api.maxBodyBytes(), api.openHealth(), api.advertiseUrl()),
        api);
  }

  @Test
  void defaultsReadNoFileAndNoEnvironment() {
    assertEquals("default", none.source(Keys.TTL_SEC));
    assertEquals(Config.of("manager", Map.of("conf-dir", "/nonexistent")).integer(Keys.TTL_SEC),
        none.integer(Keys.TTL_SEC));
  }

}
