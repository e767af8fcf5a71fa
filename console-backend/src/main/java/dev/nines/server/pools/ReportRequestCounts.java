package dev.nines.server.pools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.protocol.AgentReport;
import dev.nines.protocol.EndpointReport;
import dev.nines.protocol.ServerStats;
import dev.nines.server.availability.RequestCount;
import dev.nines.server.store.ReceivedReport;
import dev.nines.server.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request counts read from the stored raw reports: one bucket per report, at its receipt, holding
 * the model servers' own request and error counts of the report's interval (good = requests -
 * errors). Stands in until the store serves counts from its rollups; like the raw reports it
 * reaches back only as far as their retention.
 */
public final class ReportRequestCounts implements RequestCounts {
  private static final Logger LOG = LoggerFactory.getLogger(ReportRequestCounts.class);

  private final Store store;
  private final ObjectMapper json;

  public ReportRequestCounts(Store store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  @Override
  public List<RequestCount> counts(String hostId, long fromMs, long toMs) {
    List<RequestCount> out = new ArrayList<>();
    for (ReceivedReport r : store.reportsReceived(hostId, fromMs, toMs)) {
      AgentReport report;
      try {
        report = json.readValue(r.bodyJson(), AgentReport.class);
      } catch (JsonProcessingException e) {
        LOG.warn("stored report {} of host {} cannot be read: {}", r.seq(), hostId, e.getOriginalMessage());
        continue;
      }
      count(report, r.receivedAtMs()).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The report's requests summed over its endpoints whose scrape offered a request count; empty when
   * none did (a report without figures is not a report of zero requests). Pure.
   */
  static Optional<RequestCount> count(AgentReport report, long receivedAtMs) {
    long total = 0;
    long good = 0;
    boolean any = false;
    for (EndpointReport e : report.endpoints()) {
      ServerStats s = e.scrape();
      if (s == null || !s.ok() || s.requests() == null) {
        continue;
      }
      long errors = s.errors() == null ? 0 : Math.min(s.errors(), s.requests());
      total += s.requests();
      good += s.requests() - errors;
      any = true;
    }
    return any ? Optional.of(new RequestCount(Instant.ofEpochMilli(receivedAtMs), good, total)) : Optional.empty();
  }
}
