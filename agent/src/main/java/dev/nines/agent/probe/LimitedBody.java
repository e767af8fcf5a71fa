package dev.nines.agent.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into a string, refused once it grows past a limit: a server that answers
 * a health check with an endless stream must not fill the agent's heap.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<String> {
  private final int limitBytes;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private LimitedBody(int limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** A handler that reads at most {@code limitBytes} bytes as UTF-8. */
  static HttpResponse.BodyHandler<String> handler(int limitBytes) {
    return info -> new LimitedBody(limitBytes);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (buffer.size() + item.remaining() > limitBytes) {
        subscription.cancel();
        result.completeExceptionally(
            new IOException("answer larger than " + limitBytes + " bytes"));
        return;
      }
      byte[] bytes = new byte[item.remaining()];
      item.get(bytes);
      buffer.write(bytes, 0, bytes.length);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toString(StandardCharsets.UTF_8));
  }
}
