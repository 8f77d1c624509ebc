package io.triggers.adapters.http;

import com.fasterxml.jackson.core.io.SerializedString;
import java.nio.charset.StandardCharsets;

/**
 * JSON text to write as it is ({@code JsonGenerator.writeRawValue}), such as a stored payload. Its
 * UTF-8 bytes are made by the JDK's encoder, which copies ASCII text in bulk, rather than by
 * Jackson's, which goes character by character; InboxJsonBenchmark measures the difference.
 */
final class RawJson extends SerializedString {

  RawJson(String json) {
    super(json);
    _unquotedUTF8Ref = json.getBytes(StandardCharsets.UTF_8);
  }
}
