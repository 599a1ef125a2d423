package dev.hearth.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code public-fetcher} service: {@code GET} requests to the public internet on a user's behalf, such as a
 * driver's file argument given as a URL.
 *
 * <p>The danger is server-side request forgery: a user making the server read its own network (an admin port on
 * loopback, a database on the private network, the cloud's metadata service at 169.254.169.254). So every address a
 * request would connect to, for the first host and for every redirect's, is resolved here and refused unless it is
 * globally routable ({@link PublicAddresses}); the connection then goes to exactly the address that was checked, so a
 * DNS answer that changes between the check and the connection (rebinding) gains nothing. As upstream does, URLs that
 * name an IP literal or {@code localhost} are refused before any lookup. Refusals are {@code 400 ip_not_allowed}.
 *
 * <p>Bodies stream, cut off with an error past {@code services.public-fetcher.max_bytes}.
 */
public final class PublicFetcher implements Service {

    /** A response being received: its status and headers, and the body as a stream the caller closes. */
    public record Fetched(int status, Optional<String> contentType, OptionalLong length, InputStream body)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Looks up a host's addresses; the system's resolver unless a test stands in for DNS. */
    interface Dns {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final PublicFetcherSettings settings;
    private final Dns dns;
    private final HttpClient client = new HttpClient();

    PublicFetcher(ServiceContext context) {
        this(PublicFetcherSettings.from(context.config()), InetAddress::getAllByName);
    }

    PublicFetcher(PublicFetcherSettings settings, Dns dns) {
        this.settings = settings;
        this.dns = dns;
        client.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        client.setSocketAddressResolver(new CheckingResolver());
        client.setFollowRedirects(true);
        client.setMaxRedirects(settings.maxRedirects());
        client.setConnectTimeout(10_000);
        client.setIdleTimeout(settings.timeoutSeconds() * 1000L);
        client.setUserAgentField(null);
    }

    @Override
    public void init() throws Exception {
        client.start();
    }

    @Override
    public void shutdown() throws Exception {
        client.stop();
    }

    /**
     * Sends {@code GET uri} and returns once the response's headers have arrived (after redirects).
     *
     * @throws ApiError {@code 400 ip_not_allowed} for a URL naming an IP literal or {@code localhost}, or a host (or a
     *         redirect's) that resolves to no public address; {@code 400 field_invalid} for a URL that is not
     *         {@code http(s)}; {@code 502 fetch_failed} when the server cannot be reached or does not answer in time
     */
    public Fetched get(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiError.of(400, "field_invalid", "Only http and https URLs can be fetched.");
        }
        String host = hostOf(uri);
        if (host.equals("localhost") || host.endsWith(".localhost") || PublicAddresses.isLiteral(host)) {
            throw notAllowed();
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        org.eclipse.jetty.client.Request request = client.newRequest(uri)
                .timeout(settings.timeoutSeconds(), TimeUnit.SECONDS);
        request.send(listener);
        Response response;
        try {
            response = listener.get(settings.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            request.abort(e);
            throw ApiError.of(502, "fetch_failed", "The server at that URL did not answer in time.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw ApiError.of(502, "fetch_failed", "Interrupted while fetching the URL.");
        }
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > settings.maxBytes()) {
            response.abort(new IOException("too large"));
            throw tooLarge();
        }
        return new Fetched(response.getStatus(),
                Optional.ofNullable(response.getHeaders().get(HttpHeader.CONTENT_TYPE)),
                length >= 0 ? OptionalLong.of(length) : OptionalLong.empty(),
                new LimitedInputStream(listener.getInputStream(), settings.maxBytes()));
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static ApiError failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof AddressNotAllowed) {
                return notAllowed();
            }
        }
        return ApiError.of(502, "fetch_failed", "Could not fetch the URL.");
    }

    static ApiError notAllowed() {
        return ApiError.of(400, "ip_not_allowed", "Requests to this address are not allowed.");
    }

    static ApiError tooLarge() {
        return ApiError.of(413, "file_too_large", "The file at that URL is too large.");
    }

    /** Why a connection was not opened; found in the failure's causes and answered as {@code ip_not_allowed}. */
    private static final class AddressNotAllowed extends IOException {
        AddressNotAllowed(String host) {
            super("no public address for " + host);
        }
    }

    /** Resolves each destination's host and keeps only the addresses Hearth may connect to. */
    private final class CheckingResolver implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                Promise<List<InetSocketAddress>> promise) {
            Thread.ofVirtual().start(() -> {
                try {
                    String ascii = IDN.toASCII(host);
                    List<InetSocketAddress> allowed = java.util.Arrays.stream(dns.lookup(ascii))
                            .filter(a -> PublicAddresses.isPublic(a) || settings.allowed(a))
                            .map(a -> new InetSocketAddress(a, port))
                            .toList();
                    if (allowed.isEmpty()) {
                        promise.failed(new AddressNotAllowed(host));
                    } else {
                        promise.succeeded(allowed);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    promise.failed(e);
                }
            });
        }
    }

    /** A body cut off with {@code file_too_large} once it passes the limit. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                in.close();
                throw tooLarge();
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
