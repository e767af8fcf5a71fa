package dev.nines.agent.net;

import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * HTTP clients for the agent.
 *
 * <p>The JDK's {@link HttpClient} asks for {@link SSLContext#getDefault()} when it is built, which
 * loads and initialises the whole TLS provider (some 400 classes, about 9 MiB of resident memory)
 * even when every URL is plain {@code http://}, as model servers on the same host usually are.
 * The agent's budget is 64 MiB, so its clients get a TLS context that only creates the real one
 * when the first {@code https://} connection is made.
 */
public final class AgentHttp {
  private AgentHttp() {}

  /**
   * An HTTP/1.1 client (model servers rarely speak h2c) with TLS set up on first use, and two
   * worker threads instead of the default unbounded pool: the agent's requests are few and short,
   * and every thread costs stack and wake-ups.
   */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(new LazyTlsContext())
        .executor(Executors.newFixedThreadPool(2, AgentHttp::workerThread))
        .build();
  }

  private static Thread workerThread(Runnable r) {
    Thread t = new Thread(r, "nines-agent-http-" + WORKERS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  private static final AtomicInteger WORKERS = new AtomicInteger();

  /** A TLS context that stands in for {@link SSLContext#getDefault()} until TLS is needed. */
  static final class LazyTlsContext extends SSLContext {
    private final LazySpi spi;

    LazyTlsContext() {
      this(new LazySpi());
    }

    private LazyTlsContext(LazySpi spi) {
      super(spi, null, "Default");
      this.spi = spi;
    }

    /** True once the real context has been created. */
    boolean initialised() {
      return spi.real != null;
    }
  }

  private static final class LazySpi extends SSLContextSpi {
    private volatile SSLContext real;

    private SSLContext real() {
      SSLContext r = real;
      if (r == null) {
        synchronized (this) {
          if (real == null) {
            try {
              real = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("no default TLS context in this JDK", e);
            }
          }
          r = real;
        }
      }
      return r;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw new UnsupportedOperationException("the default TLS context cannot be initialised again");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      // The client asks for these when it is built; plain parameters do for plain HTTP, and the
      // engine created for an https:// connection brings the real defaults.
      SSLContext r = real;
      return r == null ? new SSLParameters() : r.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
