package dev.hearth.drivers;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.PublicFetcher;

/**
 * {@code file} arguments given as an {@code http(s)} URL (spec 1.3), fetched through the web module's
 * {@link PublicFetcher}, which refuses every address that is not on the public internet, redirects included. The
 * fetch happens when the driver opens the file, so a driver that never reads its argument costs no request; the
 * declared type and size are those of the response. Without the web module (a kernel without HTTP) URLs are not
 * file references.
 */
final class WebFileResolver implements Service, DriverFileResolver {

    private final ServiceContext context;
    private volatile Optional<PublicFetcher> fetcher = Optional.empty();

    WebFileResolver(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        fetcher = context.services().find(PublicFetcher.class);
    }

    @Override
    public Optional<DriverFile> resolve(Actor actor, String reference) {
        String lower = reference.toLowerCase(Locale.ROOT);
        if (fetcher.isEmpty() || !lower.startsWith("http://") && !lower.startsWith("https://")) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw ApiError.fieldInvalid("file", "a URL", null);
        }
        return Optional.of(new DriverFile() {
            private PublicFetcher.Fetched fetched;

            private synchronized PublicFetcher.Fetched fetched() {
                if (fetched == null) {
                    fetched = fetcher.get().get(uri);
                    if (fetched.status() / 100 != 2) {
                        try {
                            fetched.close();
                        } catch (java.io.IOException ignored) {
                            // the error below says what matters
                        }
                        throw ApiError.of(400, "fetch_failed", "The URL answered HTTP " + fetched.status() + ".");
                    }
                }
                return fetched;
            }

            @Override
            public Optional<String> contentType() {
                return fetched().contentType();
            }

            @Override
            public OptionalLong size() {
                return fetched().length();
            }

            @Override
            public InputStream open() {
                return fetched().body();
            }
        });
    }
}
