package io.triggers.core.testing;

import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A platform logger that keeps what is logged, formatted as the platform logger would. */
public final class RecordingLogger implements Logger {

  /** One logged line: its level, its text and the failure logged with it, if any. */
  public record Line(Level level, String message, Throwable thrown) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  /** Every line logged so far, oldest first. */
  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The texts of every line logged so far, oldest first. */
  public List<String> messages() {
    return lines.stream().map(Line::message).toList();
  }

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public boolean isLoggable(Level level) {
    return true;
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    lines.add(new Line(level, message, thrown));
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    lines.add(
        new Line(level, params == null ? format : MessageFormat.format(format, params), null));
  }
}
