package io.triggers.bootstrap.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Secrets given as files ({@code TRIGGERS_ADMIN_TOKEN_FILE} and the like), so that they appear
 * neither in {@code ps} nor in the process's environment. An error names the file, never what it
 * holds.
 */
final class SecretFiles {

  /** Each secret and the option naming the file that may hold it instead, in the options' order. */
  private static final Map<Option, Option> FILE_OF =
      new EnumMap<>(
          Map.of(
              Option.ADMIN_TOKEN, Option.ADMIN_TOKEN_FILE,
              Option.DATABASE_URL, Option.DATABASE_URL_FILE,
              Option.REDIS_URL, Option.REDIS_URL_FILE,
              Option.METRICS_TOKEN, Option.METRICS_TOKEN_FILE));

  /** Far more than any token or URL; a larger file is not a secret, and is not read whole. */
  private static final int MAX_BYTES = 64 * 1024;

  private SecretFiles() {}

  /** Puts each secret given as a file in place of its value; refuses a secret given both ways. */
  static void resolve(Map<Option, String> values) {
    for (Map.Entry<Option, Option> secret : FILE_OF.entrySet()) {
      Option value = secret.getKey();
      Option file = secret.getValue();
      String path = values.get(file);
      if (path.isBlank()) {
        continue;
      }
      if (!values.get(value).isBlank()) {
        throw new ConfigurationException(
            name(value) + " and " + name(file) + " are both set: set only one of them");
      }
      values.put(value, read(file, path.strip()));
    }
  }

  /** The file's text without its trailing line break. */
  private static String read(Option file, String pathText) {
    String name = file.environmentVariable() + ": " + pathText;
    Path path;
    try {
      path = Path.of(pathText);
    } catch (InvalidPathException e) {
      throw new ConfigurationException(name + " is not a valid path");
    }
    if (Files.isDirectory(path)) {
      throw new ConfigurationException(name + " is a directory, not a file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(name + " cannot be read: no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigurationException(name + " cannot be read: permission denied");
    } catch (FileSystemException e) {
      throw new ConfigurationException(
          name
              + " cannot be read: "
              + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
    } catch (IOException e) {
      // The JDK's messages about a read name the failure, never the bytes.
      throw new ConfigurationException(name + " cannot be read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw new ConfigurationException(
          name + " is larger than " + MAX_BYTES + " bytes, too large for a secret");
    }
    String text = withoutTrailingLineBreaks(utf8(name, bytes));
    if (text.isBlank()) {
      throw new ConfigurationException(name + " is empty, or holds only white space");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new ConfigurationException(name + " holds more than one line");
    }
    return text;
  }

  private static String utf8(String name, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigurationException(name + " is not UTF-8 text");
    }
  }

  private static String withoutTrailingLineBreaks(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String name(Option option) {
    return option.environmentVariable() + " (" + option.flag() + ")";
  }
}
