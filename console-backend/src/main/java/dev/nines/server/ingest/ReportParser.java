package dev.nines.server.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.nines.protocol.AgentReport;
import java.io.IOException;

/**
 * Turns a request body into a valid {@link AgentReport}, or says exactly what is wrong. Pure. Public
 * for {@code replica.ReportTail}, which parses the reports other replicas stored the same way.
 */
public final class ReportParser {
  private final ObjectReader json;

  public ReportParser(ObjectMapper json) {
    this.json = json.readerFor(AgentReport.class); // resolved once, not per report
  }

  /**
   * @throws InvalidReport naming the field and the problem
   */
  public AgentReport parse(byte[] body) {
    if (body.length == 0) {
      throw new InvalidReport("the body is empty: send an AgentReport as JSON");
    }
    AgentReport report;
    try {
      report = json.readValue(body);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String where = path(e);
      String message = cause.getMessage() == null ? e.getOriginalMessage() : cause.getMessage();
      // The records name the field in their message; add where it sits when it is nested.
      throw new InvalidReport(where.isEmpty() ? message : message + " (at " + where + ")");
    } catch (JsonMappingException e) {
      String where = path(e);
      throw new InvalidReport((where.isEmpty() ? "" : where + ": ") + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidReport(
          "malformed JSON: " + firstLine(e.getOriginalMessage())
              + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new InvalidReport("unreadable body: " + e.getMessage());
    }
    if (report == null) {
      throw new InvalidReport("the body must be a JSON object, not null");
    }
    return report;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A report that is not valid JSON or not a valid AgentReport. */
  public static final class InvalidReport extends RuntimeException {
    InvalidReport(String detail) {
      super(detail);
    }
  }
}
