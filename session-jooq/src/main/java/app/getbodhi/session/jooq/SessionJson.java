package app.getbodhi.session.jooq;

import app.getbodhi.session.SessionServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;

/**
 * Turns session data into the UTF-8 JSON bytes stored in the {@code data} column and back, with a
 * size limit. Jackson reads integers as Integer, Long or BigInteger by size, and {@link
 * app.getbodhi.session.SessionRecord} turns them into Long (BigInteger beyond long's range), so a
 * record read back equals the saved one. Thread-safe.
 */
final class SessionJson {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final int maxBytes;

  SessionJson(int maxBytes) {
    ObjectMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // error messages must not quote stored data: it may hold secrets
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    // a stored row larger than the write limit can only come from elsewhere; read it anyway, but
    // keep the parser's own guards
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build());
    this.writer = mapper.writerFor(MAP);
    this.reader = mapper.readerFor(MAP);
    this.maxBytes = maxBytes;
  }

  byte[] write(Map<String, Object> data) {
    byte[] bytes;
    try {
      bytes = writer.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "Session data could not be written as JSON: " + e.getOriginalMessage(),
          e);
    }
    if (bytes.length > maxBytes) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "Session data is "
              + bytes.length
              + " bytes of JSON, over the limit of "
              + maxBytes
              + " (SessionStoreConfig.maxDataBytes); nothing was written. Keep large values"
              + " out of the session.");
    }
    return bytes;
  }

  Map<String, Object> read(byte[] bytes) {
    try {
      Map<String, Object> data = reader.readValue(bytes);
      if (data == null) {
        throw new IOException("the stored value is JSON null, not an object");
      }
      return data;
    } catch (IOException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "A stored session's data is not a JSON object; delete the session or fix the row.",
          e);
    }
  }
}
