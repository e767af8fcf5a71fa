package dev.nines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VllmMetricsTest {

  @Test
  void rendersVllmNamesAndPythonClientFormatExactly() {
    VllmMetrics m = new VllmMetrics();
    m.recordSuccess(0.042, 10, 16, false);
    m.recordSuccess(0.3, 5, 4, true);
    m.recordSuccess(75, 1, 1, true);
    m.recordHttp("/v1/completions", 200);
    m.recordHttp("/v1/completions", 200);
    m.recordHttp("/v1/chat/completions", 200);
    m.recordHttp("/v1/chat/completions", 503);
    m.recordHttp("/v1/completions", 400);

    String page = VllmMetrics.render(m.snapshot("m", 3, 1));

    String expected = String.join("\n",
        "# HELP vllm:num_requests_running Number of requests currently running on GPU.",
        "# TYPE vllm:num_requests_running gauge",
        "vllm:num_requests_running{model_name=\"m\"} 3.0",
        "# HELP vllm:num_requests_waiting Number of requests waiting to be processed.",
        "# TYPE vllm:num_requests_waiting gauge",
        "vllm:num_requests_waiting{model_name=\"m\"} 1.0",
        "# HELP vllm:prompt_tokens_total Number of prefill tokens processed.",
        "# TYPE vllm:prompt_tokens_total counter",
        "vllm:prompt_tokens_total{model_name=\"m\"} 16.0",
        "# HELP vllm:generation_tokens_total Number of generation tokens processed.",
        "# TYPE vllm:generation_tokens_total counter",
        "vllm:generation_tokens_total{model_name=\"m\"} 21.0",
        "# HELP vllm:request_success_total Count of successfully processed requests.",
        "# TYPE vllm:request_success_total counter",
        "vllm:request_success_total{model_name=\"m\",finished_reason=\"length\"} 2.0",
        "vllm:request_success_total{model_name=\"m\",finished_reason=\"stop\"} 1.0",
        "# HELP vllm:e2e_request_latency_seconds Histogram of end to end request latency in seconds.",
        "# TYPE vllm:e2e_request_latency_seconds histogram",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.01\"} 0.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.025\"} 0.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.05\"} 1.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.075\"} 1.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.1\"} 1.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.15\"} 1.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.2\"} 1.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.3\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.5\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"0.8\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"1.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"1.5\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"2.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"2.5\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"5.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"10.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"15.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"20.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"30.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"60.0\"} 2.0",
        "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"+Inf\"} 3.0",
        "vllm:e2e_request_latency_seconds_count{model_name=\"m\"} 3.0",
        "vllm:e2e_request_latency_seconds_sum{model_name=\"m\"} 75.342",
        "# HELP http_requests_total Total number of requests by method, status and handler.",
        "# TYPE http_requests_total counter",
        "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"2xx\"} 2.0",
        "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"4xx\"} 1.0",
        "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"5xx\"} 0.0",
        "http_requests_total{handler=\"/v1/chat/completions\",method=\"POST\",status=\"2xx\"} 1.0",
        "http_requests_total{handler=\"/v1/chat/completions\",method=\"POST\",status=\"4xx\"} 0.0",
        "http_requests_total{handler=\"/v1/chat/completions\",method=\"POST\",status=\"5xx\"} 1.0",
        "");
    assertThat(page).isEqualTo(expected);
  }

  @Test
  void bucketBoundIsInclusive() {
    VllmMetrics m = new VllmMetrics();
    m.recordSuccess(0.05, 1, 1, false);

    assertThat(VllmMetrics.render(m.snapshot("m", 0, 0)))
        .contains("le=\"0.025\"} 0.0", "le=\"0.05\"} 1.0");
  }
}
