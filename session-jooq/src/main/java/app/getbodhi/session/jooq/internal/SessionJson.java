package app.getbodhi.session.jooq.internal;

import app.getbodhi.session.SessionServiceException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns session data into the UTF-8 JSON bytes stored in the {@code data} column and back, with a
 * size limit. Integers are read as Long (BigInteger beyond long's range) and fractions as Double,
 * the canonical forms of {@link app.getbodhi.session.SessionRecord}, so a record read back equals
 * the saved one. Thread-safe.
 */
public final class SessionJson {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectWriter writer;
  private final JsonFactory factory;
  private final int maxBytes;

  /**
   * For one store.
   *
   * @param maxBytes the most bytes a session's JSON may take
   */
  public SessionJson(int maxBytes) {
    ObjectMapper mapper =
        JsonMapper.builder()
            // error messages must not quote stored data: it may hold secrets
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    // a stored row larger than the write limit can only come from elsewhere; read it anyway, but
    // keep the parser's own guards
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build());
    this.writer = mapper.writerFor(MAP);
    this.factory = mapper.getFactory();
    this.maxBytes = maxBytes;
  }

  /** The largest data this writes, in bytes of JSON. */
  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Writes session data as UTF-8 JSON.
   *
   * @param data the data, JSON values only
   * @return the bytes
   * @throws app.getbodhi.session.SessionServiceException of kind SERIALIZATION when the JSON is
   *     over the limit
   */
  public byte[] write(Map<String, Object> data) {
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

  /**
   * Parses stored bytes straight into maps, lists and canonical scalars (Long, BigInteger beyond
   * long's range, Double), token by token: half the cost of Jackson's data binding, which builds
   * the same map through its general-purpose deserializers.
   */
  public Map<String, Object> read(byte[] bytes) {
    try (JsonParser parser = factory.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the stored value is not a JSON object");
      }
      Map<String, Object> data = readObject(parser);
      if (parser.nextToken() != null) {
        throw new IOException("the stored value has data after its JSON object");
      }
      return data;
    } catch (IOException e) {
      throw new SessionServiceException(
          SessionServiceException.Kind.SERIALIZATION,
          "A stored session's data is not a JSON object; delete the session or fix the row.",
          e);
    }
  }

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    String key;
    while ((key = parser.nextFieldName()) != null) {
      object.put(key, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(parser, next));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected JSON token " + token);
    }
  }
}
