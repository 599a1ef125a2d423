package dev.hearth.ai;

/**
 * A provider call that failed, by kind: the kind decides whether another provider of the same model is tried
 * ({@link Kind#transientFailure()}) and which error the client sees. Messages never contain credentials.
 */
final class ProviderException extends Exception {

    enum Kind {
        /** The provider refused Hearth's credentials (401, 403). */
        AUTH,
        /** The provider is rate limiting (429). */
        RATE_LIMITED,
        /** The provider does not know the model (404). */
        MODEL_NOT_FOUND,
        /** No answer, or no stream progress, within the configured time. */
        TIMEOUT,
        /** The provider failed (5xx, 529, connection refused, a broken stream). */
        UNAVAILABLE,
        /** The request itself is wrong (400, 422): the caller's error, never retried elsewhere. */
        BAD_REQUEST;

        boolean transientFailure() {
            return this != BAD_REQUEST;
        }
    }

    private final Kind kind;
    private final String provider;
    private final int status;
    private final String detail;

    ProviderException(Kind kind, String provider, String message) {
        this(kind, provider, message, 0, "");
    }

    /**
     * @param status the provider's HTTP status, 0 when there was no answer
     * @param detail the provider's own message, keys removed (may be empty)
     */
    ProviderException(Kind kind, String provider, String message, int status, String detail) {
        super(message, null, false, false);
        this.kind = kind;
        this.provider = provider;
        this.status = status;
        this.detail = detail;
    }

    int status() {
        return status;
    }

    String detail() {
        return detail;
    }

    Kind kind() {
        return kind;
    }

    String provider() {
        return provider;
    }
}
