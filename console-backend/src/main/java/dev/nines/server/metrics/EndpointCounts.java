package dev.nines.server.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-interval request and error counts of one endpoint in one report.
 *
 * @param url the endpoint's base URL
 * @param requests requests finished during the report's interval (0 when the report had none)
 * @param errors requests failed during the interval (0 when the report had none)
 */
record EndpointCounts(String url, long requests, long errors) {
  EndpointCounts {
    if (url == null) {
      throw new IllegalArgumentException("url is required");
    }
    if (requests < 0 || errors < 0) {
      throw new IllegalArgumentException("requests and errors must be >= 0 (were " + requests + ", " + errors + ")");
    }
  }

  /** The counts of an already parsed report (no second parse on the writer's path). */
  static List<EndpointCounts> of(dev.nines.protocol.AgentReport report) {
    List<EndpointCounts> out = new ArrayList<>(report.endpoints().size());
    for (dev.nines.protocol.EndpointReport e : report.endpoints()) {
      dev.nines.protocol.ServerStats s = e.scrape();
      long requests = s == null || s.requests() == null ? 0 : s.requests();
      long errors = s == null || s.errors() == null ? 0 : s.errors();
      out.add(new EndpointCounts(e.url(), requests, errors));
    }
    return out;
  }

  /**
   * The endpoints' counts of a stored report body, read with a streaming parser that skips
   * everything but {@code endpoints[].url} and {@code endpoints[].scrape.requests|errors}: this runs
   * on the writer thread for every stored report, so it must cost far less than binding the report.
   *
   * @throws IOException when the body is not JSON
   */
  static List<EndpointCounts> parse(JsonFactory json, String body) throws IOException {
    // The server writes reports compactly with endpoints last, so the array is found by a search
    // from the end instead of tokenizing the GPU section first. The text "endpoints":[ can only be
    // a key with an array value (quotes inside strings are escaped; label values are strings).
    int at = body.lastIndexOf(ENDPOINTS_KEY);
    if (at >= 0) {
      try (java.io.Reader r = new java.io.StringReader(body)) {
        r.skip(at + ENDPOINTS_KEY.length() - 1L);
        try (JsonParser p = json.createParser(r)) {
          if (p.nextToken() == JsonToken.START_ARRAY) {
            return endpoints(p);
          }
        }
      }
    }
    List<EndpointCounts> out = new ArrayList<>(2);
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("endpoints") && value == JsonToken.START_ARRAY) {
          out.addAll(endpoints(p));
        } else {
          p.skipChildren();
        }
      }
    }
    return out;
  }

  private static final String ENDPOINTS_KEY = "\"endpoints\":[";

  /** Reads the endpoints array, the parser on its START_ARRAY; leaves it on its END_ARRAY. */
  private static List<EndpointCounts> endpoints(JsonParser p) throws IOException {
    List<EndpointCounts> out = new ArrayList<>(2);
    while (p.nextToken() == JsonToken.START_OBJECT) {
      EndpointCounts c = endpoint(p);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** Reads one endpoint object, the parser on its START_OBJECT; leaves it on its END_OBJECT. */
  private static EndpointCounts endpoint(JsonParser p) throws IOException {
    String url = null;
    long requests = 0;
    long errors = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("url") && value == JsonToken.VALUE_STRING) {
        url = p.getText();
      } else if (field.equals("scrape") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          if (v == JsonToken.VALUE_NUMBER_INT && f.equals("requests")) {
            requests = Math.max(0, p.getLongValue());
          } else if (v == JsonToken.VALUE_NUMBER_INT && f.equals("errors")) {
            errors = Math.max(0, p.getLongValue());
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return url == null ? null : new EndpointCounts(url, requests, errors);
  }
}
