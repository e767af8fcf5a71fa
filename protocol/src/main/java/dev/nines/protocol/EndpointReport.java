package dev.nines.protocol;

/**
 * What the agent saw of one model server during the interval.
 *
 * @param url the server's base URL
 * @param kind detected server kind: {@code vllm}, {@code triton}, {@code tgi} or {@code unknown}
 * @param health the health-page probe
 * @param generation the one-token generation probe; null if generation probing is off
 * @param scrape statistics from the server's Prometheus page; null if scraping is off
 */
public record EndpointReport(
    String url, String kind, ProbeResult health, ProbeResult generation, ServerStats scrape) {

  public EndpointReport {
    Check.text("endpoints.url", url, 512);
    Check.text("endpoints.kind", kind, 32);
    Check.required("endpoints.health", health);
  }
}
