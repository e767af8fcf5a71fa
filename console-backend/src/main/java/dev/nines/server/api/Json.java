package dev.nines.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The server's JSON settings, strict on input. */
public final class Json {
  private Json() {}

  /**
   * For the API: nulls are written (a null figure means "not available"); input is strict: null or
   * missing primitives, trailing tokens, NaN/Infinity tokens and strings where numbers belong are
   * refused; unknown properties are ignored (newer agents may send more).
   */
  public static ObjectMapper api() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();
  }

  /** For storage: like {@link #api()} but without null fields, to keep rows small. */
  public static ObjectMapper storage() {
    return api().setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
