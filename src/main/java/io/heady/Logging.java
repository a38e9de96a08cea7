package io.heady;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets the log level chosen by {@code --log-level}. */
final class Logging {
  private Logging() {}

  static void level(String level) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    Logger heady = (Logger) LoggerFactory.getLogger("io.heady");
    heady.setLevel(Level.toLevel(level, Level.INFO));
  }
}
